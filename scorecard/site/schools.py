"""School segregation on the site: per-LA columns for the national map and league table, and
the national school tables for the downloads. Figures come from ``scorecard.schools``."""

from __future__ import annotations

import pandas as pd

from .layers import Layer

# column → (phase, index, group, scale): D across schools and the share of schools
# "segregated" by the ten-nearest-schools test, White British pupils, all schools.
COLUMNS = {
    "school_d_wb_primary": ("primary", "dissimilarity", 1.0),
    "school_d_wb_secondary": ("secondary", "dissimilarity", 1.0),
    "school_segregated_primary": ("primary", "share_segregated", 100.0),
    "school_segregated_secondary": ("secondary", "share_segregated", 100.0),
}
TITLES = {
    "school_d_wb_primary": ("Schools", "D, primary schools",
                            "Dissimilarity of White British pupils from all others across "
                            "primary schools (January 2023)", "Dissimilarity (0 to 1)",
                            "index"),
    "school_d_wb_secondary": ("Schools", "D, secondary schools",
                              "Dissimilarity of White British pupils from all others across "
                              "secondary schools (January 2023)", "Dissimilarity (0 to 1)",
                              "index"),
    "school_segregated_primary": ("Schools", "“Segregated” primary schools",
                                  "Share of primary schools whose White British share differs "
                                  "from their ten nearest schools' by the published test",
                                  "% of primary schools", "share"),
    "school_segregated_secondary": ("Schools", "“Segregated” secondary schools",
                                    "Share of secondary schools whose White British share "
                                    "differs from their ten nearest schools' by the "
                                    "published test", "% of secondary schools", "share"),
}


def la_columns(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per LA district (index ``code``) with the :data:`COLUMNS`."""
    rows = summary[(summary["area_level"] == "la") & (summary["schools"] == "all")
                   & (summary["group"] == "white_british")]
    out = {}
    for column, (phase, index, scale) in COLUMNS.items():
        part = rows[(rows["phase"] == phase) & (rows["index"] == index)]
        out[column] = part.set_index("area_code")["value"] * scale
    return pd.DataFrame(out).rename_axis("code")


def layers() -> list[Layer]:
    return [Layer(column, column, kind, group, short, label, unit)
            for column, (group, short, label, unit, kind) in TITLES.items()]


def write_school_tables(folder, summary: pd.DataFrame, schools: pd.DataFrame) -> list[str]:
    """school_results.csv (tidy, every area) and schools.csv (one row per school)."""
    summary.to_csv(folder / "school_results.csv", index=False, lineterminator="\n")
    schools.to_csv(folder / "schools.csv", index=False, lineterminator="\n")
    return ["school_results.csv", "schools.csv"]


SCHOOL_RADIUS_M = 110.0  # a school's dot on the explorable map (an octagon, metres)
SMALL_SCHOOL = 10  # fewer pupils: shares suppressed, as on the scorecard


def school_layer_list() -> list[Layer]:
    """The school layers of an LA's explorable map (group "Schools")."""
    return [
        Layer("school_wb", "school_wb", "share", "Schools", "White British pupils",
              "White British pupils as a share of each school's pupils (January 2023)",
              "% of pupils"),
        Layer("school_wb_nearby", "school_wb_nearby", "lq", "Schools",
              "White British share ÷ ten nearest",
              "Each school's share of White British pupils divided by that of its ten nearest "
              "schools of the same phase (under 0.5 or 2 or more: “segregated” by the "
              "published ratio test)", "Ratio to the ten nearest schools"),
        Layer("school_fsm", "school_fsm", "share", "Schools", "Free school meals",
              "Pupils eligible for free school meals as a share of each school's pupils "
              "counted (January 2023)", "% of pupils"),
    ]


def school_level(schools: pd.DataFrame, la_code: str):
    """The LA's primary and secondary schools as a level of its explorable map: one small
    octagon per located school, shaded by the school layers; None if it has none."""
    import numpy as np
    import shapely

    from .maps import Level

    mine = schools[(schools["district_code"] == la_code)
                   & schools["phase"].isin(["primary", "secondary"])
                   & schools["easting"].notna()].sort_values("urn")
    if mine.empty:
        return None
    points = shapely.points(mine["easting"].to_numpy(float), mine["northing"].to_numpy(float))
    small = (mine["pupils"].to_numpy(float) < SMALL_SCHOOL)
    fsm_small = (mine["fsm_pupils"] + mine["not_fsm"]).to_numpy(float) < SMALL_SCHOOL
    ratio = mine["share_white_british"] / mine["nearby_white_british"].where(
        mine["nearby_white_british"] > 0)
    frame = pd.DataFrame({
        "code": mine["urn"].astype(str).to_numpy(), "name": mine["school_name"].to_numpy(),
        "school_wb": 100 * mine["share_white_british"].to_numpy(float),
        "school_wb_nearby": ratio.to_numpy(float),
        "school_fsm": 100 * mine["share_fsm"].to_numpy(float)})
    frame = frame.assign(geometry=shapely.buffer(points, SCHOOL_RADIUS_M, quad_segs=2))
    words = {"higher": "“segregated”, higher share than its ten nearest",
             "lower": "“segregated”, lower share than its ten nearest", "": ""}
    info = [f"{phase} school · URN {urn}" + (f" · White British: {words[label]}" if label else "")
            for phase, urn, label in zip(mine["phase"], mine["urn"],
                                         mine["segregated_white_british"], strict=True)]
    suppressed = {"school_wb": small, "school_wb_nearby": small, "school_fsm": fsm_small}
    return Level("schools", "schools", frame, school_layer_list(), info,
                 note="Primary and secondary schools, DfE school census January 2023, at "
                      "their postcode centres; choose a layer under Schools.",
                 tip="Choose a layer under Schools for school values.",
                 suppressed={k: np.asarray(v, bool) for k, v in suppressed.items()})
