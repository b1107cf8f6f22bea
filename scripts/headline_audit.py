"""Count, across every 2021 LA, the race-equality headlines that rest on a count under the
headline minimum, on a flagged break in a group's series, or on records missing from the
source; and print the top five LAs by bias-corrected D for each group (among the LAs where the
group is large enough to rank).

    python scripts/headline_audit.py picks > picks.json   # the headlines this code picks
    python scripts/headline_audit.py count picks.json     # checked against the flags
    python scripts/headline_audit.py top                  # top five by corrected D

``picks`` runs with whichever version of scorecard is importable (an older one picks by its
own rules); ``count`` always checks with this version's flags and minimums.
"""

from __future__ import annotations

import json
import math
import sys

from scorecard import geography, indicators
from scorecard.report import headlines
from scorecard.report.domains import domain_sections


def _picked_rows(domains):
    """(measure, time, group) of each gap headline, whatever the version's rules."""
    if hasattr(headlines, "headline_rows"):
        return [(i["id"], i["time"], r["ethnicity"]) for i, r in headlines.headline_rows(domains)]
    picks = []  # the rules before: widest reliable, unsuppressed, denominator ≥ 30
    for indicator in (i for d in domains for i in d["indicators"] if i["kind"] != "mean"):
        latest = [r for r in indicator["rows"] if r["time"] == indicator["time"]
                  and r["reliable"] and not r["suppressed"] and r["ratio"]
                  and not r["low_reliability"]]
        if latest:
            widest = max(latest, key=lambda r: abs(math.log(r["ratio"])))
            picks.append((abs(math.log(widest["ratio"])), indicator["id"], indicator["time"],
                          widest["ethnicity"]))
    picks.sort(key=lambda p: -p[0])
    return [p[1:] for p in picks[:headlines.MAX_GAPS] if p[0] > 0]


def picks() -> None:
    table, catalogue = indicators.all_measures()
    out = {}
    for code in geography.authorities(2021)["code"]:
        domains = domain_sections(indicators.gaps_for(code, measures=(table, catalogue)))
        out[code] = _picked_rows(domains)
    json.dump(out, sys.stdout)


def count(path: str) -> None:
    from scorecard import gaps
    minimum = headlines.HEADLINE_MIN_COUNT
    table, catalogue = indicators.all_measures()
    table = table.join(catalogue.set_index("id")["kind"], on="measure")
    table = table.assign(_count=gaps.counted(table), _break=gaps.breaks(table))
    broken = set(map(tuple, table.loc[table["_break"], ["measure", "geography_code",
                                                         "ethnicity"]].to_numpy()))
    with open(path, encoding="utf-8") as file:
        picked = json.load(file)
    lookup = indicators.area_lookup().set_index("lad_code")
    n = small = breaks = missing = any_problem = 0
    for code, rows in picked.items():
        areas = {code, lookup.loc[code, "utla_code"], lookup.loc[code, "pfa_code"]}
        for measure, time, group in rows:
            part = table[(table["measure"] == measure) & (table["time"] == time)
                         & table["geography_code"].isin(areas)]
            own = part[part["ethnicity"] == group].iloc[0]
            ref = part[part["ethnicity"] == own["reference"]].iloc[0]
            n += 1
            is_small = min(own["_count"], ref["_count"]) < minimum
            is_break = any((measure, own["geography_code"], g) in broken
                           for g in (group, own["reference"]))
            is_missing = "not available" in own["flag"] + ref["flag"]
            small += is_small
            breaks += is_break
            missing += is_missing
            any_problem += is_small or is_break or is_missing
    print(f"gap headlines: {n}; on a count under {minimum}: {small}; on a flagged break: "
          f"{breaks}; on missing records [x]: {missing}; on any of these: {any_problem}")


def top() -> None:
    from scorecard.report.context import National
    table = National(2021).indices
    corrected = table[table["index"] == "dissimilarity_bias_corrected"]
    raw = table[table["index"] == "dissimilarity"].set_index(["area_code", "group"])["value"]
    for group, part in corrected.groupby("group", sort=False):
        ranked = part[part["rank"].notna()]
        print(f"{group}: {len(ranked)} of {part['value'].notna().sum()} LAs large enough to "
              f"rank ({(part['flag'] != '').sum()} not ranked)")
        for row in ranked.sort_values("rank").head(5).itertuples():
            print(f"  {int(row.rank)}. {row.area_name}: corrected D {row.value:.3f} "
                  f"(95% CI {row.lower:.3f} to {row.upper:.3f}), raw D "
                  f"{raw[(row.area_code, group)]:.3f}; {int(row.group_count):,} residents"
                  f"{'; ' + row.flag if row.flag else ''}")


if __name__ == "__main__":
    {"picks": picks, "count": lambda: count(sys.argv[2]), "top": top}[sys.argv[1]]()
