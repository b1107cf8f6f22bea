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
