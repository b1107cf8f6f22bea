"""Ranks, percentiles and peer groups of LAs."""

import numpy as np
import pandas as pd
import pytest

from scorecard import geography
from scorecard.compare import peer_ranks, peers, ranks
from scorecard.resources import indicators_file


def test_ranks_and_percentiles_by_hand():
    table = pd.DataFrame({"area_code": ["a", "b", "c", "d", "e"], "index": "x",
                          "value": [0.5, 0.2, 0.5, np.nan, 0.1]})
    out = ranks(table).set_index("area_code")
    assert out["rank"].tolist()[:3] == [1, 3, 1]
    assert pd.isna(out.loc["d", "rank"]) and out.loc["e", "rank"] == 4
    assert out.loc["a", "n_ranked"] == 4
    assert out.loc["a", "percentile"] == pytest.approx(100 * 2 / 3)  # 2 of 3 others lower
    assert out.loc["e", "percentile"] == 0


def test_ranks_within_region():
    las = geography.authorities(2021)
    table = las[["code"]].rename(columns={"code": "area_code"}).assign(
        index="x", value=np.arange(len(las), dtype=float))
    out = ranks(table, within="region")
    wales = out[out["area_code"].str.startswith("W")]
    assert wales["n_ranked"].eq(22).all() and sorted(wales["rank"]) == list(range(1, 23))


def test_region_and_type_peers():
    region = peers("Bradford", "region")
    las = geography.authorities(2021).set_index("code")
    assert set(las.loc[region["code"], "region_name"]) == {"Yorkshire and The Humber"}
    assert "E08000032" not in set(region["code"]) and len(region) == 20
    kind = peers("E09000030", "la_type")
    assert len(kind) == 32 and kind["code"].str.startswith("E09").all()


def test_nearest_neighbours_by_hand():
    raw = pd.read_parquet(indicators_file("census2021_la_ethnic.parquet")).set_index("code")
    prefix = {"asian": "asian_", "black": "black_", "mixed": "mixed_", "white": "white_",
              "other": "other_"}
    features = pd.DataFrame({g: raw.filter(regex=f"^{p}").sum(axis=1) / raw["total"]
                             for g, p in prefix.items()})
    features.insert(0, "log_population", np.log(raw["total"].astype(float)))
    z = (features - features.mean()) / features.std(ddof=0)
    distance = np.sqrt(((z - z.loc["E08000032"]) ** 2).sum(axis=1)).drop("E08000032")
    expected = distance.sort_values(kind="stable").head(5)
    found = peers("Bradford", "neighbours", k=5)
    assert found["code"].tolist() == expected.index.tolist()
    assert np.allclose(found["distance"], expected.to_numpy())


def test_peer_ranks_rank_among_the_peer_group_only():
    las = geography.authorities(2021)
    table = pd.DataFrame({"area_code": las["code"], "index": "x",
                          "value": np.arange(len(las), dtype=float)})
    out = peer_ranks(table, "Bradford", "region")
    assert len(out) == 21 and out["is_focus"].sum() == 1
    assert out["n_ranked"].eq(21).all()
