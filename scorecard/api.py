"""The public Python API: segregation indices for every area in one call, and the embedded data.

Every index function takes a pandas (or geopandas) frame in *wide* form — one row per unit
(an output area, LSOA, school …), a column naming the unit, a column naming the area it lies
in (a local authority, region …) and one count column per group — and returns one tidy
table, one row per area × index × group, with the [result columns](api.md#result-columns). A value
that cannot be computed is a row with an empty ``value`` and a ``note`` saying why. The
loaders return the embedded national data already in that form, so that

```python
from scorecard import api
counts = api.load_counts(2021, "lsoa")
api.dissimilarity(counts, "black")
```

gives the dissimilarity of Black residents against all others over the LSOAs of every
local authority of England and Wales in 2021. Everything not listed in ``__all__`` is
internal and may change without notice; what is listed follows semantic versioning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import census, gaps, geography
from .errors import InputError
from .segregation import spatial as _spatial
from .segregation import table as _table
from .segregation import twogroup as _twogroup
from .segregation.decompose import decompose as _decompose
from .segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED
from .segregation.inference import inference as _inference
from .segregation.local import local_measures as _local_measures
from .segregation.multigroup import MULTIGROUP_INDICES
from .segregation.multigroup import multigroup as _multigroup

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    # the embedded real data
    "load_counts",
    "load_boundaries",
    "load_units",
    "load_lookup",
    "load_indicators",
    # preparing a table
    "wide_counts",
    # segregation indices
    "indices",
    "dissimilarity",
    "two_group_indices",
    "multigroup_indices",
    "decompose",
    "inference",
    "local_measures",
    "spatial_indices",
    "contiguity_weights",
    # intervals of the gaps engine
    "wilson_interval",
    "newcombe_interval",
    "katz_interval",
    "poisson_interval",
]

RESULT_COLUMNS = list(_table.COLUMNS)
"""Columns of every index table: area_code, index, group, reference, value, expected,
lower, upper, n_units, note."""

TWO_GROUP_INDICES = _twogroup.ALL_TWO_GROUP_INDICES
SPATIAL_INDICES = _spatial.SPATIAL_INDICES
LOOKUPS = ("lsoa11_lsoa21", "lad11_lad22", "lsoa21_msoa21")
MAX_PROXIMITY_PAIRS = 50_000_000  # unit pairs within areas that spatial proximity holds


# ------------------------------------------------------------------------ embedded data


def load_counts(year: int = 2021, level: str = "lsoa", *,
                classification: str | None = None) -> pd.DataFrame:
    """Embedded census counts by ethnic group, one row per unit of a year and level.

    Parameters
    ----------
    year : int
        Census year, 2011 or 2021.
    level : str
        ``"oa"`` (output areas), ``"lsoa"``, ``"msoa"`` or ``"la"`` (local authorities);
        which levels a year has is said in the error for one it lacks.
    classification : str, optional
        Sum the groups into a coarser classification of ``scorecard/groups.csv``, e.g.
        ``"broad5"`` (Asian, Black, Mixed, White, Other) or ``"white_british2"`` (White
        British and all others). Default: the source's own groups.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (GSS unit code), ``la_code`` (the unit's local authority in that
        census's codes), one count column per group code, and ``total``.

    Raises
    ------
    InputError
        For a year or level with no embedded counts.

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2021, "lsoa")
    >>> list(counts.columns)
    ['code', 'la_code', 'asian', 'black', 'mixed', 'white', 'other', 'total']
    >>> len(counts), int(counts["total"].sum())
    (35672, 59597576)
    >>> oa = api.load_counts(2011, "oa", classification="white_british2")
    >>> list(oa.columns), len(oa)
    (['code', 'la_code', 'white_british', 'not_white_british', 'total'], 181408)
    """
    counts = (census.load(year, level) if classification is None
              else census.load_as(year, level, classification))
    return counts.frame.copy()  # the loader's cache stays as read


def load_boundaries(level: str = "la", year: int = 2021, *,
                    la_code: str | None = None) -> gpd.GeoDataFrame:
    """Embedded polygons of one level and census vintage (British National Grid, EPSG:27700).

    Parameters
    ----------
    level : str
        ``"la"``, ``"lsoa"``, ``"msoa"`` or (2021) ``"ward"``.
    year : int
        Vintage of the boundaries, 2011 or 2021.
    la_code : str, optional
        Only the units of this local authority.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code``, ``name``, ``la_code``, ``geometry``; generalised for maps.

    Examples
    --------
    >>> from scorecard import api
    >>> las = api.load_boundaries("la", 2021)
    >>> len(las), las.crs.to_epsg()
    (331, 27700)
    >>> bradford = api.load_boundaries("lsoa", 2021, la_code="E08000032")
    >>> len(bradford)
    312
    """
    return geography.polygons(level, year, la_code)


def load_units(year: int = 2021, level: str | None = None, *,
               la_code: str | None = None) -> pd.DataFrame:
    """Every unit of a census vintage with its name and local authority: the unit lookup.

    Parameters
    ----------
    year : int
        2011 or 2021.
    level : str, optional
        ``"oa"``, ``"lsoa"``, ``"msoa"``, ``"ward"`` or ``"la"``; default all levels.
    la_code : str, optional
        Only the units of this local authority.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``name``, ``level``, ``year``, ``la_code``, ``region_code``,
        ``region_name`` (the region columns are filled for local authorities).

    Examples
    --------
    >>> from scorecard import api
    >>> las = api.load_units(2021, "la")
    >>> len(las)
    331
    >>> las.set_index("code").loc["E08000032", ["name", "region_name"]].tolist()
    ['Bradford', 'Yorkshire and The Humber']
    """
    return geography.units(year, level, la_code)


def load_lookup(name: str) -> pd.DataFrame:
    """An embedded lookup between the units of the two censuses, or between levels.

    Parameters
    ----------
    name : str
        ``"lsoa11_lsoa21"`` (ONS best-fit LSOA 2011 → 2021 with its change type: U
        unchanged, S split, M merged, X irregular), ``"lad11_lad22"`` (local authorities
        2011 → 2022 codes) or ``"lsoa21_msoa21"`` (the MSOA of each 2021 LSOA).

    Returns
    -------
    pandas.DataFrame
        One row per link, codes in ``code_2011`` / ``code_2021`` (``code_2022``) or
        ``lsoa_code`` / ``msoa_code``.

    Examples
    --------
    >>> from scorecard import api
    >>> lsoas = api.load_lookup("lsoa11_lsoa21")
    >>> list(lsoas.columns)
    ['code_2011', 'code_2021', 'change', 'la_code']
    >>> lsoas["change"].value_counts().sort_index().to_dict()
    {'M': 239, 'S': 1900, 'U': 33647, 'X': 9}
    """
    from .change import apportion  # the lookups live with the code that moves counts

    if name == "lsoa11_lsoa21":
        return apportion.lsoa_lookup().copy()
    if name == "lad11_lad22":
        return apportion.lad_lookup().copy()
    if name == "lsoa21_msoa21":
        table = apportion.msoa_of_lsoa()
        return pd.DataFrame({"lsoa_code": table.index.to_numpy(),
                             "msoa_code": table.to_numpy()})
    raise InputError(None, None, None, f"no embedded lookup {name!r}; there are: "
                     + ", ".join(LOOKUPS))


def load_indicators(indicator: str | None = None) -> pd.DataFrame:
    """Embedded race-equality indicators by ethnic group, as tidy observations.

    Parameters
    ----------
    indicator : str, optional
        One indicator id of ``indicators/catalogue.csv`` (e.g. ``"stop_search_lad"``);
        default every embedded indicator.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``geography_code``, ``geography_name``, ``geography_level``,
        ``time``, ``ethnicity``, ``numerator``, ``denominator``, ``value``, ``lower``,
        ``upper``, ``note``: counts where the source gives them, else values.

    Examples
    --------
    >>> from scorecard import api
    >>> stops = api.load_indicators("stop_search_lad")
    >>> bradford = stops[(stops.geography_code == "E08000032") & (stops.time == "2021")]
    >>> bradford[["ethnicity", "numerator", "denominator"]].values.tolist()
    [['Black', 162.0, 16600.0], ['White', 1843.0, 331572.0]]
    """
    from . import indicators

    table = indicators.observations()
    if indicator is None:
        return table.copy()
    known = indicators.catalogue()["id"].tolist()
    if indicator not in known:
        raise InputError(None, None, None, f"no embedded indicator {indicator!r}; there are: "
                         + ", ".join(known))
    return table[table["measure"] == indicator].reset_index(drop=True)


def wide_counts(frame: pd.DataFrame, *, unit: str, group: str, count: str,
                area: str | None = None) -> pd.DataFrame:
    """A long table (one row per unit × group, as R ``segregation`` takes) made wide.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit × group (repeated rows are summed, as R ``segregation`` does).
    unit, group, count : str
        Columns naming the unit, the group and the count (R's ``weight``).
    area : str, optional
        Column naming each unit's area; a unit must lie in one area.

    Returns
    -------
    pandas.DataFrame
        One row per unit: the unit column, the area column (if given), one count column
        per group (missing combinations are 0), sorted by unit.

    Examples
    --------
    >>> from scorecard import api
    >>> long = api.load_counts(2021, "lsoa").melt(
    ...     id_vars=["code", "la_code"], value_vars=["asian", "black", "mixed", "white",
    ...     "other"], var_name="ethnicity", value_name="people")
    >>> wide = api.wide_counts(long, unit="code", group="ethnicity", count="people",
    ...                        area="la_code")
    >>> wide.columns.tolist(), len(wide)
    (['code', 'la_code', 'asian', 'black', 'mixed', 'white', 'other'], 35672)
    """
    for column in [unit, group, count, *([area] if area else [])]:
        if column not in frame.columns:
            raise InputError(None, None, column, "no such column; the table has: "
                             + ", ".join(map(str, frame.columns)))
    keys = [unit, *([area] if area else [])]
    if area is not None:
        places = frame[keys].drop_duplicates()
        split = places[unit].duplicated()
        if split.any():
            raise InputError(None, None, area, f"unit {places[unit][split].iloc[0]!r} lies "
                             "in more than one area")
    order = list(pd.unique(frame[group]))
    wide = frame.pivot_table(index=keys, columns=group, values=count, aggfunc="sum",
                             fill_value=0, observed=True, sort=True)
    wide = wide.reindex(columns=order, fill_value=0).reset_index()
    wide.columns.name = None
    return wide


# ------------------------------------------------------------------------------ indices


def _group_columns(frame: pd.DataFrame, unit: str, area: str | None,
                   groups: Sequence[str] | None) -> list[str]:
    """The count columns: as given, else every numeric column but unit, area and total."""
    if groups is not None:
        return list(groups)
    return [c for c in _twogroup.group_columns(frame, area, None) if c != unit]


def _checked(frame: pd.DataFrame, unit: str, area: str | None,
             groups: Sequence[str] | None, reference: str | None = None) -> list[str]:
    """The group columns, after checking the table (InputError naming row and column)."""
    columns = _group_columns(frame, unit, area, groups)
    _table._check(frame, unit, area, columns, reference)
    return columns


def _result(table: pd.DataFrame) -> pd.DataFrame:
    return table.reindex(columns=RESULT_COLUMNS)


def indices(frame: pd.DataFrame, *, unit: str = "code", area: str | None = "la_code",
            groups: Sequence[str] | None = None, reference: str | None = None,
            decompose: bool = False, inference: bool = False,
            seed: int = DEFAULT_SEED,
            draws: int = DEFAULT_DRAWS) -> pd.DataFrame:
    """Every two-group and multigroup index of a counts table, as ``scorecard indices`` does.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, a unit column, an area column and one count column per group.
    unit : str
        Column of unit codes (must be unique).
    area : str or None
        Column of area codes; ``None``: the whole table is one area, ``"all"``.
    groups : sequence of str, optional
        Count columns; default every numeric column but the unit, area and ``total``.
    reference : str, optional
        Compare each other group with this one. Default: with exactly two groups the
        first against the second; with more, each group against the rest.
    decompose : bool
        Add the between/within-area decomposition of M and H (see
        [`decompose`][scorecard.api.decompose]).
    inference : bool
        Fill ``expected``, ``lower`` and ``upper`` and add bias-corrected rows (see
        [`inference`][scorecard.api.inference]), with ``seed`` and ``draws``.

    Returns
    -------
    pandas.DataFrame
        The [result columns](api.md#result-columns) (and ``component``, ``weight``,
        ``contribution`` with ``decompose``): the nine two-group indices per comparison
        and the eight multigroup indices (group ``"all"``).

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2021, "lsoa")
    >>> table = api.indices(counts)
    >>> table["index"].nunique(), table["area_code"].nunique()
    (17, 331)
    >>> bradford = table.set_index(["area_code", "index", "group"]).loc["E08000032"]
    >>> round(float(bradford.loc[("dissimilarity", "asian"), "value"]), 4)
    0.6359
    """
    columns = _checked(frame, unit, area, groups, reference)
    return _table.compute(frame, unit=unit, area=area, groups=columns, reference=reference,
                          decompose=decompose, inference=inference, seed=seed, draws=draws)


def two_group_indices(frame: pd.DataFrame, group: str, *, reference: str | None = None,
                      unit: str = "code", area: str | None = "la_code",
                      groups: Sequence[str] | None = None,
                      indices: Sequence[str] = TWO_GROUP_INDICES,
                      min_units: int = _twogroup.MIN_UNITS,
                      min_group: int = _twogroup.MIN_GROUP) -> pd.DataFrame:
    """Two-group indices of one group against a reference group, or against all others.

    Formulas as Massey and Denton (1988) and PySAL ``segregation``: dissimilarity D, Gini,
    Atkinson (b = 0.1, 0.5, 0.9), Theil's H, isolation xPx, exposure xPy and the
    correlation ratio V. See the methods page of the documentation for each formula.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, a unit column, an area column and one count column per group.
    group : str
        The group's count column.
    reference : str, optional
        The reference group's column; default all other ``groups`` together.
    unit, area, groups
        As in [`indices`][scorecard.api.indices].
    indices : sequence of str
        Which indices (default all nine: ``"dissimilarity"``, ``"gini"``,
        ``"atkinson_0.1"``, ``"atkinson_0.5"``, ``"atkinson_0.9"``, ``"theil_h"``,
        ``"isolation"``, ``"exposure"``, ``"correlation_ratio"``).
    min_units : int
        Areas with fewer populated units get no value (a note says why).
    min_group : int
        Areas with fewer members of ``group`` get no value.

    Returns
    -------
    pandas.DataFrame
        The [result columns](api.md#result-columns), one row per area × index.

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2011, "oa", classification="white_british2")
    >>> table = api.two_group_indices(counts, "white_british",
    ...                               indices=["dissimilarity", "isolation"])
    >>> newham = table[table.area_code == "E09000025"].set_index("index")["value"]
    >>> newham.round(3).to_dict()
    {'dissimilarity': 0.297, 'isolation': 0.229}
    """
    columns = _checked(frame, unit, area, groups, reference)
    return _result(_twogroup.two_group(frame, group, reference=reference, area=area,
                                       groups=columns, indices=indices, min_units=min_units,
                                       min_group=min_group))


def dissimilarity(frame: pd.DataFrame, group: str, *, reference: str | None = None,
                  unit: str = "code", area: str | None = "la_code",
                  groups: Sequence[str] | None = None) -> pd.DataFrame:
    """The index of dissimilarity D of one group against a reference, in every area.

    D = ½ Σ_i |x_i/X − y_i/Y|: the share of either group that would have to move to
    another unit for both to be spread alike. Readings: 0.6 or more very high, 0.4 to 0.6
    moderate, 0.3 or less low. Small groups inflate D: see
    [`inference`][scorecard.api.inference] for its value expected at random and a
    bias-corrected value.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, a unit column, an area column and one count column per group.
    group : str
        The group's count column.
    reference : str, optional
        The reference group's column; default all other ``groups`` together.
    unit, area, groups
        As in [`indices`][scorecard.api.indices].

    Returns
    -------
    pandas.DataFrame
        The [result columns](api.md#result-columns), one row per area.

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2021, "lsoa")
    >>> d = api.dissimilarity(counts, "black").set_index("area_code")
    >>> round(float(d.loc["E09000022", "value"]), 3), int(d.loc["E09000022", "n_units"])
    (0.26, 181)
    """
    return two_group_indices(frame, group, reference=reference, unit=unit, area=area,
                             groups=groups, indices=("dissimilarity",))


def multigroup_indices(frame: pd.DataFrame, *, unit: str = "code",
                       area: str | None = "la_code", groups: Sequence[str] | None = None,
                       indices: Sequence[str] = MULTIGROUP_INDICES,
                       min_units: int = _twogroup.MIN_UNITS) -> pd.DataFrame:
    """Multigroup indices over all groups at once (group ``"all"``), in every area.

    Formulas as Reardon and Firebaugh (2002) and PySAL ``segregation``, natural logarithms:
    multigroup dissimilarity, Theil's H, the mutual information index M, Simpson's
    interaction and concentration, normalised exposure, relative diversity and the
    diversity (entropy) E of the area's groups.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, a unit column, an area column and one count column per group.
    unit, area, groups
        As in [`indices`][scorecard.api.indices].
    indices : sequence of str
        Which indices (default all eight: ``"multigroup_dissimilarity"``,
        ``"multigroup_theil_h"``, ``"mutual_information_m"``, ``"simpson_interaction"``,
        ``"simpson_concentration"``, ``"normalised_exposure"``, ``"relative_diversity"``,
        ``"multigroup_diversity"``).
    min_units : int
        Areas with fewer populated units get no segregation value (diversity needs one).

    Returns
    -------
    pandas.DataFrame
        The [result columns](api.md#result-columns), one row per area × index, group ``"all"``.

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2021, "lsoa")
    >>> m = api.multigroup_indices(counts, indices=["mutual_information_m",
    ...                                             "multigroup_theil_h"])
    >>> m.groupby("index")["value"].max().round(3).to_dict()
    {'multigroup_theil_h': 0.389, 'mutual_information_m': 0.328}
    """
    columns = _checked(frame, unit, area, groups)
    return _result(_multigroup(frame, area=area, groups=columns, indices=indices,
                                          min_units=min_units))


def decompose(frame: pd.DataFrame, *, unit: str = "code", area: str = "la_code",
              parent: str | None = None,
              groups: Sequence[str] | None = None) -> pd.DataFrame:
    """Split M and Theil's H of each parent into between-area and within-area parts.

    For units nested in areas nested in a parent (the whole table, or e.g. a region):
    M = M_between + Σ_w p_w M_w and H = H_between + Σ_w p_w (E_w / E) H_w, exactly
    (Theil; Mora and Ruiz-Castillo 2011; R ``segregation``'s ``mutual_within``). M also
    splits over groups: M = Σ_k P_k L_k (R's ``mutual_local`` with units and groups
    swapped).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, a unit column, an area column and one count column per group.
    unit : str
        Column of unit codes (must be unique).
    area : str
        Column of areas, the middle level.
    parent : str, optional
        Column of parents; default the whole table is one parent, ``"all"``.
    groups : sequence of str, optional
        Count columns; default every numeric column but unit, area, parent and ``total``.

    Returns
    -------
    pandas.DataFrame
        Columns area_code, parent_code, index, group, component, value, weight,
        contribution, n_units, note. Per parent and index (``mutual_information_m``,
        ``multigroup_theil_h``): components ``total``, ``between``, ``within``; an
        ``area`` row per area (its own index, weight and contribution = weight × value,
        summing to ``within``) and a ``group`` row per group.

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2021, "lsoa")
    >>> parts = api.decompose(counts)
    >>> m = parts[(parts["index"] == "mutual_information_m") & (parts.group == "all")]
    >>> m[m.component != "area"].set_index("component")["value"].round(4).to_dict()
    {'total': 0.1652, 'between': 0.1094, 'within': 0.0559}
    """
    columns = [c for c in _checked(frame, unit, area, groups) if c != parent]
    return _decompose(frame, area=area, groups=columns, parent=parent)


def inference(frame: pd.DataFrame, group: str | Sequence[str] | None = None, *,
              reference: str | None = None, unit: str = "code",
              area: str | None = "la_code", groups: Sequence[str] | None = None,
              draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
              workers: int | None = None) -> pd.DataFrame:
    """D and H with their values expected at random, bias-corrected values and intervals.

    Two simulations keep each unit's population: random allocation (each unit drawn from
    its area's mix) gives the ``expected`` value under no segregation; the bootstrap
    (each unit redrawn from its own mix) gives the bias-corrected value 2·value − mean and
    the 95% interval (Allen et al. 2015). Seeded: the same inputs give the same numbers,
    whatever ``workers``.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, a unit column, an area column and one count column per group.
    group : str or sequence of str, optional
        The group(s) compared; default every group.
    reference : str, optional
        The reference group; default all other groups together.
    unit, area, groups
        As in [`indices`][scorecard.api.indices].
    draws : int
        Simulated tables of each kind (default 199).
    seed : int
        Seed of the random draws.
    workers : int, optional
        Processes sharing the draws; default one, or every CPU for large tables.

    Returns
    -------
    pandas.DataFrame
        The [result columns](api.md#result-columns) for ``dissimilarity`` and ``theil_h`` per
        compared group and ``mutual_information_m`` and ``multigroup_theil_h`` over all
        groups, each also as an ``_bias_corrected`` row.

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2021, "lsoa")
    >>> hartlepool = counts[counts.la_code == "E06000001"]
    >>> table = api.inference(hartlepool, "black", draws=19, seed=1)
    >>> d = table.set_index("index").loc["dissimilarity"]
    >>> bool(d["expected"] < d["value"]), bool(d["lower"] < d["value"] < d["upper"])
    (True, True)
    """
    columns = _checked(frame, unit, area, groups, reference)
    chosen = columns if group is None else [group] if isinstance(group, str) else list(group)
    pairs = [(g, reference) for g in chosen if g != reference]
    return _result(_inference(frame, area=area, groups=columns, pairs=pairs,
                                        draws=draws, seed=seed, workers=workers))


def local_measures(frame: pd.DataFrame, *, unit: str = "code", area: str | None = "la_code",
                   groups: Sequence[str] | None = None) -> pd.DataFrame:
    """Per-unit measures to map: location quotients, local entropy and local M.

    ``lq_<group>`` = p_ik / P_k (1 = the area's share); ``entropy`` = −Σ_k p_ik ln p_ik and
    ``entropy_ratio`` = E_i / E; ``mutual_local`` = Σ_k p_ik ln(p_ik / P_k) and
    ``unit_share`` p_i = t_i / T, with ``m_contribution`` = p_i · ls_i summing to the
    area's M (R ``segregation``'s ``mutual_local``: ``ls`` and ``p``).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, a unit column, an area column and one count column per group.
    unit, area, groups
        As in [`indices`][scorecard.api.indices].

    Returns
    -------
    pandas.DataFrame
        One row per unit in the frame's order: the unit column, ``area_code``, the
        measures above and ``note`` (units with no residents have empty values).

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2021, "lsoa")
    >>> local = api.local_measures(counts)
    >>> bradford = local[local.area_code == "E08000032"]
    >>> round(float(bradford["m_contribution"].sum()), 4)
    0.2896
    >>> round(float(bradford["lq_asian"].max()), 2)
    2.93
    """
    columns = _checked(frame, unit, area, groups)
    return _local_measures(frame, unit=unit, area=area, groups=columns)


# -------------------------------------------------------------------- spatial indices


def contiguity_weights(polygons: gpd.GeoDataFrame, *, unit: str = "code",
                       area: str | None = "la_code") -> Any:
    """Queen contiguity between polygons, with links only between units of the same area.

    Built once over every polygon by libpysal (PySAL ``segregation`` builds the same links
    one area at a time) and usable for any group: pass it to
    [`spatial_indices`][scorecard.api.spatial_indices].

    Parameters
    ----------
    polygons : geopandas.GeoDataFrame
        One polygon per unit, a unit column and (optionally) an area column.
    unit : str
        Column of unit codes: the weights' ids.
    area : str or None
        Column of areas; ``None`` keeps every link.

    Returns
    -------
    libpysal.weights.WSP
        Sparse weights with ``id_order`` the unit codes in the polygons' order.

    Examples
    --------
    >>> from scorecard import api
    >>> bradford = api.load_boundaries("lsoa", 2021, la_code="E08000032")
    >>> weights = api.contiguity_weights(bradford)
    >>> weights.n, weights.sparse.nnz
    (312, 1736)
    """
    from libpysal.weights import WSP

    for column in [unit, *([area] if area else [])]:
        if column not in polygons.columns:
            raise InputError(None, None, column, "no such column among the polygons'")
    shapes = polygons if area else polygons.assign(_area="all")
    matrix = _spatial.contiguity(shapes, area or "_area")
    return WSP(matrix, id_order=polygons[unit].tolist())


def _row_positions(frame: pd.DataFrame, unit: str, ids: Sequence[Any], what: str) -> np.ndarray:
    """Position in ``ids`` of each unit of the frame; InputError naming the first missing."""
    position = pd.Index(ids).get_indexer(frame[unit])
    if (position < 0).any():
        row = int(np.flatnonzero(position < 0)[0])
        raise InputError(None, row + 2, unit, f"unit {frame[unit].iloc[row]!r} has no {what}")
    return position


def _weights_matrix(frame: pd.DataFrame, unit: str, area: str | None, weights: Any):
    """Weights as a sparse matrix in the frame's row order, links only within an area."""
    import scipy.sparse as sp

    if hasattr(weights, "sparse") and hasattr(weights, "id_order"):  # libpysal W or WSP
        ids = list(weights.id_order)
        matrix = sp.csr_array(weights.sparse)
        if set(frame[unit]) <= set(ids):
            position = _row_positions(frame, unit, ids, "row in the weights")
            matrix = matrix[position][:, position]
        elif ids != list(range(len(frame))):
            _row_positions(frame, unit, ids, "row in the weights")  # raises
    else:
        matrix = sp.csr_array(weights)
    if matrix.shape != (len(frame), len(frame)):
        raise InputError(None, None, None, f"weights are {matrix.shape[0]} × "
                         f"{matrix.shape[1]} but the table has {len(frame)} units")
    links = sp.coo_array(matrix)
    if area is not None:
        owner = pd.factorize(frame[area])[0]
        same = owner[links.row] == owner[links.col]
        links = sp.coo_array((links.data[same], (links.row[same], links.col[same])),
                             shape=links.shape)
    return sp.csr_array(links)


def _aligned_polygons(frame: pd.DataFrame, unit: str, area: str | None,
                      polygons: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One polygon per row of the frame (columns code, area, geometry), checked."""
    import geopandas as gpd

    if unit not in polygons.columns:
        raise InputError(None, None, unit, "the polygons have no column of unit codes of "
                         "this name")
    if polygons.crs is not None and polygons.crs.is_geographic:
        raise InputError(None, None, "geometry", "the polygons are in longitude and latitude "
                         f"({polygons.crs.to_string()}); reproject them to a projected CRS "
                         "in metres, e.g. British National Grid (EPSG:27700)")
    position = _row_positions(frame, unit, polygons[unit], "polygon")
    area_values = frame[area].to_numpy() if area else np.full(len(frame), "all", dtype=object)
    return gpd.GeoDataFrame({"code": frame[unit].to_numpy(), "area": area_values},
                            geometry=polygons.geometry.to_numpy()[position], crs=polygons.crs)


def spatial_indices(frame: pd.DataFrame, group: str, *,
                    polygons: gpd.GeoDataFrame | None = None, weights: Any = None,
                    reference: str | None = None, unit: str = "code",
                    area: str | None = "la_code", groups: Sequence[str] | None = None,
                    indices: Sequence[str] | None = None, standardize: bool = False,
                    alpha: float = 0.6, beta: float = 0.5,
                    min_units: int = _twogroup.MIN_UNITS) -> pd.DataFrame:
    """Spatial dissimilarity and spatial proximity of one group, in every area at once.

    Spatial dissimilarity (Morrill 1991, PySAL ``SpatialDissim``): SD = D − Σ c_ij |p_i −
    p_j| / Σ c_ij over neighbouring units (Queen contiguity of the polygons, or the given
    weights). Spatial proximity (Massey and Denton 1988, PySAL ``SpatialProximity``): SP =
    (X P_xx + Y P_yy) / (T P_tt), with c_ij = 1 − exp(−d_ij / Σ_k d_jk) between centroids
    and c_ii = 1 − exp(−(α a_i)^β). Both equal PySAL's, area by area.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, a unit column, an area column and one count column per group.
    group : str
        The group's count column.
    polygons : geopandas.GeoDataFrame, optional
        One polygon per unit (in a projected CRS in metres), with the unit column.
    weights : libpysal W or WSP, or a square sparse matrix, optional
        Neighbours for spatial dissimilarity: W/WSP ids are unit codes (or 0 … n−1 in the
        frame's row order); a matrix is in the frame's row order. Links between units of
        different areas are dropped. Default: Queen contiguity of ``polygons``.
    reference : str, optional
        The reference group's column; default all other ``groups`` together.
    unit, area, groups
        As in [`indices`][scorecard.api.indices].
    indices : sequence of str, optional
        ``"spatial_dissimilarity"`` and/or ``"spatial_proximity"``; default both given
        polygons, spatial dissimilarity given weights alone.
    standardize : bool
        Row-standardise the weights of spatial dissimilarity (PySAL's ``standardize``).
    alpha, beta : float
        The proximity function's parameters (PySAL's defaults 0.6 and 0.5).
    min_units : int
        Areas with fewer populated units get no value.

    Returns
    -------
    pandas.DataFrame
        The [result columns](api.md#result-columns), one row per area × index.

    Examples
    --------
    >>> from scorecard import api
    >>> counts = api.load_counts(2021, "lsoa")
    >>> bradford = counts[counts.la_code == "E08000032"]
    >>> polygons = api.load_boundaries("lsoa", 2021, la_code="E08000032")
    >>> table = api.spatial_indices(bradford, "asian", polygons=polygons)
    >>> table.set_index("index")["value"].round(3).to_dict()
    {'spatial_dissimilarity': 0.526, 'spatial_proximity': 1.213}
    """
    columns = _checked(frame, unit, area, groups, reference)
    if polygons is None and weights is None:
        raise InputError(None, None, None, "spatial indices need polygons or weights")
    if indices is None:
        indices = SPATIAL_INDICES if polygons is not None else ("spatial_dissimilarity",)
    unknown = [name for name in indices if name not in SPATIAL_INDICES]
    if unknown:
        raise InputError(None, None, None, f"unknown spatial index {unknown[0]!r}; known: "
                         + ", ".join(SPATIAL_INDICES))
    shapes = _aligned_polygons(frame, unit, area, polygons) if polygons is not None else None
    parts = []
    if "spatial_dissimilarity" in indices:
        matrix = (_weights_matrix(frame, unit, area, weights) if weights is not None
                  else _spatial.contiguity(shapes, "area"))
        parts.append(_spatial.spatial_dissimilarity(
            frame, group, matrix, reference=reference, area=area, groups=columns,
            standardize=standardize, min_units=min_units))
    if "spatial_proximity" in indices:
        if shapes is None:
            raise InputError(None, None, None, "spatial proximity needs polygons")
        _check_proximity_size(frame, area)
        parts.append(_spatial.spatial_proximity(
            frame, group, shapes, unit=unit, reference=reference, area=area, groups=columns,
            alpha=alpha, beta=beta, min_units=min_units))
    return _result(pd.concat(parts, ignore_index=True))


def _check_proximity_size(frame: pd.DataFrame, area: str | None) -> None:
    """Spatial proximity holds every pair of units of an area: refuse what cannot fit."""
    sizes = (frame[area].value_counts().to_numpy() if area is not None
             else np.array([len(frame)]))
    pairs = int((sizes.astype(np.int64) ** 2).sum())
    if pairs > MAX_PROXIMITY_PAIRS:
        raise InputError(None, None, area, f"spatial proximity needs every pair of units "
                         f"within an area ({pairs:,} pairs here, at most "
                         f"{MAX_PROXIMITY_PAIRS:,}): give smaller areas")


# ------------------------------------------------------------------------- intervals


def _z(level: float) -> float:
    from scipy import special

    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1, e.g. 0.95")
    return float(-special.ndtri((1 - level) / 2))


def _interval_table(value, lower, upper, like) -> pd.DataFrame:
    """value, lower, upper as a frame, on the index of ``like`` when it is a Series."""
    index = like.index if isinstance(like, pd.Series) else None
    return pd.DataFrame({"value": np.atleast_1d(value), "lower": np.atleast_1d(lower),
                         "upper": np.atleast_1d(upper)}, index=index)


def wilson_interval(count, total, *, level: float = 0.95) -> pd.DataFrame:
    """A proportion count / total with its Wilson score interval.

    Parameters
    ----------
    count, total : number or array-like
        Numerators and denominators (one interval per pair).
    level : float
        Confidence level (default 0.95).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (the proportion), ``lower``, ``upper``, on the index of
        ``count`` when it is a Series; empty where total is 0.

    Examples
    --------
    >>> from scorecard import api
    >>> ks4 = api.load_indicators("ks4_basics_95")  # GCSE English and maths, grade 5+
    >>> bradford = ks4[ks4.geography_code == "E08000032"].set_index("ethnicity")
    >>> api.wilson_interval(bradford["numerator"], bradford["denominator"]).round(3)
               value  lower  upper
    ethnicity
    Asian      0.350  0.333  0.368
    Black      0.299  0.217  0.396
    Chinese    0.833  0.436  0.970
    Mixed      0.331  0.275  0.391
    White      0.339  0.322  0.357
    """
    x, n = np.asarray(count, dtype=float), np.asarray(total, dtype=float)
    lower, upper = gaps.wilson(x, n, _z(level))
    with np.errstate(divide="ignore", invalid="ignore"):
        return _interval_table(x / n, lower, upper, count)


def newcombe_interval(count, total, reference_count, reference_total, *,
                      level: float = 0.95) -> pd.DataFrame:
    """A difference of proportions with Newcombe's hybrid score interval (method 10).

    Parameters
    ----------
    count, total : number or array-like
        The group's numerator and denominator.
    reference_count, reference_total : number or array-like
        The reference group's.
    level : float
        Confidence level (default 0.95).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (count/total − reference_count/reference_total), ``lower``,
        ``upper``, as proportions (× 100 for percentage points).

    Examples
    --------
    >>> from scorecard import api
    >>> ks4 = api.load_indicators("ks4_basics_95")  # GCSE English and maths, grade 5+
    >>> bradford = ks4[ks4.geography_code == "E08000032"].set_index("ethnicity")
    >>> black, white = bradford.loc["Black"], bradford.loc["White"]
    >>> gap = api.newcombe_interval(black.numerator, black.denominator,
    ...                             white.numerator, white.denominator)
    >>> (gap * 100).round(1).iloc[0].tolist()  # percentage points
    [-4.0, -12.4, 5.9]
    """
    z = _z(level)
    value, lower, upper = gaps.newcombe(count, total, reference_count, reference_total, z)
    return _interval_table(value, lower, upper, count)


def katz_interval(count, total, reference_count, reference_total, *,
                  level: float = 0.95) -> pd.DataFrame:
    """A ratio of proportions ("times as likely") with the Katz log interval.

    Parameters
    ----------
    count, total : number or array-like
        The group's numerator and denominator.
    reference_count, reference_total : number or array-like
        The reference group's.
    level : float
        Confidence level (default 0.95).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (the ratio), ``lower``, ``upper``; the interval is empty where a
        count is 0 (the log interval does not exist).

    Examples
    --------
    >>> from scorecard import api
    >>> ks4 = api.load_indicators("ks4_basics_95")  # GCSE English and maths, grade 5+
    >>> bradford = ks4[ks4.geography_code == "E08000032"].set_index("ethnicity")
    >>> asian, white = bradford.loc["Asian"], bradford.loc["White"]
    >>> api.katz_interval(asian.numerator, asian.denominator, white.numerator,
    ...                   white.denominator).round(2).iloc[0].tolist()
    [1.03, 0.96, 1.11]
    """
    value, lower, upper = gaps.katz_ratio(count, total, reference_count, reference_total,
                                          _z(level))
    return _interval_table(value, lower, upper, count)


def poisson_interval(count, exposure, *, level: float = 0.95) -> pd.DataFrame:
    """A rate of events count / exposure with its exact (Garwood) Poisson interval.

    For events that can repeat for one person (e.g. stops per resident), where a
    proportion's interval does not apply.

    Parameters
    ----------
    count : number or array-like
        Events.
    exposure : number or array-like
        People (or person-years) at risk.
    level : float
        Confidence level (default 0.95).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (the rate per unit of exposure), ``lower``, ``upper``.

    Examples
    --------
    >>> from scorecard import api
    >>> stops = api.load_indicators("stop_search_lad")
    >>> black = stops[(stops.geography_code == "E08000032") & (stops.time == "2021")
    ...               & (stops.ethnicity == "Black")].iloc[0]
    >>> rate = api.poisson_interval(black.numerator, black.denominator)
    >>> (rate * 1000).round(2).iloc[0].tolist()  # per 1,000 residents
    [9.76, 8.31, 11.38]
    """
    x, n = np.asarray(count, dtype=float), np.asarray(exposure, dtype=float)
    lower, upper = gaps.poisson_rate(x, n, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _interval_table(x / n, lower, upper, count)
