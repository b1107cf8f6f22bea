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
    "load_schools",
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
    # change between two censuses on common units
    "common_units",
    "on_common_units",
    "index_change",
    "change_since_2011",
    # school segregation
    "school_segregation",
    "segregated_schools",
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
MIN_UNITS = _twogroup.MIN_UNITS
"""Areas with fewer populated units get no value (default of ``min_units``)."""
MIN_GROUP = _twogroup.MIN_GROUP
"""Areas with fewer members of the group get no value (default of ``min_group``)."""
LOOKUPS = ("lsoa11_lsoa21", "lad11_lad22", "lsoa21_msoa21", "oa11_oa21", "oa21_lsoa21")
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
        ``"lsoa11_lsoa21"`` (ONS exact LSOA 2011 ↔ 2021 lookup with its change type: U
        unchanged, S split, M merged, X irregular), ``"lad11_lad22"`` (local authorities
        2011 → 2022 codes), ``"lsoa21_msoa21"`` (the MSOA of each 2021 LSOA),
        ``"oa11_oa21"`` (ONS best-fit 2011 OA → 2021 OA, one row per 2011 OA, with the
        2011 OA's LSOA) or ``"oa21_lsoa21"`` (the LSOA and LA of each 2021 OA). The last
        three are what [`common_units`][scorecard.api.common_units] takes.

    Returns
    -------
    pandas.DataFrame
        One row per link, codes in ``code_2011`` / ``code_2021`` (``code_2022``),
        ``lsoa_code`` / ``msoa_code``, ``code_2011`` / ``lsoa_2011`` / ``code_2021`` or
        ``code_2021`` / ``lsoa_2021`` / ``la_code``.

    Examples
    --------
    >>> from scorecard import api
    >>> lsoas = api.load_lookup("lsoa11_lsoa21")
    >>> list(lsoas.columns)
    ['code_2011', 'code_2021', 'change', 'la_code']
    >>> lsoas["change"].value_counts().sort_index().to_dict()
    {'M': 239, 'S': 1900, 'U': 33647, 'X': 9}
    >>> oas = api.load_lookup("oa11_oa21")
    >>> list(oas.columns), len(oas), int((oas.code_2011 == oas.code_2021).sum())
    (['code_2011', 'lsoa_2011', 'code_2021'], 181408, 175461)
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
    if name == "oa11_oa21":
        table = geography.oa_lookup(2011)
        return pd.DataFrame({"code_2011": table["code"], "lsoa_2011": table["lsoa"],
                             "code_2021": table["oa_2021"]})
    if name == "oa21_lsoa21":
        table = geography.oa_lookup(2021)
        return pd.DataFrame({"code_2021": table["code"], "lsoa_2021": table["lsoa"],
                             "la_code": table["la_code"]})
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


def load_schools(classification: str | None = None, *,
                 phase: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Embedded DfE school census (January 2023, England): pupils by ethnic group per school.

    One row per state-funded school (nursery and independent schools have no pupil
    ethnicity here and are left out), placed in its 2021 LA district and LSOA from its
    postcode's point. Welsh schools are not in the DfE census.

    Parameters
    ----------
    classification : str, optional
        Sum the 18 DfE groups into ``"broad5"`` (Asian, Black, Mixed, White, Other) or
        ``"white_british2"`` (White British and all others). Default: the 18 DfE groups.
    phase : str or sequence of str, optional
        Only schools of these phases: ``"primary"``, ``"secondary"``, ``"special_ap"``
        (special schools and alternative provision). Default: all three.

    Returns
    -------
    pandas.DataFrame
        Columns ``urn`` (the school's unique reference number), ``school_name``,
        ``la_code`` (the LA running the school: a county for a shire district's schools),
        ``district_code`` (its 2021 LA district), ``lsoa_code``, ``phase``, ``faith``
        (a religious character), ``selective``, ``easting``, ``northing`` (EPSG:27700),
        one count column per group (empty for the 9 schools the census does not count),
        and ``fsm`` / ``not_fsm``: pupils eligible / not eligible for free school meals
        (empty where the census does not count them, or counts more eligible than counted).

    Examples
    --------
    >>> from scorecard import api
    >>> schools = api.load_schools("white_british2", phase="secondary")
    >>> len(schools), int(schools["white_british"].sum())
    (3444, 2271748)
    >>> int(schools["fsm"].sum()), int(schools["not_fsm"].sum())
    (820232, 2371920)
    >>> list(schools.columns[-4:])
    ['white_british', 'not_white_british', 'fsm', 'not_fsm']
    """
    from .groups import map as map_groups
    from .schools import data as _schools

    table = _schools.load()
    if phase is not None:
        wanted = [phase] if isinstance(phase, str) else list(phase)
        unknown = sorted(set(wanted) - set(_schools.PHASE_LABELS))
        if unknown:
            raise InputError(None, None, "phase", f"no phase {unknown[0]!r}; there are: "
                             + ", ".join(_schools.PHASE_LABELS))
        table = table[table["phase"].isin(wanted)].reset_index(drop=True)
    detailed = table[_schools.group_codes()]
    known = detailed.notna().all(axis=1).to_numpy()
    if classification is None or classification == _schools.CLASSIFICATION:
        counts = detailed.astype("Int64")
    else:
        try:
            summed = map_groups(detailed.fillna(0), source=_schools.CLASSIFICATION,
                                to=classification)
        except KeyError:
            raise InputError(None, None, None, f"the 18 DfE groups cannot be summed into "
                             f"{classification!r}; use 'broad5' or 'white_british2'") from None
        counts = summed.astype("Int64").where(pd.Series(known, index=summed.index), pd.NA)
    eligible = table["fsm_eligible"].astype("Int64")
    counted = table["fsm_denominator"].astype("Int64")
    fsm_known = eligible.notna() & counted.notna() & (counted > 0) & (eligible <= counted)
    info = table[["urn", "school_name", "la_code", "district_code", "lsoa_code", "phase",
                  "faith", "selective", "easting", "northing"]]
    fsm = pd.DataFrame({"fsm": eligible.where(fsm_known, pd.NA),
                        "not_fsm": (counted - eligible).where(fsm_known, pd.NA)})
    out = pd.concat([info, counts, fsm], axis=1)
    for column in ("school_name", "la_code", "district_code", "lsoa_code", "phase"):
        out[column] = out[column].astype(object)
    return out


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
                      min_units: int = MIN_UNITS,
                      min_group: int = MIN_GROUP) -> pd.DataFrame:
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
    unit : str
        Column of unit codes (must be unique).
    area : str or None
        Column of area codes; ``None``: the whole table is one area, ``"all"``.
    groups : sequence of str, optional
        Count columns; default every numeric column but the unit, area and ``total``.
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
    unit : str
        Column of unit codes (must be unique).
    area : str or None
        Column of area codes; ``None``: the whole table is one area, ``"all"``.
    groups : sequence of str, optional
        Count columns; default every numeric column but the unit, area and ``total``.

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
                       min_units: int = MIN_UNITS) -> pd.DataFrame:
    """Multigroup indices over all groups at once (group ``"all"``), in every area.

    Formulas as Reardon and Firebaugh (2002) and PySAL ``segregation``, natural logarithms:
    multigroup dissimilarity, Theil's H, the mutual information index M, Simpson's
    interaction and concentration, normalised exposure, relative diversity and the
    diversity (entropy) E of the area's groups.

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
    unit : str
        Column of unit codes (must be unique).
    area : str or None
        Column of area codes; ``None``: the whole table is one area, ``"all"``.
    groups : sequence of str, optional
        Count columns; default every numeric column but the unit, area and ``total``.
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
    unit : str
        Column of unit codes (must be unique).
    area : str or None
        Column of area codes; ``None``: the whole table is one area, ``"all"``.
    groups : sequence of str, optional
        Count columns; default every numeric column but the unit, area and ``total``.

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
                    min_units: int = MIN_UNITS) -> pd.DataFrame:
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
    unit : str
        Column of unit codes (must be unique).
    area : str or None
        Column of area codes; ``None``: the whole table is one area, ``"all"``.
    groups : sequence of str, optional
        Count columns; default every numeric column but the unit, area and ``total``.
    indices : sequence of str, optional
        ``"spatial_dissimilarity"`` and/or ``"spatial_proximity"``; default both given
        polygons, spatial dissimilarity given weights alone.
    standardize : bool
        Row-standardise the weights of spatial dissimilarity (PySAL's ``standardize``).
    alpha : float
        The proximity function's α (PySAL's default 0.6).
    beta : float
        The proximity function's β (PySAL's default 0.5).
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


# ------------------------------------------------------------ change on common units


def common_units(oa_2011: pd.DataFrame | None = None, oa_2021: pd.DataFrame | None = None,
                 lsoa_lookup: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units common to the 2011 and 2021 censuses: sets of output areas holding the same people.

    A common unit is a set of 2011 OAs and a set of 2021 OAs covering the same ground, so
    each census's counts on it are plain sums of its own OAs: nothing is apportioned. Most
    are one unchanged OA (or 2011 OAs merged into one 2021 OA); a split 2011 OA forms one
    unit with all its 2021 parts; where the OA lookup cannot be made exact, a whole
    component of the LSOA lookup is one unit. See [the methods](methods.md#common-units).

    Parameters
    ----------
    oa_2011 : pandas.DataFrame, optional
        One row per 2011 OA: ``code_2011``, ``lsoa_2011`` and ``code_2021`` (its ONS
        best-fit 2021 OA), as ``load_lookup("oa11_oa21")``, the default.
    oa_2021 : pandas.DataFrame, optional
        One row per 2021 OA: ``code_2021``, ``lsoa_2021``, ``la_code``, as
        ``load_lookup("oa21_lsoa21")``, the default.
    lsoa_lookup : pandas.DataFrame, optional
        The exact LSOA lookup: ``code_2011``, ``code_2021``, ``change`` (U, S, M or X), as
        ``load_lookup("lsoa11_lsoa21")``, the default.

    Returns
    -------
    pandas.DataFrame
        One row per output area of either census: ``year``, ``code`` (the OA),
        ``common_unit`` (named after its first 2021 OA), ``la_code`` (the 2022 LA holding
        most of the unit's 2021 OAs) and ``kind`` (``"oa"``, ``"oa_split"`` or
        ``"lsoa"``). Give it to [`on_common_units`][scorecard.api.on_common_units].

    Examples
    --------
    >>> from scorecard import api
    >>> units = api.common_units()
    >>> units.groupby("year").size().to_dict()
    {2011: 181408, 2021: 188880}
    >>> units.drop_duplicates("common_unit")["kind"].value_counts().to_dict()
    {'oa': 175929, 'oa_split': 3983, 'lsoa': 18}
    """
    from .change import since2011 as _since2011
    from .change.common_units import common_units as _find_units

    if oa_2011 is None and oa_2021 is None and lsoa_lookup is None:
        found = _since2011.embedded_common_units()
    else:
        oa_2011 = load_lookup("oa11_oa21") if oa_2011 is None else oa_2011
        oa_2021 = load_lookup("oa21_lsoa21") if oa_2021 is None else oa_2021
        lsoa_lookup = load_lookup("lsoa11_lsoa21") if lsoa_lookup is None else lsoa_lookup
        for table, columns in ((oa_2011, ("code_2011", "lsoa_2011", "code_2021")),
                               (oa_2021, ("code_2021", "lsoa_2021", "la_code")),
                               (lsoa_lookup, ("code_2011", "code_2021", "change"))):
            for column in columns:
                if column not in table.columns:
                    raise InputError(None, None, column, "no such column; the lookup has: "
                                     + ", ".join(map(str, table.columns)))
        try:
            found = _find_units(
                pd.DataFrame({"code": oa_2011["code_2011"].to_numpy(dtype=object),
                              "lsoa": oa_2011["lsoa_2011"].to_numpy(dtype=object),
                              "oa_2021": oa_2011["code_2021"].to_numpy(dtype=object)}),
                pd.DataFrame({"code": oa_2021["code_2021"].to_numpy(dtype=object),
                              "lsoa": oa_2021["lsoa_2021"].to_numpy(dtype=object),
                              "la_code": oa_2021["la_code"].to_numpy(dtype=object)}),
                lsoa_lookup)
        except ValueError as error:
            raise InputError(None, None, None, str(error)) from None
    about = found.units.set_index("code")
    parts = []
    for year, unit_of in ((2011, found.of_2011), (2021, found.of_2021)):
        unit = unit_of.to_numpy(dtype=object)
        parts.append(pd.DataFrame({
            "year": year, "code": unit_of.index.to_numpy(dtype=object), "common_unit": unit,
            "la_code": about["la_code"].reindex(unit).to_numpy(dtype=object),
            "kind": about["kind"].reindex(unit).to_numpy(dtype=object)}))
    return pd.concat(parts, ignore_index=True)


def on_common_units(counts: pd.DataFrame, units: pd.DataFrame, *, year: int,
                    unit: str = "code", groups: Sequence[str] | None = None) -> pd.DataFrame:
    """One census's output-area counts summed to the units common to both censuses.

    Sum every OA of the country (or of the whole area studied), then choose LAs by the
    result's ``la_code``: a unit summed from part of its OAs is not the same people in
    both years.

    Parameters
    ----------
    counts : pandas.DataFrame
        One row per output area of the census ``year``: a unit column of OA codes and one
        count column per group, as ``load_counts(year, "oa")``.
    units : pandas.DataFrame
        The result of [`common_units`][scorecard.api.common_units].
    year : int
        The census of ``counts``, 2011 or 2021.
    unit : str
        Column of OA codes.
    groups : sequence of str, optional
        Count columns; default every numeric column but the unit, area and ``total``.

    Returns
    -------
    pandas.DataFrame
        One row per common unit: ``code`` (the common unit), ``la_code``, the group
        columns and ``total``, sorted by code; ready for the index functions and for
        [`index_change`][scorecard.api.index_change].

    Examples
    --------
    >>> from scorecard import api
    >>> units = api.common_units()
    >>> oa2011 = api.load_counts(2011, "oa", classification="broad5")
    >>> before = api.on_common_units(oa2011, units, year=2011)
    >>> after = api.on_common_units(api.load_counts(2021, "oa"), units, year=2021)
    >>> len(before), len(after)
    (179930, 179930)
    >>> before.columns.tolist()
    ['code', 'la_code', 'asian', 'black', 'mixed', 'white', 'other', 'total']
    >>> int(before["total"].sum()), int(after["total"].sum())
    (56075912, 59599948)
    """
    from .change.common_units import on_common_units as _sum_to_units

    columns = _checked(counts, unit, "la_code" if "la_code" in counts.columns else None,
                       groups)
    for column in ("year", "code", "common_unit", "la_code"):
        if column not in units.columns:
            raise InputError(None, None, column, "units must be the table of common_units()")
    mine = units[units["year"] == year]
    if mine.empty:
        raise InputError(None, None, "year", f"the common units have no output areas of {year}")
    unit_of = pd.Series(mine["common_unit"].to_numpy(dtype=object),
                        index=mine["code"].to_numpy(dtype=object))
    la_of = (mine.drop_duplicates("common_unit").set_index("common_unit")["la_code"])
    frame = pd.DataFrame({"code": counts[unit].to_numpy(dtype=object)})
    _row_positions(frame, "code", unit_of.index, f"common unit in {year}")
    for column in columns:
        frame[column] = counts[column].to_numpy()
    return _sum_to_units(frame, unit_of, la_of, list(columns))


CHANGE_COLUMNS = ["area_code", "index", "group", "reference", "year_from", "year_to",
                  "value_from", "lower_from", "upper_from", "expected_from", "value_to",
                  "lower_to", "upper_to", "expected_to", "change", "change_lower",
                  "change_upper", "direction", "n_units_from", "n_units_to", "note"]
"""Columns of a change table (``index_change``); ``change_since_2011`` adds area names."""


def index_change(before: pd.DataFrame, after: pd.DataFrame, *, unit: str = "code",
                 area: str | None = "la_code", groups: Sequence[str] | None = None,
                 inference: bool = True, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                 years: tuple[int, int] = (2011, 2021)) -> pd.DataFrame:
    """The change of D, H, isolation, exposure, M and multigroup H between two years, per area.

    Both tables hold the same units (common units, from
    [`on_common_units`][scorecard.api.on_common_units]), so a change is a change in where
    people live, not in the units. With ``inference``, each year is bootstrapped on its own
    (year y with seed ``seed + y``); the change's interval is the spread of the differences
    of the two years' draws, and ``direction`` is ``"higher"`` or ``"lower"`` only when
    that interval excludes 0 (else ``"no reliable change"``).

    Parameters
    ----------
    before, after : pandas.DataFrame
        One row per unit in each year: the same units, an area column and the same group
        columns.
    unit : str
        Column of unit codes (must be unique).
    area : str or None
        Column of area codes; ``None``: the whole table is one area, ``"all"``.
    groups : sequence of str, optional
        Count columns; default every numeric column but the unit, area and ``total``.
    inference : bool
        Add each year's 95% interval and expected value under random allocation, and the
        change's interval.
    draws : int
        Draws per year for the intervals and expected values.
    seed : int
        Year y is drawn with seed ``seed + y``.
    years : tuple of int
        The two years, as labels (``year_from``, ``year_to``) and for the seeds.

    Returns
    -------
    pandas.DataFrame
        The [change columns](api.md#change-columns), one row per area × index × group:
        D, H, isolation and exposure of each group against the rest, and M and
        multigroup H (group ``"all"``).

    Raises
    ------
    InputError
        When a unit is in one table and not the other, or a table is malformed.

    Examples
    --------
    >>> from scorecard import api
    >>> units = api.common_units()
    >>> oa2011 = api.load_counts(2011, "oa", classification="broad5")
    >>> before = api.on_common_units(oa2011, units, year=2011)
    >>> after = api.on_common_units(api.load_counts(2021, "oa"), units, year=2021)
    >>> bradford = [t[t.la_code == "E08000032"] for t in (before, after)]
    >>> change = api.index_change(*bradford, draws=99)
    >>> asian = change.set_index(["index", "group"]).loc[("dissimilarity", "asian")]
    >>> asian[["value_from", "value_to", "change"]].astype(float).round(3).tolist()
    [0.692, 0.66, -0.031]
    >>> asian["direction"]
    'lower'
    """
    from .change.difference import change_table

    columns = _checked(before, unit, area, groups)
    _checked(after, unit, area, columns)
    for this, other, which in ((before, after, "second"), (after, before, "first")):
        missing = ~this[unit].isin(other[unit]).to_numpy()
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise InputError(None, row + 2, unit, f"unit {this[unit].iloc[row]!r} is not in "
                             f"the {which} table: give both years on the same (common) units")
    key = "_area"

    def _with_area(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame[[unit, *columns]].copy()
        out[key] = frame[area].to_numpy(dtype=object) if area else "all"
        return out

    table = change_table(_with_area(before), _with_area(after), area=key, groups=columns,
                         inference=inference, draws=draws, seed=seed, years=tuple(years))
    return table.reindex(columns=CHANGE_COLUMNS).sort_values(
        ["area_code", "index", "group"], ignore_index=True)


def change_since_2011(areas: str = "la", *, inference: bool = True,
                      draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Change in segregation between the 2011 and 2021 censuses, on the embedded data.

    The embedded OA counts of both censuses summed to their common units (as
    [`common_units`][scorecard.api.common_units] and
    [`on_common_units`][scorecard.api.on_common_units]) in the five broad groups, the one
    classification both censuses have below LA level, and
    [`index_change`][scorecard.api.index_change] for every 2022 LA, region or the country.
    A region's change comes from its LAs' common units.

    Parameters
    ----------
    areas : str
        ``"la"`` (the 331 LAs of 2022), ``"region"`` or ``"country"`` (England and Wales).
    inference : bool
        Add each year's 95% interval and expected value, and the change's interval.
    draws : int
        Draws per year for the intervals and expected values.
    seed : int
        Year y is drawn with seed ``seed + y``.

    Returns
    -------
    pandas.DataFrame
        The [change columns](api.md#change-columns) with ``area_name``, ``area_level``,
        ``unit_level`` (``"common"``) and ``classification`` (``"broad5"``); the note
        says which groups and, for the three LAs of the 2013 boundary changes, that one
        unit reaches into a neighbour.

    Examples
    --------
    >>> from scorecard import api
    >>> change = api.change_since_2011(inference=False)
    >>> change["area_code"].nunique(), change["index"].nunique()
    (331, 6)
    >>> d = change[change["index"] == "dissimilarity"]
    >>> d.groupby("group")["change"].median().round(3)  # the median LA's change
    group
    asian   -0.030
    black   -0.041
    mixed   -0.036
    other   -0.132
    white   -0.031
    Name: change, dtype: float64
    """
    from .change import since2011 as _since2011

    if areas not in ("la", "region", "country"):
        raise InputError(None, None, None, f"areas is 'la', 'region' or 'country', not "
                         f"{areas!r}")
    return _since2011.index_change(areas=areas, inference=inference, draws=draws, seed=seed)


# --------------------------------------------------------------------- school segregation


SCHOOL_INDICES = ("dissimilarity", "isolation", "exposure", "theil_h", "gorard_segregation")
_SCHOOL_INFO = ("urn", "easting", "northing", "headcount", "fsm", "not_fsm")


def _school_groups(frame: pd.DataFrame, skip: Sequence[str | None],
                   groups: Sequence[str] | None, group: str,
                   reference: str | None) -> list[str]:
    """The count columns of a schools table: as given, else its numeric columns but the
    named ones, the coordinates and the free-school-meal counts (FSM by ``groups``)."""
    if groups is not None:
        return list(groups)
    if group in ("fsm", "not_fsm") and reference in (None, "fsm", "not_fsm"):
        return ["fsm", "not_fsm"]
    left_out = {*[c for c in skip if c], *_SCHOOL_INFO, "total"}
    return [c for c in frame.columns if c not in left_out
            and pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])]


def _counted(frame: pd.DataFrame, columns: Sequence[str], keys: Sequence[str]) -> pd.DataFrame:
    """The rows whose counts are all known, counts as floats (schools without counts are
    left out, as the school census leaves them uncounted)."""
    for column in [*columns, *keys]:
        if column not in frame.columns:
            raise InputError(None, None, column, "no such column; the table has: "
                             + ", ".join(map(str, frame.columns)))
    known = frame[list(columns)].notna().all(axis=1)
    out = frame[known.to_numpy()].copy()
    for column in columns:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    return out


def school_segregation(frame: pd.DataFrame, group: str, *, reference: str | None = None,
                       unit: str = "urn", area: str | None = "district_code",
                       phase: str | None = "phase", groups: Sequence[str] | None = None,
                       indices: Sequence[str] = SCHOOL_INDICES,
                       min_units: int = MIN_UNITS,
                       min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Segregation of pupils between schools: D, isolation, exposure, H and Gorard's index.

    Schools are the units: D is the share of the group's pupils (or of the reference
    group's) who would have to change school for both to be spread alike across the
    area's schools of a phase. Gorard's segregation index GS = ½ Σ_i |g_i/G − t_i/T| (t
    all pupils of the two groups) is the share of the group's pupils who would have to
    change school for an even spread against all pupils; GS = D × (1 − P), P the group's
    share. Every area and phase at once; see [the methods](methods.md#schools).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per school: a unit column, an area column, a phase column and one count
        column per group, as [`load_schools`][scorecard.api.load_schools]. Schools with a
        missing count in the groups used are left out.
    group : str
        The group's count column, e.g. ``"white_british"`` or ``"fsm"``.
    reference : str, optional
        The reference group's column; default all other ``groups`` together.
    unit : str
        Column of school codes.
    area : str or None
        Column of areas (default ``"district_code"``, the 2021 LA district; ``"la_code"``
        for the LA running the schools; ``None``: all schools together, ``"all"``).
    phase : str or None
        Column of phases: schools are compared within their phase; ``None``: all together.
    groups : sequence of str, optional
        Count columns; default the group columns of ``load_schools`` (``fsm`` and
        ``not_fsm`` when ``group`` is ``"fsm"``).
    indices : sequence of str
        Any two-group index of [`two_group_indices`][scorecard.api.two_group_indices] and
        ``"gorard_segregation"``; default D, isolation, exposure, H and Gorard's index.
    min_units : int
        Areas × phases with fewer schools with pupils get no value (a note says why).
    min_group : int
        Areas × phases with fewer pupils of ``group`` get no value.

    Returns
    -------
    pandas.DataFrame
        The [result columns](api.md#result-columns) with ``phase`` after ``area_code``,
        one row per area × phase × index; ``n_units`` counts schools with pupils.

    Examples
    --------
    >>> from scorecard import api
    >>> phases = ["primary", "secondary"]
    >>> schools = api.load_schools("white_british2", phase=phases)
    >>> table = api.school_segregation(schools, "white_british")
    >>> bradford = table[table.area_code == "E08000032"]
    >>> values = bradford.set_index(["phase", "index"])["value"].unstack()
    >>> values[["dissimilarity", "gorard_segregation"]].round(3)
    index      dissimilarity  gorard_segregation
    phase
    primary            0.705               0.420
    secondary          0.637               0.389
    >>> fsm = api.school_segregation(schools, "fsm", reference="not_fsm",
    ...                              indices=["dissimilarity"])
    >>> round(float(fsm.set_index(["area_code", "phase"]).loc[
    ...     ("E08000032", "secondary"), "value"]), 3)
    0.194
    """
    from .schools.indices import _pupil_notes, gorard_index

    known = {*_twogroup.ALL_TWO_GROUP_INDICES, "gorard_segregation"}
    unknown = [name for name in indices if name not in known]
    if unknown:
        raise InputError(None, None, None, f"unknown school index {unknown[0]!r}; known: "
                         + ", ".join(sorted(known)))
    columns = _school_groups(frame, (unit, area, phase), groups, group, reference)
    keys = [c for c in (area, phase) if c]
    table = _counted(frame, columns, [*keys, unit])
    _table._check(table, unit, None, columns, reference)
    if group not in columns:
        raise InputError(None, None, group, "the group must be one of the group columns")
    cells = (table.groupby(keys, sort=True, dropna=False).ngroup().to_numpy() if keys
             else np.zeros(len(table), dtype=np.int64))
    table = table.assign(_cell=cells)
    wanted = [name for name in indices if name != "gorard_segregation"]
    if "gorard_segregation" in indices and "dissimilarity" not in wanted:
        wanted.append("dissimilarity")  # its notes say where Gorard's index is undefined
    result = _twogroup.two_group(table, group, reference=reference, area="_cell",
                                 groups=columns, indices=tuple(wanted), min_units=min_units,
                                 min_group=min_group)
    parts = [result[result["index"].isin(indices)]]
    if "gorard_segregation" in indices:
        pair = [group, reference] if reference else columns
        units = _twogroup.Units.of(table, "_cell", pair)
        gorard = result[result["index"] == "dissimilarity"].copy()
        gorard["index"] = "gorard_segregation"
        value = pd.Series(gorard_index(units, group), index=units.areas.codes)
        gorard["value"] = np.where(gorard["note"] == "",
                                   value.reindex(gorard["area_code"]).to_numpy(), np.nan)
        parts.append(gorard)
    out = _pupil_notes(pd.concat(parts, ignore_index=True))
    described = table.drop_duplicates("_cell").set_index("_cell")
    cell = out["area_code"].to_numpy()
    out["area_code"] = (described[area].reindex(cell).to_numpy(dtype=object) if area
                        else "all")
    out.insert(1, "phase", described[phase].reindex(cell).to_numpy(dtype=object) if phase
               else "all")
    order = {name: i for i, name in enumerate(indices)}
    out = out.assign(_order=out["index"].map(order)).sort_values(
        ["area_code", "phase", "_order"], kind="stable", ignore_index=True)
    return out.reindex(columns=[RESULT_COLUMNS[0], "phase", *RESULT_COLUMNS[1:]])


def segregated_schools(frame: pd.DataFrame, group: str, *, reference: str | None = None,
                       unit: str = "urn", area: str | None = "district_code",
                       phase: str | None = "phase", x: str = "easting", y: str = "northing",
                       groups: Sequence[str] | None = None) -> pd.DataFrame:
    """Each school's share of a group against its ten nearest schools of the same phase.

    The measure of The Challenge, SchoolDash and the iCoCo Foundation ("Understanding
    School Segregation in England: 2011 to 2016", 2017): a school is *segregated* (their
    term) when its share of the group is more than 15 percentage points above or below
    that of its ten nearest schools of the same phase (straight-line distance, across LA
    borders, their pupils pooled), or when its share of the group or of everyone else is
    less than half or more than twice theirs. Done in whole numbers, so a share exactly 15
    points or twice away is never misread by rounding.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per school: a unit column, point coordinates in metres, a phase column and
        whole-number counts, as [`load_schools`][scorecard.api.load_schools] (choose the
        phases to compare: its ``"special_ap"`` schools are compared among themselves).
    group : str
        The group's count column, e.g. ``"white_british"`` or ``"fsm"``.
    reference : str, optional
        The reference group's column; default all other ``groups`` together.
    unit : str
        Column of school codes.
    area : str or None
        A column carried into the result (default the LA district), to count by area.
    phase : str or None
        Column of phases: each school is compared with schools of its phase only.
    x : str
        Column of the school's easting (British National Grid metres by default).
    y : str
        Column of the school's northing.
    groups : sequence of str, optional
        As in [`school_segregation`][scorecard.api.school_segregation].

    Returns
    -------
    pandas.DataFrame
        One row per school: the unit, area and phase columns, ``group``, ``reference``,
        ``share`` (the school's share of the group), ``nearby_share`` (its ten nearest
        schools'), ``segregated`` (``"higher"``, ``"lower"`` or empty) and ``note`` (why a
        school was not compared: no counts, no location, no pupils, too few schools).

    Examples
    --------
    >>> from scorecard import api
    >>> phases = ["primary", "secondary"]
    >>> schools = api.load_schools("white_british2", phase=phases)
    >>> table = api.segregated_schools(schools, "white_british")
    >>> table["segregated"].value_counts().to_dict()
    {'': 13432, 'higher': 4428, 'lower': 2367}
    >>> bradford = table[table.district_code == "E08000032"]
    >>> round(float((bradford.segregated != "").mean()), 3)
    0.578
    """
    from .schools import nearest as _nearest

    columns = _school_groups(frame, (unit, area, phase, x, y), groups, group, reference)
    for column in [unit, x, y, *columns, *[c for c in (area, phase) if c]]:
        if column not in frame.columns:
            raise InputError(None, None, column, "no such column; the table has: "
                             + ", ".join(map(str, frame.columns)))
    if group not in columns or (reference is not None and reference not in columns):
        raise InputError(None, None, group, "the group and reference must be group columns")
    counts = frame[[group, reference] if reference else columns]
    known = counts.notna().all(axis=1).to_numpy()
    values = counts.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = known & ((values < 0) | (values != np.round(values))).any(axis=1)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(None, row + 2, group, "counts must be whole numbers of pupils")
    values = np.nan_to_num(values).astype(np.int64)
    a = values[:, 0] if reference else values[:, columns.index(group)]
    b = values.sum(axis=1)
    n = len(frame)
    xs, ys = frame[x].to_numpy(dtype=float), frame[y].to_numpy(dtype=float)
    located = np.isfinite(xs) & np.isfinite(ys)
    phases = (frame[phase].to_numpy(dtype=object) if phase
              else np.full(n, "all", dtype=object))
    share = np.full(n, np.nan)
    np.divide(a, b, out=share, where=known & (b > 0))
    note = np.select([~known, ~located, b == 0],
                     ["counts missing: not compared", "no location: not compared",
                      "no pupils in the groups: not compared"], "").astype(object)
    nearby, label = _nearest.compare_by_phase(a, b, xs, ys, phases,
                                              known & located & (b > 0), pd.unique(phases), note)
    out = pd.DataFrame({unit: frame[unit].to_numpy()})
    if area:
        out[area] = frame[area].to_numpy()
    if phase:
        out[phase] = phases
    out["group"] = group
    out["reference"] = reference or "rest"
    out["share"], out["nearby_share"] = share, nearby
    out["segregated"], out["note"] = label, note
    return out


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
