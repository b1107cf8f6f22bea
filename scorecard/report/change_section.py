"""The scorecard's "Change since 2011": each Table 2 figure beside its 2011 value.

Only on 2021 scorecards built from the embedded census (five broad groups, as Table 2). The
change is measured on the units common to both censuses (sets of 2011 and 2021 output areas
holding the same residents, nothing apportioned) by the change engine,
:func:`scorecard.change.la_change`, with a seeded bootstrap of this LA only. Nothing here
computes a statistic: it picks, formats and labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import groups
from ..change.since2011 import caption
from .charts import slope_chart
from .words import READING, between, group_words, number, signed

if TYPE_CHECKING:
    from .context import National

INDICES = ("dissimilarity", "isolation", "exposure", "theil_h")
INDEX_LABELS = {"dissimilarity": "Dissimilarity (D)", "isolation": "Isolation (xPx)",
                "exposure": "Exposure to all others (xPy)",
                "theil_h": "Theil's entropy index (H)"}
UNIT_LEVEL = "common"
SOURCE = ("ONS Census 2011 KS201EW Ethnic group (output areas) and ONS Census 2021 TS021 "
          "Ethnic group (5 broad groups, output areas), each summed to units common to both "
          "censuses with the ONS OA (2011) to OA (2021) and LSOA (2011) to LSOA (2021) lookups")
HOW = ("units common to both censuses: unchanged and merged output areas, split output areas "
       "with all their 2021 parts, and where output areas cannot be matched exactly the "
       "smallest set of LSOAs that can; nothing apportioned; five broad ethnic groups, each "
       "compared with all other residents")


def _absent(message: str) -> dict:
    return {"shown": False, "message": message, "by_group": {}, "blocks": [], "data_rows": []}


def change_cells(table: pd.DataFrame) -> dict[str, dict[str, dict]]:
    """group → index → the texts shown for one change (values to 2 dp, change to 3)."""
    out: dict[str, dict[str, dict]] = {}
    for row in table.to_dict("records"):
        has = pd.notna(row["change"])
        out.setdefault(row["group"], {})[row["index"]] = {
            "from": number(row["value_from"]), "to": number(row["value_to"]),
            "change": signed(row["change"]) if has else "",
            "interval": between(row["change_lower"], row["change_upper"]),
            "reading": READING.get(row["direction"], "") if has else "",
            "note": "" if has else row["note"].split(";")[0],
        }
    return out


def _chart(table: pd.DataFrame, la_name: str) -> tuple[str, str]:
    labels = groups.labels("broad5")
    d = table[table["index"] == "dissimilarity"].set_index("group")
    codes = [g for g in groups.codes("broad5") if g in d.index]
    values = [(float(d.loc[g, "value_from"]), float(d.loc[g, "value_to"])) for g in codes]
    names = [labels[g] if g != "other" else "Other groups" for g in codes]
    svg = slope_chart(names, values, years=(2011, 2021), y_label="Dissimilarity (D)",
                      title=f"Dissimilarity (D), {la_name}, 2011 and 2021")
    alt = (f"Slope chart of the dissimilarity (D) of each broad ethnic group from all other "
           f"residents in {la_name}, 2011 and 2021, on units common to both censuses, one line "
           "per group: "
           + "; ".join(f"{group_words(g, labels)} {number(a)} to {number(b)}"
                       for g, (a, b) in zip(codes, values, strict=True)) + ".")
    return svg, alt


def _data_rows(table: pd.DataFrame) -> list[dict]:
    """Unrounded rows for data.csv in the scorecard's long form."""
    rows = []
    for row in table.to_dict("records"):
        note = (f"{caption(int(row['n_units_to']))}; reading: "
                f"{READING.get(row['direction'], 'no change')}")
        if row["note"]:
            note += f"; {row['note']}"
        for suffix, column in (("value_2011_on_common_units", "value_from"),
                               ("change_since_2011", "change"),
                               ("change_since_2011:lower", "change_lower"),
                               ("change_since_2011:upper", "change_upper")):
            rows.append({"section": "segregation_change", "measure": f"{row['index']}:{suffix}",
                         "group": row["group"], "unit_level": UNIT_LEVEL,
                         "value": row[column], "n_units": row["n_units_to"], "note": note})
    return rows


def change_section(national: National, la_code: str) -> dict:
    """What the scorecard shows of the change since 2011 (``shown`` False with a message on
    2011 scorecards and when Table 2 uses the user's own counts)."""
    la = national.authorities.set_index("code").loc[la_code]
    if national.year != 2021:
        return _absent(f"Change since 2011 is shown on the 2021 scorecard of {la['name']} "
                       "(on units common to both censuses).")
    if national.unit_counts is not None:
        return _absent("Change since 2011 is not shown: Table 2 uses the counts table you "
                       "supplied, and the change is computed on the census output areas.")
    table = national.change_of(la_code)
    table = table[table["index"].isin(INDICES)]
    labels = groups.labels("broad5")
    cells = change_cells(table)
    blocks = [{"group": g, "label": group_words(g, labels),
               "rows": [{"index": i, "index_label": INDEX_LABELS[i], **cells[g][i]}
                        for i in INDICES if i in cells[g]]}
              for g in groups.codes("broad5") if g in cells]
    for block in blocks:  # a group's identical "no value" rows collapse into one line
        notes = {r["note"] for r in block["rows"]}
        block["note"] = notes.pop() if len(notes) == 1 else ""
    if blocks and all(b["note"] for b in blocks):
        return _absent(f"Change since 2011 is not shown for {la['name']}: "
                       f"{blocks[0]['rows'][0]['note']} (on 2021 LSOAs, in 2011 or 2021).")
    svg, alt = _chart(table, la["name"])
    n_units = int(table["n_units_to"].max())
    return {"shown": True, "message": "", "by_group": cells, "blocks": blocks, "chart": svg,
            "chart_alt": alt, "how": HOW, "source": SOURCE, "n_units": n_units,
            "caption": caption(n_units), "data_rows": _data_rows(table)}
