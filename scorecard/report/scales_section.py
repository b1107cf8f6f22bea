"""The scorecard's "Every scale": the indices at OA, LSOA, MSOA and ward, and how much of the
unevenness lies between wards. Picks, formats and labels the engine's tidy results."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import geography, groups
from . import charts
from .text import join_names, number

if TYPE_CHECKING:
    from .context import National

SCALE_LABELS = {"oa": "Output areas", "lsoa": "LSOAs", "msoa": "MSOAs", "ward": "Wards"}
SCALE_WORDS = {"oa": "output areas", "lsoa": "LSOAs", "msoa": "MSOAs", "ward": "wards"}


def _ward_sentence(share: float, la: str, year: int, n_wards: int, h: float) -> str:
    """Where most of the unevenness lies, from the exact split of multigroup H."""
    start = (f"Across the output areas of {la} in {year}, Theil's multigroup entropy index (H) "
             f"of the five broad groups is {number(h, 2)}")
    if n_wards < 2:
        return f"{start}; {la} is a single ward, so all of it lies within that ward."
    where = ("most of it lies between wards" if share > 0.5 else
             "most of it lies within wards" if share < 0.5 else "it splits evenly")
    return (f"{start}; {number(100 * share, 1)}% of it lies between the {n_wards} wards and "
            f"{number(100 * (1 - share), 1)}% within them: {where} (an exact decomposition "
            "of H).")


def scales_section(national: National, la_code: str) -> dict:
    """Table and chart of D (each broad group) and multigroup H by scale, and the sentence."""
    la = national.authorities.set_index("code").loc[la_code]
    table, split = national.scales
    own = table[table["area_code"] == la_code]
    labels = groups.labels("broad5")
    order = [s for s in SCALE_LABELS if s in set(own["unit_level"])]
    d = own[(own["index"] == "dissimilarity") & own["group"].isin(labels)]
    h = own[own["index"] == "multigroup_theil_h"].set_index("unit_level")
    rows = []
    for scale in order:
        at = d[d["unit_level"] == scale].set_index("group")
        rows.append({"scale": SCALE_LABELS[scale], "n_units": int(h.loc[scale, "n_units"]),
                     "d": {g: at.loc[g, "value"] if g in at.index else None for g in labels},
                     "h": h.loc[scale, "value"]})
    series = [[float(d[(d["unit_level"] == s) & (d["group"] == g)]["value"].iloc[0])
               for s in order] for g in labels]
    for row in rows:
        row["empty"] = all(v is None or pd.isna(v) for v in row["d"].values()) and pd.isna(
            row["h"])
    valued = [r for r in rows if not r["empty"]]
    if len(valued) < 2:  # one scale with values (a one-LSOA LA): a chart would be points
        return {"rows": rows, "labels": labels, "chart": "", "chart_alt": "",
                "not_drawn": (f"{la['name']} has more than one unit only at "
                              f"{join_names([r['scale'].lower() for r in valued]) or 'no scale'}"
                              ": an index needs at least two units, so no chart across scales "
                              "is drawn; the table gives the values."),
                "sentence": "", "ward_name": geography.WARD_NAMES[national.year],
                "scales": join_names([SCALE_WORDS[s] for s in order]),
                "source": national.scale_source, "data_rows": _data_rows(own, split, la_code)}
    svg = charts.line_chart(list(labels.values()), series,
                            [SCALE_LABELS[s] for s in order], y_label="Dissimilarity (D)",
                            title=f"Dissimilarity (D) by scale, {la['name']}, {national.year}")
    alt = (f"Line chart of the dissimilarity (D) of each broad group from all other residents "
           f"in {la['name']}, {national.year}, at four scales from output areas to wards: "
           + "; ".join(f"{name} " + ", ".join(f"{v:.2f}" for v in values)
                       for name, values in zip(labels.values(), series, strict=True)) + ".")
    wards = split[(split["area_code"] == la_code) & (split["index"] == "multigroup_theil_h")]
    sentence = ""
    if len(wards) and pd.notna(wards["share_between"].iloc[0]):
        sentence = _ward_sentence(float(wards["share_between"].iloc[0]), la["name"],
                                  national.year, rows[-1]["n_units"], float(wards["total"].iloc[0]))
    ward_name = geography.WARD_NAMES[national.year]
    return {"rows": rows, "labels": labels, "chart": svg, "chart_alt": alt, "not_drawn": "",
            "sentence": sentence, "ward_name": ward_name,
            "scales": join_names([SCALE_WORDS[s] for s in order]),
            "source": national.scale_source, "data_rows": _data_rows(own, split, la_code)}


def _data_rows(own: pd.DataFrame, split: pd.DataFrame, la_code: str) -> list[dict]:
    rows = [{"section": "segregation_by_scale", "measure": r["index"], "group": r["group"],
             "unit_level": r["unit_level"], "value": r["value"], "n_units": r["n_units"],
             "note": r["note"]} for r in own.to_dict("records")]
    for r in split[split["area_code"] == la_code].to_dict("records"):
        for part in ("between", "within"):
            rows.append({"section": "segregation_by_scale", "measure": f"{r['index']}:{part}"
                         "_wards", "group": "all", "unit_level": "oa", "value": r[part],
                         "n_units": None, "note": "exact decomposition of the output-area "
                         "value between and within wards"})
    return rows
