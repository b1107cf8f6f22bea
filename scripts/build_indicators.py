"""Build the embedded race-equality observation tables indicators/ind_*.parquet.

Run by hand (or from scripts/build_data.py) when ../shared/data changes; output is committed:

    python scripts/build_indicators.py [--source ../shared/data] [--out indicators]

Every table is tidy, one row per area × group × period × measure, joined on ONS GSS codes:
``measure, geography_code, geography_name, geography_level (lad / utla / pfa / country),
time, ethnicity, numerator, denominator, value, lower, upper, note``. Nothing is rounded;
counts come straight from the sources, denominators from the sources or Census 2021.
``ind_area_lookup.parquet`` says which upper-tier LA and police force area each LAD is in.
Each step checks what the shared README promises and stops with a message if it does not hold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
ENGLAND_WALES = ("K04000001", "England and Wales")
ENGLAND = ("E92000001", "England")
WALES = ("W92000004", "Wales")
COLUMNS = ["measure", "geography_code", "geography_name", "geography_level", "time",
           "ethnicity", "numerator", "denominator", "value", "lower", "upper", "note"]

# Census 2021 TS021 broad-group columns (shared/data/census2021 README, file 1)
TS021_BROAD = {
    "Asian": "Asian, Asian British or Asian Welsh",
    "Black": "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed": "Mixed or Multiple ethnic groups",
    "Other": "Other ethnic group",
    "White": "White",
}
TS021_CHINESE = "Asian, Asian British or Asian Welsh: Chinese"

# Police force names as the Home Office writes them → PFA22NM in the ONS lookup.
FORCE_ALIASES = {"Avon & Somerset": "Avon and Somerset", "City of London": "London, City of",
                 "Metropolitan": "Metropolitan Police"}

# Unitary authorities created after 2018/19 from a whole county (KS4 2018/19 still reports
# the county): Buckinghamshire (Structural Changes) Order 2019, in force 1 April 2020;
# Northamptonshire (Structural Changes) Order 2020, in force 1 April 2021 (the county split
# into North and West Northamptonshire, so both show the whole former county's figure).
SUCCESSOR_UNITARIES = {
    "E06000060": ("E10000002", "the former Buckinghamshire County Council area (2018/19), "
                  "which covered the same area"),
    "E06000061": ("E10000021", "the former Northamptonshire County Council area (2018/19), "
                  "which covered North and West Northamptonshire together"),
    "E06000062": ("E10000021", "the former Northamptonshire County Council area (2018/19), "
                  "which covered North and West Northamptonshire together"),
}

GMP_NOTE = ("Greater Manchester Police records are largely missing from police.uk after "
            "mid-2019: treat as incomplete")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"build_indicators: check failed: {message}")


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill absent optional columns and fix the column order and types."""
    frame = frame.copy()
    for column in ("numerator", "denominator", "value", "lower", "upper"):
        if column not in frame:
            frame[column] = np.nan
        frame[column] = pd.to_numeric(frame[column], errors="raise").astype(float)
    frame["note"] = frame.get("note", "")
    frame["note"] = frame["note"].fillna("").astype(str)
    for column in ("measure", "geography_code", "geography_name", "geography_level", "time",
                   "ethnicity"):
        frame[column] = frame[column].astype(str)
    check(not frame.duplicated(["measure", "geography_code", "time", "ethnicity"]).any(),
          "duplicated observation rows")
    return frame[COLUMNS].sort_values(["measure", "time", "geography_code", "ethnicity"],
                                      ignore_index=True)


def write(frame: pd.DataFrame, path: Path) -> None:
    tidy(frame).to_parquet(path, compression="zstd", index=False)


def national(frame: pd.DataFrame, code_name: tuple[str, str]) -> pd.DataFrame:
    """Sum of numerators and denominators over all areas: the national row."""
    keys = ["measure", "time", "ethnicity"]
    total = frame.groupby(keys, as_index=False)[["numerator", "denominator"]].sum()
    if "note" in frame:  # a note shared by every area holds for the total too
        notes = frame.groupby(keys)["note"].agg(lambda n: n.iloc[0] if n.nunique() == 1 else "")
        total = total.join(notes, on=keys)
    total["geography_code"], total["geography_name"] = code_name
    total["geography_level"] = "country"
    return total


# ---------------------------------------------------------------------------------------
# Lookups and populations


def census_lad(src: Path) -> pd.DataFrame:
    """Census 2021 TS021 by LAD: LAD22CD, LAD22NM and the broad groups (+ Chinese)."""
    ts021 = pd.read_parquet(src / "census2021/ts021_ethnic_group_19_lad.parquet")
    check(len(ts021) == 331, f"TS021 LAD rows {len(ts021)} != 331")
    out = ts021[["LAD22CD", "LAD22NM"]].copy()
    for group, column in TS021_BROAD.items():
        out[group] = ts021[column].astype("int64")
    out["Chinese"] = ts021[TS021_CHINESE].astype("int64")
    return out


def area_lookup(src: Path) -> pd.DataFrame:
    """LAD → upper-tier LA (for education) and police force area.

    Shire districts (E07) get their county from the ``county`` name column of the
    ExtractSS stop-and-search file (ONS LAD→county names) matched to the county names and
    E10 codes of the DfE KS4 file; other LADs are their own upper tier, except the
    successor unitaries in SUCCESSOR_UNITARIES. No ONS LAD→county lookup is in shared/data.
    """
    pfa = pd.read_parquet(src / "boundaries/lad22_csp22_pfa22_ew_lu.parquet")
    check(len(pfa) == 331 and pfa["PFA22CD"].nunique() == 43, "LAD→PFA lookup: 331 LADs, 43 PFAs")
    stops = pd.read_parquet(src / "indicators/stop_search_lad_black_white_2019_2021.parquet")
    county = stops[["la_code", "county"]].drop_duplicates()
    check(county["la_code"].is_unique, "one county per LAD in the stop-search file")
    ks4 = pd.read_parquet(src / "indicators/ks4_la_characteristics_2018_19.parquet")
    utlas = ks4.loc[ks4["geographic_level"] == "Local authority",
                    ["new_la_code", "la_name", "region_code"]].drop_duplicates()
    counties = utlas[utlas["new_la_code"].str.startswith("E10")].set_index("la_name")
    out = pfa.rename(columns={"LAD22CD": "lad_code", "LAD22NM": "lad_name",
                              "PFA22CD": "pfa_code", "PFA22NM": "pfa_name"})
    out = out[["lad_code", "lad_name", "pfa_code", "pfa_name"]].merge(
        county.rename(columns={"la_code": "lad_code"}), on="lad_code", how="left")
    district = out["lad_code"].str.startswith("E07")
    check(out.loc[district, "county"].isin(counties.index).all(),
          "every shire district's county is a KS4 county")
    out["utla_code"] = out["lad_code"].where(~district, out["county"].map(counties["new_la_code"]))
    out["utla_note"] = np.where(district, "county (upper-tier) figure", "")
    for lad, (utla, note) in SUCCESSOR_UNITARIES.items():
        out.loc[out["lad_code"] == lad, ["utla_code", "utla_note"]] = utla, note
    names = utlas.set_index("new_la_code")["la_name"]
    out["utla_name"] = out["utla_code"].map(names).fillna(out["lad_name"])
    regions = pd.read_parquet(src / "boundaries/lad21_rgn21_en_lu.parquet")
    same_region = out[district].merge(regions, left_on="lad_code", right_on="LAD21CD").assign(
        county_region=lambda f: f["utla_code"].map(utlas.set_index("new_la_code")["region_code"]))
    check((same_region["county_region"] == same_region["RGN21CD"]).all(),
          "each district lies in its county's region")
    check(district.sum() == 181, f"{district.sum()} shire districts, expected 181")
    return out[["lad_code", "lad_name", "utla_code", "utla_name", "utla_note",
                "pfa_code", "pfa_name"]]


def force_populations(src: Path, lookup: pd.DataFrame) -> pd.DataFrame:
    """Census 2021 residents by broad group (and Chinese) summed to police force areas."""
    lad = census_lad(src).merge(lookup[["lad_code", "pfa_code", "pfa_name"]],
                                left_on="LAD22CD", right_on="lad_code", validate="one_to_one")
    check(len(lad) == 331, "every LAD has a police force area")
    groups = [*TS021_BROAD, "Chinese"]
    return lad.groupby(["pfa_code", "pfa_name"], as_index=False)[groups].sum()


def force_code(names: pd.Series, forces: pd.DataFrame) -> pd.Series:
    """Home Office force names → PFA22CD (exact names after the documented aliases)."""
    codes = names.replace(FORCE_ALIASES).map(forces.set_index("pfa_name")["pfa_code"])
    check(codes.notna().all(), f"unknown forces: {sorted(set(names[codes.isna()]))}")
    return codes


# ---------------------------------------------------------------------------------------
# Criminal justice


def build_stop_search_lad(src: Path) -> pd.DataFrame:
    """Stop and search per 1,000 residents, Black vs White, by LAD, calendar 2019–2021."""
    s = pd.read_parquet(src / "indicators/stop_search_lad_black_white_2019_2021.parquet")
    check(len(s) == 993 and s["la_code"].nunique() == 331, "993 LA-years, 331 LADs")
    check(sorted(s["date"].astype(int).unique()) == [2019, 2020, 2021], "years 2019–2021")
    counts = [f"{g}_{c}" for g in ("Black", "White") for c in ("stopped", "population")]
    check(s[counts].notna().all().all(), "no missing counts")
    for g in ("Black", "White"):
        check((s[f"{g}_stopped"] + s[f"{g}_not_stopped"] == s[f"{g}_population"]).all(),
              f"{g}: stopped + not stopped = population")
    by_year = s.groupby(s["date"].astype(int))[["Black_stopped", "White_stopped"]].sum()
    check(by_year["Black_stopped"].tolist() == [90_005, 95_418, 62_866], "Black totals")
    check(by_year["White_stopped"].tolist() == [209_419, 273_534, 216_727], "White totals")
    one_year = s[s["date"].astype(int) == 2021]
    check(one_year["Black_population"].sum() == 3_171_916, "Black population total")
    check(one_year["White_population"].sum() == 48_530_510, "White population total")
    _check_black_definition(src, one_year)
    gmp = s["force"].eq("Greater Manchester")
    check(gmp.groupby(s["date"]).sum().eq(10).all(), "10 Greater Manchester LADs a year")
    rows = [pd.DataFrame({
        "measure": "stop_search_lad", "geography_code": s["la_code"],
        "geography_name": s["la"], "geography_level": "lad",
        "time": s["date"].astype(int).astype(str), "ethnicity": g,
        "numerator": s[f"{g}_stopped"], "denominator": s[f"{g}_population"],
        "note": np.where(gmp, GMP_NOTE, "")}) for g in ("Black", "White")]
    lad = pd.concat(rows, ignore_index=True)
    return pd.concat([lad, national(lad, ENGLAND_WALES)], ignore_index=True)


def _check_black_definition(src: Path, one_year: pd.DataFrame) -> None:
    """The file's Black = Census Black + Mixed White and Black Caribbean/African (README)."""
    ts021 = pd.read_parquet(src / "census2021/ts021_ethnic_group_19_lad.parquet")
    mixed = "Mixed or Multiple ethnic groups: White and Black "
    black = (ts021[TS021_BROAD["Black"]] + ts021[mixed + "Caribbean"]
             + ts021[mixed + "African"])
    white = ts021["White"] - ts021["White: Gypsy or Irish Traveller"] - ts021["White: Roma"]
    merged = one_year.merge(ts021.assign(black=black, white=white), left_on="la_code",
                            right_on="LAD22CD", validate="one_to_one")
    check((merged["Black_population"] - merged["black"]).abs().max() <= 20,
          "Black population = TS021 Black + Mixed White/Black (±20, perturbation)")
    check((merged["White_population"] - merged["white"]).abs().max() <= 20,
          "White population = TS021 White less Gypsy/Irish Traveller and Roma (±20)")


def build_stop_search_pfa(src: Path, forces: pd.DataFrame) -> pd.DataFrame:
    """Stop and search per 1,000 residents by self-defined group and force, FY 2020/21–2024/25."""
    p = pd.read_parquet(src / "indicators/stop_search_pfa_by_ethnicity_2020_21_to_2024_25.parquet")
    check(len(p) == 1_073 and p["police_force"].nunique() == 43, "1,073 rows, 43 forces")
    check(set(p["ethnicity"]) == set(TS021_BROAD), "five self-defined groups")
    cells = p.groupby(["financial_year", "police_force"]).size()
    check(cells[cells < 5].to_dict() == {("2020/21", "Dyfed-Powys"): 4,
                                         ("2021/22", "Dyfed-Powys"): 4},
          "the only absent cells are Dyfed-Powys, Other, 2020/21 and 2021/22")
    p = p.assign(pfa_code=force_code(p["police_force"], forces))
    missing = pd.read_parquet(src / "indicators/stop_search_pfa_not_stated_2024_25.parquet")
    latest = p[p["financial_year"] == "2024/25"].groupby("police_force")["total_searches"].sum()
    stated = missing.set_index("police_force")
    stated_sum = (stated["total_searches"] - stated["missing_searches"]).reindex(latest.index)
    check(len(stated) == 43 and (latest == stated_sum).all(),
          "2024/25: five groups = total − not stated")
    population = forces.melt(["pfa_code", "pfa_name"], var_name="ethnicity",
                             value_name="denominator")
    out = p.merge(population, on=["pfa_code", "ethnicity"], how="left", validate="many_to_one")
    # two absent cells (Dyfed-Powys, Other, 2020/21 and 2021/22) stay absent: zero or
    # unpublished is not known, so no row is invented for them
    frame = pd.DataFrame({
        "measure": "stop_search_pfa", "geography_code": out["pfa_code"],
        "geography_name": out["pfa_name"], "geography_level": "pfa",
        "time": out["financial_year"], "ethnicity": out["ethnicity"],
        "numerator": out["total_searches"], "denominator": out["denominator"]})
    not_stated = (stated["missing_searches"] / stated["total_searches"]).rename("share")
    share = p[["police_force", "pfa_code"]].drop_duplicates().join(not_stated, on="police_force")
    note = share.set_index("pfa_code")["share"].map(
        lambda v: f"{v:.0%} of this force's 2024/25 searches have no stated ethnicity")
    frame["note"] = np.where(frame["time"] == "2024/25", frame["geography_code"].map(note), "")
    return pd.concat([frame, national(frame, ENGLAND_WALES)], ignore_index=True)


def build_use_of_force(src: Path, forces: pd.DataFrame) -> pd.DataFrame:
    """Use-of-force tactics per 1,000 residents by officer-perceived group and force."""
    u = pd.read_parquet(src / "indicators/use_of_force_by_ethnicity_force_2018_2020.parquet")
    t = u[u["Tactic"] == "*Total Tactics"].rename(columns={"Police Force": "force"})
    totals = t[t["ethnicity"] == "Number of times tactic reported"]
    ew = totals["force"] == "Total England and Wales"
    summed = totals[~ew].groupby("financial_year")["count"].sum()
    check(summed.tolist() == [630_793, 715_276] and
          totals[ew].set_index("financial_year")["count"].tolist() == [630_793, 715_276],
          "forces sum to England and Wales: 630,793 and 715,276 tactics")
    labels = {"White": "White", "Black (or Black British)": "Black",
              "Asian (or Asian British)": "Asian", "Chinese": "Chinese", "Mixed": "Mixed",
              "Other": "Other"}
    t = t[t["ethnicity"].isin(labels) & ~(t["force"] == "Total England and Wales")].copy()
    t["ethnicity"] = t["ethnicity"].map(labels)
    t["pfa_code"] = force_code(t["force"], forces)
    check(t["count"].notna().all(), "no empty total-tactics cells")
    population = forces.assign(**{"Asian excl. Chinese": forces["Asian"] - forces["Chinese"]})
    population = population.melt(["pfa_code", "pfa_name"], var_name="group",
                                 value_name="denominator")
    # 2018/19 reports Chinese apart from Asian, so Asian is compared with Census Asian less
    # Chinese; 2019/20 has no Chinese category, so Asian is compared with all Census Asian.
    t["group"] = np.where((t["financial_year"] == "2018/19") & (t["ethnicity"] == "Asian"),
                          "Asian excl. Chinese", t["ethnicity"])
    out = t.merge(population, on=["pfa_code", "group"], how="left", validate="many_to_one")
    frame = pd.DataFrame({
        "measure": "use_of_force_pfa", "geography_code": out["pfa_code"],
        "geography_name": out["pfa_name"], "geography_level": "pfa",
        "time": out["financial_year"], "ethnicity": out["ethnicity"],
        "numerator": out["count"], "denominator": out["denominator"],
        "note": np.where(out["group"] == "Asian excl. Chinese",
                         "2018/19: Asian excludes Chinese (reported separately), in both "
                         "the tactics and the population", "")})
    return pd.concat([frame, national(frame, ENGLAND_WALES)], ignore_index=True)


# ---------------------------------------------------------------------------------------
# Education and health

KS4_MEASURES = {  # measure → (numerator column, or None for the Attainment 8 mean)
    "ks4_basics_95": "t_l2basics_95",
    "ks4_basics_94": "t_l2basics_94",
    "ks4_ebacc_entry": "t_ebacc_e_ptq_ee",
    "ks4_ebacc_95": "t_ebacc_95",
    "ks4_ebacc_94": "t_ebacc_94",
    "ks4_attainment8": None,
}
KS4_ENGLAND = {"Asian": 57_606, "Black": 30_819, "Chinese": 1_996, "Mixed": 26_905,
               "White": 405_622}


def build_ks4(src: Path) -> pd.DataFrame:
    """GCSE (KS4) 2018/19 by major ethnic group, upper-tier LAs and England."""
    k = pd.read_parquet(src / "indicators/ks4_la_characteristics_2018_19.parquet")
    check(len(k) == 8_209, "8,209 KS4 rows")
    k = k[(k["breakdown"] == "Ethnic major") & (k["gender"] == "Total")].copy()
    k["ethnicity"] = k["ethnic_major"].str.capitalize()
    k = k[k["geographic_level"].isin(["Local authority", "National"])]
    numbers = ["t_pupils", "t_att8", "avg_att8_unrounded", *filter(None, KS4_MEASURES.values())]
    for column in numbers + ["pt_l2basics_95"]:
        k[column] = pd.to_numeric(k[column], errors="raise")
    la = k["geographic_level"] == "Local authority"
    check(k.loc[la, "new_la_code"].nunique() == 150, "150 English LAs")
    england = k[~la].set_index("ethnicity")["t_pupils"]
    check(england.to_dict() == KS4_ENGLAND, f"England pupils by group: {england.to_dict()}")
    las = k[la].groupby("ethnicity")["new_la_code"].nunique().to_dict()
    check(las == {"White": 150, "Mixed": 150, "Asian": 149, "Black": 147, "Chinese": 143},
          f"LAs with a row per group: {las}")
    check((100 * k["t_l2basics_95"] / k["t_pupils"] - k["pt_l2basics_95"]).abs().max()
          <= 0.05 + 1e-9, "grade 5+ rate = t_l2basics_95 / t_pupils (to rounding)")
    check(np.allclose(k["t_att8"] / k["t_pupils"], k["avg_att8_unrounded"], rtol=1e-12),
          "Attainment 8 mean = t_att8 / t_pupils")
    code = np.where(la, k["new_la_code"], ENGLAND[0])
    name = np.where(la, k["la_name"], ENGLAND[1])
    frames = []
    for measure, numerator in KS4_MEASURES.items():
        frames.append(pd.DataFrame({
            "measure": measure, "geography_code": code, "geography_name": name,
            "geography_level": np.where(la, "utla", "country"), "time": "2018/19",
            "ethnicity": k["ethnicity"].to_numpy(),
            "numerator": k[numerator].to_numpy() if numerator else np.nan,
            "denominator": k["t_pupils"].to_numpy(),
            "value": np.nan if numerator else k["avg_att8_unrounded"].to_numpy()}))
    return pd.concat(frames, ignore_index=True)


RM043_GROUPS = {  # RM043 label → ethnicity written in the scorecard (broad White left out:
    # it overlaps its subgroups, and the reference group is White British)
    "Asian, Asian British or Asian Welsh": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African": "Black",
    "Mixed or Multiple ethnic groups": "Mixed",
    "Other ethnic group": "Other",
    "White: English, Welsh, Scottish, Northern Irish or British": "White British",
    "White: Irish": "White Irish",
    "White: Gypsy or Irish Traveller, Roma or Other White":
        "White Gypsy or Irish Traveller, Roma or Other White",
}


def build_health(src: Path) -> pd.DataFrame:
    """Share of residents not in good health (crude, all ages), RM043, LADs 2021."""
    h = pd.read_parquet(src / "census2021/rm043_general_health_by_ethnic_group_lad.parquet")
    check(len(h) == 8_937 and h["LAD22CD"].nunique() == 331, "8,937 rows, 331 LADs")
    wide = h.pivot_table(index=["LAD22CD", "LAD22NM", "ethnic_group"],
                         columns="general_health", values="count", aggfunc="sum").reset_index()
    check((wide["Good health"] + wide["Not good health"] == wide["Total"]).all(),
          "good + not good = total")
    by_group = wide.pivot(index="LAD22CD", columns="ethnic_group", values="Total")
    white_parts = [g for g in RM043_GROUPS if g.startswith("White")]
    check((by_group[white_parts].sum(axis=1) == by_group["White"]).all(),
          "White subgroups sum to White")
    broad = [g for g in RM043_GROUPS if not g.startswith("White")] + ["White"]
    check((by_group[broad].sum(axis=1) == by_group["Total"]).all(), "broad groups sum to total")
    check(by_group["Total"].sum() == 59_597_505, "E&W usual residents 59,597,505")
    wide = wide[wide["ethnic_group"].isin(RM043_GROUPS)]
    frame = pd.DataFrame({
        "measure": "health_not_good", "geography_code": wide["LAD22CD"],
        "geography_name": wide["LAD22NM"], "geography_level": "lad", "time": "2021",
        "ethnicity": wide["ethnic_group"].map(RM043_GROUPS),
        "numerator": wide["Not good health"], "denominator": wide["Total"]})
    return pd.concat([frame, national(frame, ENGLAND_WALES)], ignore_index=True)


# ---------------------------------------------------------------------------------------
# Housing (Census 2021 RM134) and English proficiency (TS029)

RM134_GROUPS = {  # RM134 group → ethnicity written in the scorecard (broad White and the
    # total are left out: they overlap the White subgroups, and the reference is White British)
    "asian": "Asian", "black": "Black", "mixed": "Mixed", "other": "Other",
    "white_british": "White British", "white_irish": "White Irish",
    "white_grt_other": "White Gypsy or Irish Traveller, Roma or Other White",
}
TENURE_MEASURES = {  # measure → numerator column of RM134 (denominator: all households)
    "housing_owner_occupied": "owned",
    "housing_social_rented": "social_rented",
    "housing_private_rented": "private_rented",
}


def by_country(frame: pd.DataFrame) -> pd.DataFrame:
    """National rows for England, Wales and England and Wales (sums over their LADs)."""
    welsh = frame["geography_code"].str.startswith("W")
    return pd.concat([national(frame[~welsh], ENGLAND), national(frame[welsh], WALES),
                      national(frame, ENGLAND_WALES)], ignore_index=True)


def check_tenure(r: pd.DataFrame) -> None:
    """The identities the shared README promises for RM134, all of them."""
    check(len(r) == 2_979 and r["LAD22CD"].nunique() == 331, "RM134: 331 LADs x 9 groups")
    check(set(r["group"]) == {*RM134_GROUPS, "total", "white"}, "RM134 groups")
    check((r["owned"] == r["owned_outright"] + r["owned_mortgage"]).all(), "owned = parts")
    check((r["rented"] == r["social_rented"] + r["private_rented"]).all(), "rented = parts")
    check((r["total"] == r["owned"] + r["rented"]).all(), "total = owned + rented")
    wide = r.pivot(index="LAD22CD", columns="group", values="total")
    broad = ["asian", "black", "mixed", "other", "white"]
    check((wide[broad].sum(axis=1) == wide["total"]).all(), "broad groups sum to the total")
    white = ["white_british", "white_irish", "white_grt_other"]
    check((wide[white].sum(axis=1) == wide["white"]).all(), "White groups sum to White")
    totals = r[r["group"] == "total"]
    welsh = totals["LAD22CD"].str.startswith("W")
    check(int(totals["total"].sum()) == 24_783_137, "E&W households 24,783,137")
    check(int(totals.loc[~welsh, "total"].sum()) == 23_436_034, "England 23,436,034")
    check(int(totals.loc[welsh, "total"].sum()) == 1_347_103, "Wales 1,347,103")


def build_housing(src: Path) -> pd.DataFrame:
    """Households by tenure and ethnic group of the household reference person, RM134, 2021."""
    r = pd.read_parquet(src / "census2021/rm134_tenure_by_ethnic_group_hrp_lad.parquet")
    check_tenure(r)
    ts021 = pd.read_parquet(src / "census2021/ts021_ethnic_group_19_lad.parquet")
    check(set(r["LAD22CD"]) == set(ts021["LAD22CD"]), "RM134 LAD codes = TS021 LAD codes")
    r = r[r["group"].isin(RM134_GROUPS)]
    frames = [pd.DataFrame({
        "measure": measure, "geography_code": r["LAD22CD"], "geography_name": r["LAD22NM"],
        "geography_level": "lad", "time": "2021", "ethnicity": r["group"].map(RM134_GROUPS),
        "numerator": r[column], "denominator": r["total"]})
        for measure, column in TENURE_MEASURES.items()]
    lad = pd.concat(frames, ignore_index=True)
    return pd.concat([lad, by_country(lad)], ignore_index=True)


TS029 = "Main language is not English (English or Welsh in Wales)"
ENGLISH_LEVELS = {  # TS029 column → short name in the embedded table
    "Main language is English (English or Welsh in Wales)": "main_english",
    TS029: "main_not_english",
    f"{TS029}: Can speak English very well": "very_well",
    f"{TS029}: Can speak English well": "well",
    f"{TS029}: Cannot speak English well": "not_well",
    f"{TS029}: Cannot speak English": "not_at_all",
}


def build_english(src: Path) -> pd.DataFrame:
    """Residents aged 3+ who cannot speak English well or at all, TS029, LADs 2021.

    Not by ethnic group: context for integration beside the population, not a gap.
    """
    t = pd.read_parquet(src / "census2021/ts029_english_proficiency_lad.parquet")
    check(len(t) == 331 and t["lad22cd"].is_unique, "TS029: 331 LADs")
    t = t.rename(columns=ENGLISH_LEVELS)
    levels = ["very_well", "well", "not_well", "not_at_all"]
    check((t[levels].sum(axis=1) == t["main_not_english"]).all(), "levels sum to not English")
    check((t["main_english"] + t["main_not_english"] == t["total_3plus"]).all(),
          "English + not English = residents aged 3+")
    check(int(t["total_3plus"].sum()) == 57_704_237, "E&W residents aged 3+ 57,704,237")
    cannot = t["not_well"] + t["not_at_all"]
    check(np.allclose(100 * cannot / t["total_3plus"],
                      t["pct_cannot_speak_english_well_or_at_all"]), "percent as published")
    lad = pd.DataFrame({
        "measure": "english_not_well_or_at_all", "geography_code": t["lad22cd"],
        "geography_name": t["lad22nm"], "geography_level": "lad", "time": "2021",
        "ethnicity": "All usual residents aged 3 and over", "numerator": cannot,
        "denominator": t["total_3plus"]})
    return pd.concat([lad, by_country(lad)], ignore_index=True)


# ---------------------------------------------------------------------------------------


def build_indicators(src: Path, out: Path) -> None:
    """Write indicators/ind_*.parquet from the shared tables in ``src`` (checked first)."""
    src, out = Path(src), Path(out)
    lookup = area_lookup(src)
    forces = force_populations(src, lookup)
    tables = {
        "ind_stop_search_lad.parquet": build_stop_search_lad(src),
        "ind_stop_search_pfa.parquet": build_stop_search_pfa(src, forces),
        "ind_use_of_force_pfa.parquet": build_use_of_force(src, forces),
        "ind_ks4_utla.parquet": build_ks4(src),
        "ind_health_lad.parquet": build_health(src),
        "ind_housing_lad.parquet": build_housing(src),
        "context_english_lad.parquet": build_english(src),
    }
    out.mkdir(parents=True, exist_ok=True)
    lookup.to_parquet(out / "ind_area_lookup.parquet", compression="zstd", index=False)
    for name, frame in tables.items():
        write(frame, out / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "indicators")
    args = parser.parse_args(argv)
    build_indicators(args.source, args.out)
    for path in sorted([*args.out.glob("ind_*.parquet"), *args.out.glob("context_*.parquet")]):
        print(f"{path.name:32} {path.stat().st_size:>9,} bytes "
              f"{len(pd.read_parquet(path)):>7,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
