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
