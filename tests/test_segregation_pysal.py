"""Our indices equal PySAL ``segregation``'s, area by area, on the embedded real data.

PySAL is an independent implementation: each LA is passed to it on its own, as its users do.
The index functions (``_dissim`` …) are called directly where the class adds only overhead;
the classes are checked on a few LAs. PySAL's ``Atkinson`` class ignores its ``b`` argument
(it always calls ``_atkinson`` with b = 0.5), so every b is checked through ``_atkinson``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import census, geography
from scorecard.segregation import (
    ALL_TWO_GROUP_INDICES,
    MULTIGROUP_INDICES,
    contiguity,
    multigroup,
    spatial_dissimilarity,
    spatial_proximity,
    two_group,
)

seg = pytest.importorskip("segregation")
from segregation.multigroup import (  # noqa: E402
    MultiDissim,
    MultiDivergence,
    MultiDiversity,
    MultiInfoTheory,
    MultiNormExposure,
    MultiRelativeDiversity,
    SimpsonsConcentration,
    SimpsonsInteraction,
)
from segregation.multigroup.multi_dissim import _multi_dissim  # noqa: E402
from segregation.multigroup.multi_divergence import _multi_divergence  # noqa: E402
from segregation.multigroup.multi_diversity import _multi_diversity  # noqa: E402
from segregation.multigroup.multi_info_theory import _multi_information_theory  # noqa: E402
from segregation.multigroup.multi_norm_exposure import _multi_normalized_exposure  # noqa: E402
from segregation.multigroup.multi_relative_diversity import _multi_relative_diversity  # noqa: E402
from segregation.multigroup.simpsons_concentration import _simpsons_concentration  # noqa: E402
from segregation.multigroup.simpsons_interaction import _simpsons_interaction  # noqa: E402
from segregation.singlegroup import (  # noqa: E402
    Atkinson,
    CorrelationR,
    Dissim,
    Entropy,
    Gini,
    Interaction,
    Isolation,
    SpatialDissim,
    SpatialProximity,
)
from segregation.singlegroup.atkinson import _atkinson  # noqa: E402
from segregation.singlegroup.correlationr import _correlationr  # noqa: E402
from segregation.singlegroup.dissim import _dissim  # noqa: E402
from segregation.singlegroup.entropy import _entropy  # noqa: E402
from segregation.singlegroup.gini import _gini_seg  # noqa: E402
from segregation.singlegroup.interaction import _interaction  # noqa: E402
from segregation.singlegroup.isolation import _isolation  # noqa: E402

TOLERANCE = 1e-9
SINGLE = {
    "dissimilarity": _dissim, "gini": _gini_seg, "theil_h": _entropy,
    "isolation": _isolation, "exposure": _interaction, "correlation_ratio": _correlationr,
    **{f"atkinson_{b}": (lambda d, g, t, b=b: _atkinson(d, g, t, b=b)) for b in (0.1, 0.5, 0.9)},
}
MULTI = {
    "multigroup_dissimilarity": _multi_dissim,
    "multigroup_theil_h": _multi_information_theory,
    "mutual_information_m": _multi_divergence,
    "simpson_interaction": _simpsons_interaction,
    "simpson_concentration": _simpsons_concentration,
    "normalised_exposure": _multi_normalized_exposure,
    "relative_diversity": _multi_relative_diversity,
    "multigroup_diversity": _multi_diversity,
}
FEW_LAS = ["E09000001", "E08000025", "E06000052", "W06000001"]


@pytest.fixture(scope="module")
def oa() -> census.Counts:
    return census.load(2011, "oa")


def _pysal_single(frame: pd.DataFrame, group: str, functions=SINGLE) -> pd.DataFrame:
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for la, units in frame.groupby("la_code", sort=True):
            for name, function in functions.items():
                rows.append((la, name, function(units, group, "total")[0]))
    return pd.DataFrame(rows, columns=["area_code", "index", "pysal"])


def _compare(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    both = ours.merge(theirs, on=["area_code", "index"], how="outer", validate="1:1")
    defined = both["note"] == ""
    assert defined.sum() > 0
    gap = (both.loc[defined, "value"] - both.loc[defined, "pysal"]).abs()
    worst = both.loc[defined].loc[gap.idxmax()] if len(gap) else None
    assert gap.max() < TOLERANCE, worst
    assert both.loc[~defined, "value"].isna().all()


@pytest.mark.slow
@pytest.mark.parametrize("group", ["white_british", "asian_bangladeshi"])
def test_two_group_equals_pysal_for_every_la(oa, group):
    """PySAL's Gini is a pure-Python double loop (~30 s over all LAs), so it is checked for
    one group; every other index for both."""
    functions = SINGLE if group == "white_british" else {
        name: f for name, f in SINGLE.items() if name != "gini"}
    ours = two_group(oa.frame, group, area="la_code", groups=oa.groups, indices=list(functions))
    _compare(ours, _pysal_single(oa.frame, group, functions))


@pytest.mark.slow
def test_multigroup_equals_pysal_for_every_la(oa):
    ours = multigroup(oa.frame, area="la_code", groups=oa.groups, indices=MULTIGROUP_INDICES)
    rows = []
    for la, units in oa.frame.groupby("la_code", sort=True):
        present = [g for g in oa.groups if units[g].sum() > 0]  # PySAL's logs need this
        for name, function in MULTI.items():
            rows.append((la, name, function(units, present)[0]))
    _compare(ours, pd.DataFrame(rows, columns=["area_code", "index", "pysal"]))


def test_pysal_classes_on_a_few_las(oa):
    frame = oa.to("broad5").frame
    ours = pd.concat([two_group(frame, "black", area="la_code", groups=["asian", "black",
                      "mixed", "white", "other"], indices=ALL_TWO_GROUP_INDICES),
                      multigroup(frame, area="la_code", groups=["asian", "black", "mixed",
                                                                 "white", "other"])])
    value = ours.set_index(["area_code", "index"])["value"]
    classes = {"dissimilarity": Dissim, "gini": Gini, "theil_h": Entropy,
               "isolation": Isolation, "exposure": Interaction,
               "correlation_ratio": CorrelationR, "atkinson_0.5": Atkinson}
    multi = {"multigroup_dissimilarity": MultiDissim, "multigroup_theil_h": MultiInfoTheory,
             "mutual_information_m": MultiDivergence, "simpson_interaction": SimpsonsInteraction,
             "simpson_concentration": SimpsonsConcentration,
             "normalised_exposure": MultiNormExposure,
             "relative_diversity": MultiRelativeDiversity, "multigroup_diversity": MultiDiversity}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for la in FEW_LAS:
            units = frame[frame["la_code"] == la]
            for name, cls in classes.items():
                assert abs(cls(units, "black", "total").statistic - value[la, name]) < TOLERANCE
            for name, cls in multi.items():
                statistic = cls(units, ["asian", "black", "mixed", "white", "other"]).statistic
                assert abs(statistic - value[la, name]) < TOLERANCE, (la, name)


@pytest.fixture(scope="module")
def lsoa_spatial():
    counts = census.load(2011, "lsoa").to("broad5")
    shapes = geography.polygons("lsoa", 2011)
    frame = counts.frame
    position = pd.Index(shapes["code"]).get_indexer(frame["code"])
    weights = contiguity(shapes)[position][:, position]
    return frame, shapes, weights


@pytest.mark.slow
def test_spatial_indices_equal_pysal(lsoa_spatial):
    """Every LA for spatial proximity; contiguity per LA is slow in PySAL, so SpatialDissim
    is checked on every 12th LA (29 LAs, all regions) plus the City of London."""
    frame, shapes, weights = lsoa_spatial
    groups = ["asian", "black", "mixed", "white", "other"]
    sd = spatial_dissimilarity(frame, "black", weights, area="la_code", groups=groups)
    sp = spatial_proximity(frame, "black", shapes, area="la_code", groups=groups)
    value = pd.concat([sd, sp]).set_index(["area_code", "index"])
    located = shapes.merge(frame, on=["code", "la_code"])
    las = sorted(frame["la_code"].unique())
    checked = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n, la in enumerate(las):
            units = located[located["la_code"] == la].reset_index(drop=True)
            ours = value.loc[(la, "spatial_proximity")]
            if ours["note"] != "":
                assert np.isnan(ours["value"])
                continue
            theirs = SpatialProximity(units, "black", "total").statistic
            assert abs(theirs - ours["value"]) < TOLERANCE, la
            if n % 12 == 0 or la == "E09000001":
                theirs = SpatialDissim(units, "black", "total").statistic
                assert abs(theirs - value.loc[(la, "spatial_dissimilarity"), "value"]) \
                    < TOLERANCE, la
                checked += 1
    assert checked >= 29


BATTERY = {"dissimilarity": _dissim, "isolation": _isolation, "exposure": _interaction,
           "theil_h": _entropy}


@pytest.mark.slow
def test_2021_output_area_battery_equals_pysal_for_every_la():
    """The headline battery of 2021 scorecards (each broad group against the rest, on OAs),
    as the national tables and ranks use it, against PySAL LA by LA."""
    from scorecard.segregation.battery import scorecard_indices

    counts = census.load(2021, "oa")
    assert counts.level == "oa" and counts.classification == "broad5"
    table = scorecard_indices(counts)
    assert set(table["unit_level"]) == {"oa"} and table["area_code"].nunique() == 331
    for group in counts.groups:
        ours = table[table["group"] == group][["area_code", "index", "value", "note"]]
        _compare(ours, _pysal_single(counts.frame, group, BATTERY))


@pytest.mark.slow
def test_2021_output_area_multigroup_equals_pysal_for_every_la():
    frame, names = census.load(2021, "oa").frame, census.load(2021, "oa").groups
    wanted = {k: MULTI[k] for k in ("mutual_information_m", "multigroup_theil_h",
                                     "multigroup_dissimilarity")}
    ours = multigroup(frame, area="la_code", groups=names, indices=list(wanted))
    rows = []
    for la, units in frame.groupby("la_code", sort=True):
        present = [g for g in names if units[g].sum() > 0]
        for name, function in wanted.items():
            rows.append((la, name, function(units, present)[0]))
    _compare(ours, pd.DataFrame(rows, columns=["area_code", "index", "pysal"]))
