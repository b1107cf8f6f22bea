"""Between-school segregation indices for every area, phase and set of schools at once.

Schools are the units and the area is an LA district, a county (the LA that runs a shire
district's schools) or England. Each (area, phase, set of schools) is one *cell*; every cell
of every area goes into one table of units keyed by cell, so each index is one call of the
segregation engine (``scorecard.segregation``) over all of them: no loop over areas.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import groups
from ..segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED, inference
from ..segregation.multigroup import multigroup
from ..segregation.twogroup import TWO_GROUP_INDICES, Areas, Units, _safe_divide, two_group
from . import data

ENGLAND = "E92000001"
MULTIGROUP = ("multigroup_theil_h", "mutual_information_m", "multigroup_dissimilarity")
# Which schools a figure covers: all, or without the schools whose admissions can select
# by faith or by attainment (the questions councils and campaigners ask).
SCHOOL_SETS = {
    "all": "all schools of the phase",
    "no_faith": "without schools with a religious character",
    "no_selective": "without selective (grammar) schools",
    "no_faith_no_selective": "without faith or selective schools",
}
KEY = "cell"


def pupil_counts(schools: pd.DataFrame) -> pd.DataFrame:
    """Per school: pupils by White British / others, by broad group, and FSM / not FSM
    (NaN where the school census has no count), with ``ethnicity_known`` and ``fsm_known``."""
    detailed = schools[data.group_codes()].astype("float64")
    known = detailed.notna().all(axis=1) & (detailed.sum(axis=1) > 0)
    filled = pd.concat([schools[["urn"]], detailed.fillna(0)], axis=1)
    wb = groups.map(filled, source=data.CLASSIFICATION, to="white_british2")
    broad = groups.map(filled, source=data.CLASSIFICATION, to="broad5")
    fsm = schools["fsm_eligible"].astype("float64")
    counted = schools["fsm_denominator"].astype("float64")
    # The DfE file has 54 schools with more pupils eligible than counted: not used for FSM.
    fsm_known = fsm.notna() & counted.notna() & (counted > 0) & (fsm <= counted)
    out = pd.DataFrame({"urn": schools["urn"].to_numpy()})
    for code in groups.codes("white_british2"):
        out[code] = wb[code].where(known).to_numpy()
    for code in groups.codes("broad5"):
        out[code] = broad[code].where(known).to_numpy()
    out["pupils"] = detailed.sum(axis=1).where(known).to_numpy()
    out["fsm"] = fsm.where(fsm_known).to_numpy()
    out["not_fsm"] = (counted - fsm).where(fsm_known).to_numpy()
    out["ethnicity_known"] = known.to_numpy()
    out["fsm_known"] = fsm_known.to_numpy()
    return out


def cells(schools: pd.DataFrame, pupils: pd.DataFrame,
          focus: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per school × cell it belongs to: its district, its county (E10 LAs) and
    England, each for its phase and each set of schools it is in. Columns: ``cell`` (an
    integer key, the same for the same area, level, phase and set), area_code, area_level,
    phase, schools, and the pupil counts.

    With ``focus`` (LA codes), districts and counties outside it get the cells of all
    schools only (enough to rank every LA) and no county cells: a scorecard needs the rest
    for its own LA alone."""
    area_levels = [("la", schools["district_code"].to_numpy(dtype=object)),
                   ("county", schools["la_code"].to_numpy(dtype=object)),
                   ("country", np.full(len(schools), ENGLAND, dtype=object))]
    in_set = {"all": np.ones(len(schools), bool),
              "no_faith": ~schools["faith"].to_numpy(bool),
              "no_selective": ~schools["selective"].to_numpy(bool)}
    in_set["no_faith_no_selective"] = in_set["no_faith"] & in_set["no_selective"]
    phase = schools["phase"].to_numpy(dtype=object)
    rows, parts = [], []
    focused = (np.ones(len(schools), bool) if focus is None else
               np.isin(area_levels[0][1], list(focus)) | np.isin(area_levels[1][1], list(focus)))
    for level, area in area_levels:
        usable = area != ""
        if level == "county":
            usable &= pd.Series(area).str.startswith("E10").to_numpy() & focused
        for name, member in in_set.items():
            chosen = usable & member
            if level == "la" and name != "all":
                chosen &= focused
            take = np.flatnonzero(chosen)
            rows.append(take)
            parts.append(pd.DataFrame({"area_code": area[take], "area_level": level,
                                       "phase": phase[take], "schools": name}))
    index = np.concatenate(rows)
    table = pd.concat(parts, ignore_index=True)
    described = ["area_code", "area_level", "phase", "schools"]
    # Categories: the engine's rows are described by taking from these columns, and taking
    # category codes is far cheaper than taking strings.
    table = table.astype({column: "category" for column in described})
    table.insert(0, KEY, table.groupby(described, sort=True, observed=True).ngroup().to_numpy())
    counts = pupils.iloc[index].reset_index(drop=True).drop(columns="urn")
    return pd.concat([table, counts], axis=1)


def _describe_cells(result: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The engine's rows keyed by cell (in ``area_code``) with the cell's area_code,
    area_level, phase and set of schools in front."""
    described = table[[KEY, "area_code", "area_level", "phase", "schools"]].drop_duplicates(KEY)
    lookup = described.set_index(KEY)
    cell = result["area_code"].to_numpy()
    front = lookup.reindex(cell).reset_index(drop=True)
    front = front.astype({c: object for c in front.columns})  # plain text in the results
    return pd.concat([front, result.drop(columns="area_code").reset_index(drop=True)], axis=1)


def _pupil_notes(table: pd.DataFrame) -> pd.DataFrame:
    """The engine speaks of units with residents; here units are schools with pupils."""
    notes = pd.Series(pd.unique(table["note"].astype(str)))
    words = notes.str.replace("units with residents", "schools with pupils", regex=False)
    words = words.str.replace("residents", "pupils", regex=False)
    table["note"] = table["note"].map(dict(zip(notes, words, strict=True)))
    return table


def gorard_index(units: Units, group: str) -> np.ndarray:
    """Gorard's segregation index per area: GS = ½ Σ_i |g_i/G − t_i/T|, the share of the
    group's members who would have to change school for an even spread against all pupils
    (Gorard and Taylor 2002). Equal to D × (1 − P), P the group's share of the area."""
    areas: Areas = units.areas
    g, t = units.column(group), units.t
    gap = np.abs(g * areas.spread(_safe_divide(1.0, areas.sum(g)))
                 - t * areas.spread(_safe_divide(1.0, areas.sum(t))))
    return 0.5 * areas.sum(gap)


def between_school_indices(table: pd.DataFrame) -> pd.DataFrame:
    """D, isolation, exposure and H of White British vs all others, each broad group vs the
    rest and FSM vs not; multigroup H, M and D over the broad groups; Gorard's index for
    FSM — for every cell of ``table`` (from :func:`cells`). Tidy rows keyed by ``cell``."""
    ethnic = table[table["ethnicity_known"]]
    fsm = table[table["fsm_known"]]
    results = []
    wb_units = Units.of(ethnic, KEY, groups.codes("white_british2"))
    results.append(two_group(wb_units, "white_british", indices=TWO_GROUP_INDICES))
    broad_units = Units.of(ethnic, KEY, groups.codes("broad5"))
    for group in groups.codes("broad5"):
        results.append(two_group(broad_units, group, indices=TWO_GROUP_INDICES))
    results.append(multigroup(broad_units, indices=MULTIGROUP))
    fsm_units = Units.of(fsm, KEY, ["fsm", "not_fsm"])
    fsm_rows = two_group(fsm_units, "fsm", indices=TWO_GROUP_INDICES)
    results.append(fsm_rows)
    gorard = fsm_rows[fsm_rows["index"] == "dissimilarity"].copy()
    gorard["index"] = "gorard_segregation"
    gorard["reference"] = "all pupils"
    gorard["value"] = np.where(gorard["note"] == "", gorard_index(fsm_units, "fsm"), np.nan)
    results.append(gorard)
    return _pupil_notes(_describe_cells(pd.concat(results, ignore_index=True), table))


def with_inference(indices: pd.DataFrame, table: pd.DataFrame, *, draws: int = DEFAULT_DRAWS,
                   seed: int = DEFAULT_SEED, area_codes: Sequence[str] | None = None,
                   phases: Sequence[str] | None = None,
                   workers: int | None = None, step=None) -> pd.DataFrame:
    """Expected D and H at random allocation of pupils to schools, bias-corrected values
    and 95% intervals (``scorecard.segregation.inference``), for the cells of all schools
    (or of the areas in ``area_codes`` and ``phases``); the corrected values are added as
    ``*_bias_corrected`` rows."""
    chosen = table[table["schools"] == "all"]
    if area_codes is not None:
        chosen = chosen[chosen["area_code"].isin(list(area_codes))]
    if phases is not None:
        chosen = chosen[chosen["phase"].isin(list(phases))]
    parts = []
    for known, names, pairs in (
            ("ethnicity_known", groups.codes("white_british2"), [("white_british", None)]),
            ("ethnicity_known", groups.codes("broad5"), [(g, None) for g in
                                                          groups.codes("broad5")]),
            ("fsm_known", ["fsm", "not_fsm"], [("fsm", None)])):
        frame = chosen[chosen[known]]
        if frame.empty:
            continue
        result = inference(frame, area=KEY, groups=names, pairs=pairs, draws=draws, seed=seed,
                           workers=workers)
        if step is not None:  # a progress bar's step, for long runs
            step()
        focal = {g for g, _ in pairs}
        parts.append(result[result["group"].isin(focal)])
    if not parts:
        return indices.assign(expected=np.nan, lower=np.nan, upper=np.nan)
    simulated = _pupil_notes(_describe_cells(pd.concat(parts, ignore_index=True), table))
    key = ["area_code", "area_level", "phase", "schools", "index", "group"]
    merged = indices.merge(simulated[[*key, "expected", "lower", "upper"]], on=key, how="left")
    corrected = simulated[simulated["index"].str.endswith("_bias_corrected")]
    return pd.concat([merged, corrected], ignore_index=True)


def rank_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Rank each LA (and each county) among those with a value of the same index, group,
    phase and set of schools: 1 = the highest value (the most uneven, for D and H)."""
    ranked = table.copy()
    local = ranked["area_level"] != "country"
    keys = ranked[local].groupby(["area_level", "phase", "schools", "index", "group"],
                                 sort=False)["value"]
    ranked["rank"] = pd.Series(pd.NA, index=ranked.index, dtype="Int64")
    ranked["n_ranked"] = pd.Series(pd.NA, index=ranked.index, dtype="Int64")
    ranked.loc[local, "rank"] = keys.rank(ascending=False, method="min").astype("Int64")
    ranked.loc[local, "n_ranked"] = keys.transform("count").astype("Int64")
    return ranked
