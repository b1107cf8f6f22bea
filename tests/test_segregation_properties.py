"""Properties every table must satisfy: bounds, invariances, exact decomposition."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scorecard.segregation import (
    ALL_TWO_GROUP_INDICES,
    MULTIGROUP_INDICES,
    decompose,
    local_measures,
    multigroup,
    two_group,
)

GROUPS = ["a", "b", "c"]
BOUNDED = ["dissimilarity", "gini", "theil_h", "isolation", "exposure", "correlation_ratio",
           "atkinson_0.1", "atkinson_0.5", "atkinson_0.9"]


@st.composite
def tables(draw):
    units = draw(st.integers(2, 12))
    counts = draw(arrays(np.int64, (units, 3), elements=st.integers(0, 50)))
    counts[0] += 1  # at least one resident of every group…
    counts[1, 0] += 1
    counts[1, 1] += 1  # …and two populated units
    areas = draw(st.lists(st.sampled_from(["P", "Q"]), min_size=units, max_size=units))
    frame = pd.DataFrame(counts, columns=GROUPS)
    frame.insert(0, "code", [f"u{i}" for i in range(units)])
    frame.insert(1, "area", areas)
    return frame


def _values(result: pd.DataFrame) -> pd.Series:
    return result.set_index(["area_code", "index"])["value"].sort_index()


@settings(max_examples=60, deadline=None)
@given(tables())
def test_bounds(frame):
    two = two_group(frame, "a", groups=GROUPS, indices=ALL_TWO_GROUP_INDICES)
    defined = two[two["note"] == ""]
    assert ((defined["value"] >= -1e-12) & (defined["value"] <= 1 + 1e-12)).all()
    assert two.loc[two["note"] != "", "value"].isna().all()
    multi = multigroup(frame, groups=GROUPS)
    defined = multi[multi["note"] == ""].set_index("index")["value"]
    assert (defined >= -1e-12).all()
    for name in ("multigroup_dissimilarity", "multigroup_theil_h", "simpson_interaction",
                 "simpson_concentration", "relative_diversity"):
        assert (defined[defined.index == name] <= 1 + 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(tables(), st.integers(2, 7), st.randoms(use_true_random=False))
def test_unit_order_and_scale_do_not_matter(frame, factor, random):
    shuffled = frame.sample(frac=1, random_state=random.randint(0, 2**31)).reset_index(
        drop=True)
    scaled = frame.assign(**{g: frame[g] * factor for g in GROUPS})
    for variant in (shuffled, scaled):
        for function, kwargs in ((two_group, {"group": "a", "indices": ALL_TWO_GROUP_INDICES}),
                                 (multigroup, {"indices": MULTIGROUP_INDICES})):
            base = _values(function(frame, groups=GROUPS, **kwargs))
            other = _values(function(variant, groups=GROUPS, **kwargs))
            assert np.allclose(base, other, atol=1e-10, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(tables())
def test_dissimilarity_is_symmetric_in_a_pair(frame):
    ab = two_group(frame, "a", reference="b", groups=GROUPS, indices=["dissimilarity"])
    ba = two_group(frame, "b", reference="a", groups=GROUPS, indices=["dissimilarity"])
    assert np.allclose(ab["value"], ba["value"], atol=1e-12, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(tables())
def test_decomposition_parts_sum_to_total(frame):
    parts = decompose(frame, area="area", groups=GROUPS)
    for _, rows in parts.groupby("index"):
        part = rows.set_index("component")
        total = part.loc["total", "value"]
        assert abs(part.loc["between", "value"] + part.loc["within", "value"] - total) < 1e-12
        assert abs(rows.loc[rows["component"] == "area", "contribution"].sum()
                   - part.loc["within", "value"]) < 1e-12
        assert abs(rows.loc[rows["component"] == "group", "contribution"].sum() - total) < 1e-12
    # The between part is the M of the area totals, the within parts the Ms of each area.
    m = parts[parts["index"] == "mutual_information_m"]
    areas_as_units = frame.groupby("area")[GROUPS].sum().reset_index()
    between = multigroup(areas_as_units, area=None, groups=GROUPS,
                         indices=["mutual_information_m"], min_units=1)["value"].iloc[0]
    assert abs(m.loc[m["component"] == "between", "value"].iloc[0] - between) < 1e-12


@settings(max_examples=40, deadline=None)
@given(tables())
def test_local_contributions_sum_to_m(frame):
    local = local_measures(frame, groups=GROUPS)
    m = multigroup(frame, groups=GROUPS, indices=["mutual_information_m"], min_units=1)
    summed = local.groupby("area_code")["m_contribution"].sum()
    m = m.set_index("area_code")
    defined = m["value"].notna()
    # An area where M is undefined (e.g. nobody lives there) has a note instead of a value.
    assert (m.loc[~defined, "note"] != "").all()
    assert np.allclose(summed[m.index[defined]].to_numpy(), m.loc[defined, "value"].to_numpy(),
                       atol=1e-12)
