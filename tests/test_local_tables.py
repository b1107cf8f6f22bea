"""The local-table path as a new user meets it: the filled examples, unknown indicator ids,
new indicators' names and units, source lines, comparator and rank columns, Welsh sources."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from scorecard import indicators
from scorecard.errors import InputError

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = {domain: REPO / "indicators" / f"example_{domain}.csv"
            for domain in ("employment", "civic_participation", "bme_voluntary_sector")}
COUNCILLORS = ("la_code,period,domain,indicator,ethnic_group,numerator,denominator{head}\n"
               "E08000032,2022,civic_participation,councillors_per_100k,White,61,281000{a}\n"
               "E08000032,2022,civic_participation,councillors_per_100k,Asian,25,101000{b}\n")


def councillors(tmp_path: Path, named: bool) -> Path:
    path = tmp_path / "councillors.csv"
    extra = (dict(head=",name,unit", a=",Councillors per 100k adults,per 100000", b=",,")
             if named else dict(head="", a="", b=""))
    path.write_text(COUNCILLORS.format(**extra), encoding="utf-8")
    return path


@pytest.mark.parametrize("domain", list(EXAMPLES))
def test_each_empty_domain_has_a_filled_example_marked_as_made_up(domain):
    table = indicators.validate_user_table(EXAMPLES[domain])
    assert set(table["domain"]) == {domain}
    assert table["source"].str.startswith("EXAMPLE ONLY, made-up figures").all()
    assert table["note"].str.contains("not real").all()
    assert table.attrs["warnings"] == []  # catalogued ids only
    header = (REPO / "indicators" / "template.csv").read_text().strip().split(",")
    raw = pd.read_csv(EXAMPLES[domain], nrows=0).columns
    assert set(raw) <= set(header)


def test_a_new_id_must_bring_a_name_and_a_unit_and_hears_did_you_mean(tmp_path):
    with pytest.raises(InputError) as caught:
        indicators.validate_user_table(councillors(tmp_path, named=False))
    assert (caught.value.row, caught.value.column) == (2, "name")
    assert "did you mean 'civic_councillors'" in caught.value.message


def test_unknown_id_is_a_warning_on_the_command_line(tmp_path, run_cli):
    code, out, err = run_cli("validate", councillors(tmp_path, named=True))
    assert code == 0 and "OK" in out
    assert "warning" in err and "'councillors_per_100k' is not in the catalogue" in err
    assert "did you mean 'civic_councillors'" in err


def test_new_indicator_keeps_its_unit_and_has_no_empty_columns(tmp_path):
    table = indicators.gaps_for("Bradford", [councillors(tmp_path, named=True)])
    rows = table[table["measure"] == "councillors_per_100k"].set_index("ethnicity")
    assert rows.loc["White", "unit"] == "per 100,000"
    assert rows.loc["White", "value"] == pytest.approx(61 / 281_000 * 1e5)  # not percent
    assert rows.loc["White", "name"] == "Councillors per 100k adults"
    assert rows["national_value"].isna().all()  # the table has no national rows


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    from scorecard.cli import main

    out = tmp_path_factory.mktemp("local")
    code = main(["build", "Bradford", "--format", "html", "--quiet", "--out", str(out),
                 "--indicators", *map(str, EXAMPLES.values())])
    assert code == 0
    return (out / "2021" / "E08000032-bradford" / "index.html").read_text(encoding="utf-8")


def _section(html: str, domain: str) -> str:
    start = html.index(f'id="domain-{domain}"')
    return html[start:html.index("</section>", start)]


def test_example_tables_fill_their_domains_without_broken_words(page):
    main = page[page.index("<main>"):]  # the page's words, not its CSS
    for bad in (">nan<", ", .<", "Source: your table, .", "(not in the embedded "
                "data), ."):
        assert bad not in main, bad
    assert not re.search(r"\b1st of 1\b", main)  # "51st of 120" is a real rank
    civic = _section(page, "civic_participation")
    assert "Councillors per 100,000 adult residents, 2022" in civic
    assert "per 100,000 residents" in civic
    missing = civic[civic.index("Not shown"):] if "Not shown" in civic else ""
    assert "Councillors per 100,000" not in missing  # filled, so no longer "not shown"
    assert "Source: EXAMPLE ONLY, made-up figures" in civic
    employment = _section(page, "employment")
    assert re.search(r">England</th>", employment)  # the table gave England rows
    assert "Rank among areas" not in employment  # one LA: nothing to rank
    vcs = _section(page, "bme_voluntary_sector")
    assert "no gap between groups is computed" in vcs and "reference group  in" not in vcs


def test_welsh_las_are_pointed_to_welsh_sources():
    cardiff = indicators.gaps_for("Cardiff")
    missing = cardiff[cardiff["value"].isna()].set_index("measure")
    assert "StatsWales" in missing.loc["employment_rate", "note"]
    assert "StatsWales" in missing.loc["ks4_basics_95", "note"]
    assert "Welsh Government homelessness" in missing.loc["homelessness_duty", "note"]
    bradford = indicators.gaps_for("Bradford")
    assert "StatsWales" not in " ".join(bradford["note"].fillna(""))


def test_empty_domains_before_and_after():
    """Domains with no figure at all from the embedded data: four in England and five in
    Wales before housing was embedded; three and four now."""
    for la, empty in (("Bradford", {"employment", "civic_participation",
                                    "bme_voluntary_sector"}),
                      ("Cardiff", {"education", "employment", "civic_participation",
                                   "bme_voluntary_sector"})):
        table = indicators.gaps_for(la)
        filled = set(table.loc[table["value"].notna(), "domain"])
        assert set(indicators.DOMAINS) - filled == empty, la
