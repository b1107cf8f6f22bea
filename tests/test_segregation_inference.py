"""Simulated expected values and intervals: reproducible, sensible, fast enough."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard import census
from scorecard.segregation import inference


def small() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.integers(0, 40, size=(60, 3)), columns=["a", "b", "c"])
    frame["area"] = np.repeat(["P", "Q", "R"], 20)
    frame.loc[frame["area"] == "R", "a"] = 0  # a group absent: noted, not NaN silently
    return frame


def test_same_seed_same_result_any_workers():
    one = inference(small(), groups=["a", "b", "c"], draws=20, seed=3, workers=1)
    again = inference(small(), groups=["a", "b", "c"], draws=20, seed=3, workers=1)
    split = inference(small(), groups=["a", "b", "c"], draws=20, seed=3, workers=2)
    pd.testing.assert_frame_equal(one, again)
    pd.testing.assert_frame_equal(one, split)
    other = inference(small(), groups=["a", "b", "c"], draws=20, seed=4, workers=1)
    assert not np.allclose(one["lower"], other["lower"], equal_nan=True)
    # several blocks of draws (32 each here) spread over two processes: the same result
    many = inference(small(), groups=["a", "b", "c"], draws=100, seed=3, workers=1)
    pd.testing.assert_frame_equal(many, inference(small(), groups=["a", "b", "c"], draws=100,
                                                  seed=3, workers=2))


def test_rows_without_value_say_why():
    result = inference(small(), groups=["a", "b", "c"], draws=20)
    assert (result.loc[result["value"].isna(), "note"] != "").all()
    assert set(result.loc[(result["area_code"] == "R") & (result["group"] == "a"), "note"]) \
        == {"no a residents"}


def test_simulated_tables_keep_totals_and_means():
    import sys

    from scorecard.segregation import twogroup

    module = sys.modules["scorecard.segregation.inference"]
    counts = np.array([[1, 1, 3], [5, 0, 0], [10, 10, 80], [500, 250, 250], [0, 0, 0]])
    areas = twogroup.Areas.of(np.arange(5))  # each unit its own area: P = its own shares
    order = np.array([1, 0, 2])
    t = counts.sum(axis=1)
    drawn = {}
    for name, plan in (("null", module.TablePlan.null(counts, areas, order)),
                       ("boot", module.TablePlan.bootstrap(counts, order))):
        drawn[name] = plan.draw(np.random.default_rng(0), t, slice(0, 5), 4000)
        assert (drawn[name].sum(axis=0) == t[:, None]).all()
        assert (drawn[name][1:, 1] == 0).all()
        probs = counts / np.maximum(t, 1)[:, None]
        mean = drawn[name].mean(axis=2).T
        sd = np.sqrt(t[:, None] * probs * (1 - probs) / 4000)
        assert (np.abs(mean - t[:, None] * probs) <= 5 * sd + 1e-12).all()


def test_large_even_table_expects_little_and_covers_value():
    # Big counts in the same proportions: D ≈ 0, expected ≈ 0, intervals tight around value.
    frame = pd.DataFrame({"a": [100_000, 200_000, 150_000], "b": [300_000, 600_000, 450_000]})
    frame["area"] = "A"
    result = inference(frame, groups=["a", "b"], pairs=[("a", "b")], draws=50).set_index("index")
    d = result.loc["dissimilarity"]
    assert d["value"] == pytest.approx(0.0, abs=1e-12)
    assert 0 < d["expected"] < 0.01 and d["upper"] < 0.01
    corrected = result.loc["dissimilarity_bias_corrected"]
    assert corrected["value"] < d["value"] + 1e-12


def test_fully_segregated_stays_one():
    frame = pd.DataFrame({"a": [50, 0, 30], "b": [0, 40, 0], "area": "A"})
    result = inference(frame, groups=["a", "b"], pairs=[("a", "b")], draws=30).set_index("index")
    assert result.loc["dissimilarity", "lower"] == pytest.approx(1.0)
    assert result.loc["dissimilarity", "upper"] == pytest.approx(1.0)
    assert result.loc["dissimilarity", "expected"] < 0.5


@pytest.mark.slow
def test_all_las_lsoa_runs_and_expected_below_observed():
    counts = census.load(2011, "lsoa").to("white_british2")
    result = inference(counts.frame, area="la_code", groups=counts.groups, draws=19)
    d = result[(result["index"] == "dissimilarity") & (result["note"] == "")]
    assert len(d) >= 340
    assert (d["expected"] < d["value"]).mean() > 0.95
    assert (d["lower"] <= d["upper"]).all()


def test_shuffled_rows_give_the_same_simulated_values():
    # The draws follow the data, not its row order: a shuffled table, same seed, same result.
    frame = small()
    shuffled = frame.sample(frac=1.0, random_state=11).reset_index(drop=True)
    assert not shuffled["a"].equals(frame["a"])
    one = inference(frame, groups=["a", "b", "c"], draws=40, seed=9, workers=1)
    other = inference(shuffled, groups=["a", "b", "c"], draws=40, seed=9, workers=1)
    pd.testing.assert_frame_equal(one, other)


def test_shuffled_real_authority_gives_the_same_simulated_values():
    counts = census.load(2021, "lsoa").to("broad5").frame
    own = counts[counts["la_code"] == "E08000032"]  # Bradford
    groups = ["asian", "black", "mixed", "white", "other"]
    one = inference(own, area="la_code", groups=groups, draws=30, seed=2, workers=1)
    other = inference(own.iloc[::-1], area="la_code", groups=groups, draws=30, seed=2,
                      workers=1)
    pd.testing.assert_frame_equal(one, other)


def test_statistics_of_simulated_tables_equal_the_direct_formulas():
    # The integer / x·ln x-table statistics against the per-cell logarithms of `statistics`.
    import sys

    module = sys.modules["scorecard.segregation.inference"]
    counts = census.load(2021, "lsoa").to("broad5").frame
    some = counts[counts["la_code"].isin(["E08000032", "E09000030", "W06000015"])]
    groups = ["asian", "black", "mixed", "white", "other"]
    problem, observed_counts = module._problem(some, "la_code", groups,
                                               [(g, None) for g in groups])
    drawn = problem.null_plan.draw(np.random.default_rng(4), problem.t,
                                   slice(0, len(problem.t)), 6)
    fast = module.table_statistics(drawn, problem)
    direct = module.statistics(np.transpose(drawn, (2, 1, 0)).astype(float), problem)
    np.testing.assert_allclose(fast, direct, rtol=1e-11, atol=1e-13)
    observed = module.table_statistics(observed_counts.T.astype(np.int64)[:, :, None], problem)[0]
    np.testing.assert_allclose(observed, module.statistics(observed_counts, problem), rtol=1e-11,
                               atol=1e-13)


def test_blocks_of_areas_and_draws_cover_each_once_and_any_workers_agree(monkeypatch):
    import sys

    from scorecard.segregation import twogroup

    module = sys.modules["scorecard.segregation.inference"]
    monkeypatch.setattr(module, "BLOCK_CELLS", 600)  # 60 cells per area and draw in small()
    areas = twogroup.Areas.of(small()["area"])
    blocks = module.simulation_blocks(3, 25, areas, 3)
    covered = np.zeros((3, 25), dtype=int)
    for block in blocks:
        covered[block.areas[0]:block.areas[1],
                block.first_draw:block.first_draw + block.draws] += 1
    assert (covered == 1).all()
    assert len({b.areas for b in blocks}) > 1 and len({b.first_draw for b in blocks}) > 1
    assert len({tuple(b.seed.generate_state(2)) for b in blocks}) == len(blocks)
    one = inference(small(), groups=["a", "b", "c"], draws=25, seed=3, workers=1)
    pd.testing.assert_frame_equal(one, inference(small(), groups=["a", "b", "c"], draws=25,
                                                 seed=3, workers=2))
