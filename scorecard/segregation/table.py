"""The one entry point the CLI calls: every index of a counts table as one tidy table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from .decompose import decompose as decompose_m
from .inference import DEFAULT_DRAWS, DEFAULT_SEED
from .inference import inference as simulate
from .multigroup import MULTIGROUP_INDICES, multigroup
from .twogroup import ALL_TWO_GROUP_INDICES, MIN_GROUP, MIN_UNITS, Units, two_group

COLUMNS = ["area_code", "index", "group", "reference", "value", "expected", "lower", "upper",
           "n_units", "note"]
DECOMPOSITION_COLUMNS = ["component", "weight", "contribution"]


def comparisons(groups: Sequence[str], reference: str | None) -> list[tuple[str, str | None]]:
    """(group, reference) pairs: each group vs ``reference``; else the one pair of two groups;
    else each group vs the rest (reference None)."""
    if reference is not None:
        return [(g, reference) for g in groups if g != reference]
    if len(groups) == 2:
        return [(groups[0], groups[1])]
    return [(g, None) for g in groups]


def _check(frame: pd.DataFrame, unit: str, area: str | None, groups: Sequence[str],
           reference: str | None) -> None:
    """Raise InputError for a missing, repeated or non-count column."""
    for column in [unit, *([area] if area else []), *groups]:
        if column not in frame.columns:
            raise InputError(None, None, column, f"no column {column!r}; columns are: "
                             + ", ".join(map(str, frame.columns)))
    if len(groups) < 2 or len(set(groups)) < len(groups):
        raise InputError(None, None, None, "give at least two different groups")
    if reference is not None and reference not in groups:
        raise InputError(None, None, reference, "the reference group must be one of the groups")
    for column in groups:
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values) or (values < 0).any() or values.isna().any():
            raise InputError(None, None, column, "group columns must hold counts (numbers ≥ 0)")
    blank = frame[unit].isna().to_numpy() | (frame[unit].astype(str).str.strip() == "").to_numpy()
    if blank.any():
        raise InputError(None, int(np.flatnonzero(blank)[0]) + 2, unit, "the unit code is blank")
    repeated = frame[unit].duplicated()
    if repeated.any():
        raise InputError(None, int(np.flatnonzero(repeated)[0]) + 2, unit,
                         f"unit {str(frame[unit][repeated].iloc[0])!r} appears twice")


def compute(
    frame: pd.DataFrame,
    *,
    unit: str,
    area: str | None = None,
    groups: Sequence[str],
    reference: str | None = None,
    decompose: bool = False,
    inference: bool = False,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    min_units: int = MIN_UNITS,
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """Segregation indices of a wide counts table for every area, as one tidy table.

    CLI mapping — ``scorecard indices COUNTS_FILE --unit COL [--area COL] --groups A,B,C
    [--reference G] [--decompose] [--inference] [--seed N] [--draws N] [--out FILE]``:

    - ``frame``: COUNTS_FILE read as a table, one row per unit.
    - ``unit`` = ``--unit``: the column naming units (must be unique).
    - ``area`` = ``--area``: the column naming areas (e.g. la_code); omitted: the whole
      table is one area, ``area_code`` ``all``.
    - ``groups`` = ``--groups`` split on commas: the count columns (at least two).
    - ``reference`` = ``--reference``: two-group indices compare each other group with it;
      omitted with exactly two groups: the first against the second; omitted with more:
      each group against the rest of the listed groups (reference ``rest``).
    - Always: the two-group indices of ``ALL_TWO_GROUP_INDICES`` per comparison and the
      multigroup indices of ``MULTIGROUP_INDICES`` over all listed groups (group ``all``).
    - ``decompose`` = ``--decompose`` (needs ``--area``): adds M and H split into between-
      and within-area parts, per-area and per-group contributions (columns component,
      weight, contribution; ``area_code`` ``all`` for the whole table).
    - ``inference`` = ``--inference``: fills expected (random allocation), lower and upper
      (bootstrap 95%) for dissimilarity, theil_h, mutual_information_m and
      multigroup_theil_h, and adds their ``_bias_corrected`` rows; ``seed`` = ``--seed``,
      ``draws`` = ``--draws``.

    Returns columns area_code, index, group, reference, value, expected, lower, upper,
    n_units, note (+ component, weight, contribution with ``decompose``). Areas with fewer
    than ``min_units`` populated units or fewer than ``min_group`` of a group have an empty
    value and a note. Raises InputError for missing or bad columns.
    """
    groups = list(groups)
    _check(frame, unit, area, groups, reference)
    if decompose and area is None:
        raise InputError(None, None, None, "decomposition needs an area column (--area)")
    pairs = comparisons(groups, reference)
    units = Units.of(frame, area, groups)  # sorted once for every index
    parts = [two_group(units, g, reference=r, indices=ALL_TWO_GROUP_INDICES,
                       min_units=min_units, min_group=min_group) for g, r in pairs]
    parts.append(multigroup(units, indices=MULTIGROUP_INDICES, min_units=min_units))
    result = pd.concat(parts, ignore_index=True)
    if inference:
        result = _with_inference(result, frame, area, groups, pairs, seed, draws, min_units)
    result = result.reindex(columns=COLUMNS)
    if decompose:
        result = pd.concat([result, _decomposition(frame, area, groups)], ignore_index=True)
    return result


def _with_inference(result, frame, area, groups, pairs, seed, draws, min_units):
    """Fill expected/lower/upper from simulation and add the bias-corrected rows."""
    simulated = simulate(frame, area=area, groups=groups, pairs=pairs, draws=draws,
                              seed=seed, min_units=min_units)
    key = ["area_code", "index", "group", "reference"]
    extra = simulated[key + ["expected", "lower", "upper"]]
    merged = result.merge(extra, on=key, how="left")
    corrected = simulated[simulated["index"].str.endswith("_bias_corrected")]
    return pd.concat([merged, corrected], ignore_index=True)


def _decomposition(frame, area, groups) -> pd.DataFrame:
    """Decomposition rows in the result's columns (value = the part, as in decompose)."""
    table = decompose_m(frame, area=area, groups=groups)
    return pd.DataFrame({
        "area_code": table["area_code"], "index": table["index"], "group": table["group"],
        "reference": "", "value": table["value"], "n_units": table["n_units"],
        "note": table["note"], "component": table["component"], "weight": table["weight"],
        "contribution": table["contribution"]}).reindex(
            columns=COLUMNS + DECOMPOSITION_COLUMNS)
