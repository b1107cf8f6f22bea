"""Write scorecard/welsh_names.csv: the Welsh name of each of the 22 Welsh LAs.

Source: ONS Ward to Census Merged Ward to Local Authority District (December 2011) lookup
(../shared/data/boundaries/wd11_cmwd11_lad11_ew_lu.parquet, column LAD11NMW); the 22 Welsh
LAs kept their codes (W06) from 2011 to 2021. The file's "Ynys M-n" has lost the circumflex
of Ynys Môn (the ONS name of Isle of Anglesey); it is restored here.
Run: python scripts/welsh_names.py [SHARED_DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
FIXES = {"Ynys M-n": "Ynys Môn"}


def welsh_names(shared: Path) -> pd.DataFrame:
    lookup = pd.read_parquet(shared / "boundaries" / "wd11_cmwd11_lad11_ew_lu.parquet",
                             columns=["LAD11CD", "LAD11NMW"])
    wales = lookup[lookup["LAD11CD"].str.startswith("W")].drop_duplicates()
    wales = wales.rename(columns={"LAD11CD": "code", "LAD11NMW": "name_cy"})
    wales["name_cy"] = wales["name_cy"].replace(FIXES)
    return wales.sort_values("code", ignore_index=True)


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data"
    table = welsh_names(shared)
    path = REPO / "scorecard" / "welsh_names.csv"
    path.write_text(table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    print(f"{path}: {len(table)} Welsh names")


if __name__ == "__main__":
    main()
