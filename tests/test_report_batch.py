"""Building many scorecards: one failure reported and isolated, workers give the same bytes."""

from scorecard.report.batch import build_many

RUTLAND, CITY = "E06000017", "E09000001"  # two small LAs: quick to build


def test_a_failing_la_is_reported_and_the_others_are_built(tmp_path):
    seen = []
    result = build_many([RUTLAND, "E06999999", CITY], year=2021, out=tmp_path, quiet=True,
                        on_done=lambda code, status, detail: seen.append((code, status)))
    assert set(result.built) == {RUTLAND, CITY}
    assert list(result.failed) == ["E06999999"]
    assert "E06999999" in result.failed["E06999999"] and "\n" not in result.failed["E06999999"]
    assert sorted(seen) == sorted([(RUTLAND, "ok"), ("E06999999", "failed"), (CITY, "ok")])
    for folder in result.built.values():
        assert (folder / "index.html").is_file() and (folder / "data.csv").is_file()
    assert not any(p.name.startswith(".") for p in (tmp_path / "2021").iterdir())


def test_two_worker_processes_write_what_one_process_writes(tmp_path):
    one = build_many([RUTLAND, CITY], year=2021, out=tmp_path / "one", jobs=1, quiet=True)
    two = build_many([RUTLAND, CITY], year=2021, out=tmp_path / "two", jobs=2, quiet=True)
    assert not one.failed and not two.failed
    for code, folder in one.built.items():
        other = two.built[code]
        for name in ("index.html", "data.csv"):
            assert (folder / name).read_bytes() == (other / name).read_bytes(), (code, name)


def test_pdf_laid_out_in_a_side_process_is_the_same_pdf(tmp_path, monkeypatch):
    """One LA on two CPUs: the PDF is made by PdfProcess while this process writes the rest;
    the folder holds the same files, byte for byte, as a build in one process."""
    import scorecard.report.batch as batch

    monkeypatch.setattr(batch.os, "cpu_count", lambda: 2)  # a second CPU even on a small VM
    here = build_many([CITY], year=2021, out=tmp_path / "one", formats=("html", "pdf"), jobs=1,
                      quiet=True)
    side = build_many([CITY], year=2021, out=tmp_path / "two", formats=("html", "pdf"), jobs=2,
                      quiet=True)
    assert not here.failed and not side.failed
    folder, other = here.built[CITY], side.built[CITY]
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(other)) for p in other.rglob("*") if p.is_file())
    assert "scorecard.pdf" in names
    for name in names:
        assert (folder / name).read_bytes() == (other / name).read_bytes(), name
