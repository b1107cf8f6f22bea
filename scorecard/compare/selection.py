"""What a comparison compares, and the change of each compared area on its own.

An *area* is an LA (2022 boundaries), a region (Wales counts as one) or a custom area from
an areas table (see :mod:`.areas`). Each is a set of 2021 output areas, and its change is
measured on the units common to both censuses that it holds (:mod:`scorecard.change`).

Each area's change is computed on its own, with the same seed whatever else is compared:
Bradford's interval is then the same in its scorecard and in any comparison it is part of
(a joint bootstrap would tie each area's draws to the others in the run). Comparisons name
a handful of areas, so the loop over them is short.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import geography
from ..change import since2011
from ..change.apportion import lad_lookup
from ..errors import InputError
from ..segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED
from .areas import area_key, custom_areas

YEARS = (2011, 2021)
MAX_AREAS = 8
AREA_LEVELS = {"la": "local authority", "region": "region", "custom": "custom area"}


@dataclass(frozen=True)
class Area:
    """One compared area: ``code`` (GSS code, or the custom area's name), name, level
    (la, region or custom) and, for custom areas, its 2021 output areas (``units``) and the
    codes its table listed (``listed``, of level ``listed_level``: oa, lsoa or ward)."""

    code: str
    name: str
    level: str
    units: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()
    listed_level: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({AREA_LEVELS[self.level]})" if self.level != "la" else self.name


def check_years(text: str | Sequence[int] | None) -> tuple[int, int]:
    """``"2011,2021"`` (the only pair with both censuses on one geography) or an InputError."""
    if text is None:
        return YEARS
    parts = [p.strip() for p in text.split(",")] if isinstance(text, str) else list(text)
    try:
        years = tuple(int(p) for p in parts)
    except ValueError:
        raise InputError(None, None, None, f"--years {text}: not two years like 2011,2021"
                         ) from None
    if years != YEARS:
        raise InputError(None, None, None, f"--years {text}: change is available between the "
                         "2011 and 2021 censuses only (--years 2011,2021)")
    return years


# ----------------------------------------------------------------------------- resolving


def _region_index() -> dict[str, tuple[str, str]]:
    las = geography.authorities(2021).drop_duplicates("region_code")
    return {geography.normalise_name(name): (code, name) for code, name in
            zip(las["region_code"], las["region_name"], strict=True)} | {
        code.lower(): (code, name) for code, name in
        zip(las["region_code"], las["region_name"], strict=True)}


def _custom(path: Path) -> dict[str, Area]:
    """The custom areas of an areas table, by normalised name (2021 units only)."""
    units = custom_areas(path)
    if int(units["year"].iloc[0]) != 2021:
        raise InputError(str(path), 2, "code", "a comparison over time is measured on units "
                         "common to both censuses, found from 2021 output areas: list 2021 "
                         "output area, LSOA or ward codes, not 2011 units")
    known = geography.units(2021)
    level = known[known["level"] != "la"].set_index("code")["level"]
    out = {}
    for name, part in units.groupby("area_code", sort=False):
        listed = tuple(sorted(part["listed"].unique()))
        listed_level = str(level.get(listed[0], "oa"))
        words = {"oa": "output areas", "lsoa": "LSOAs", "ward": "wards (May 2022)"}
        out[area_key(name)] = Area(
            str(name), str(name), "custom", tuple(sorted(part["code"])), listed, listed_level,
            note=f"{len(listed):,} 2021 {words[listed_level]} listed in {path.name} "
                 f"({len(part):,} output areas)")
    return out


def _authority(text: str) -> Area:
    """An LA of 2022 by code or name; a 2011 district is taken to its 2022 successor."""
    try:
        la = geography.find_authority(text, 2021)
        return Area(la["code"], la["name"], "la")
    except InputError as error:
        try:
            old = geography.find_authority(text, 2011)
        except InputError:
            raise error from None
    lookup = lad_lookup().sort_values("share", ascending=False)
    successor = lookup.loc[lookup["code_2011"] == old["code"], "code_2022"].iloc[0]
    la = geography.authorities(2021).set_index("code").loc[successor]
    return Area(successor, la["name"], "la", note=f"{old['name']} ({old['code']}, 2011) is "
                f"part of {la['name']} since the 2019–2021 boundary changes; the comparison "
                f"is for {la['name']}")


def _county(text: str) -> Area | None:
    """A county council (by name or E10 code) as the custom area of its districts' LSOAs:
    the education and social-care authority of the two-tier shires."""
    key = geography.normalise_name(text)
    for code, (name, districts) in geography.county_districts().items():
        if key in (geography.normalise_name(name), code.lower()):
            lsoas = geography.units(2021, "lsoa")
            lsoas = lsoas[lsoas["la_code"].isin(districts)]["code"]
            oas = geography.units(2021, "oa")
            oas = oas[oas["la_code"].isin(districts)]["code"]
            return Area(code, name, "custom", tuple(sorted(oas)), tuple(sorted(lsoas)), "lsoa",
                        note=f"county council area: the {len(districts)} districts' "
                        f"{len(lsoas):,} 2021 LSOAs ({len(oas):,} output areas)")
    return None


def resolve(names: Sequence[str], areas_file: str | Path | None = None) -> list[Area]:
    """The areas a user names: a custom area of ``areas_file``, a region, or an LA.

    With an areas file and no names, every area of the file. Two to :data:`MAX_AREAS`
    distinct areas; anything else raises an InputError.
    """
    custom = _custom(Path(areas_file)) if areas_file is not None else {}
    regions = _region_index()
    if not names and custom:
        found = list(custom.values())
    else:
        found = []
        for text in names:
            key = geography.normalise_name(text)
            if area_key(text) in custom:
                found.append(custom[area_key(text)])
            elif key in regions or text.strip().lower() in regions:
                code, name = regions.get(key) or regions[text.strip().lower()]
                found.append(Area(code, name, "region"))
            elif (county := _county(text)) is not None:
                found.append(county)
            else:
                try:
                    found.append(_authority(text))
                except InputError as error:
                    close = difflib.get_close_matches(area_key(text), list(custom), n=1,
                                                      cutoff=0.6)
                    if close:
                        error.message += f" (or the custom area {custom[close[0]].name!r}?)"
                    raise
    distinct = list({area.code: area for area in found}.values())
    if len(distinct) < 2:
        what = (f"only {distinct[0].name!r} was named" if distinct else "no area was named")
        raise InputError(areas_file and str(areas_file), None, None, f"a comparison needs two "
                         f"or more areas; {what}")
    if len(distinct) > MAX_AREAS:
        raise InputError(areas_file and str(areas_file), None, None, f"at most {MAX_AREAS} "
                         f"areas can be compared on one page; {len(distinct)} were named")
    return distinct


# ----------------------------------------------------------------------------- counts


def oas_of(areas: Iterable[Area]) -> pd.DataFrame:
    """2021 output area code and area (the area's code) for every compared area.

    An output area appears once per area it lies in (a region and one of its LAs share OAs).
    """
    units = geography.units(2021, "oa")[["code", "la_code"]]
    region = geography.authorities(2021).set_index("code")["region_code"]
    parts = []
    for area in areas:
        if area.level == "la":
            part = units[units["la_code"] == area.code]
        elif area.level == "region":
            part = units[units["la_code"].map(region) == area.code]
        else:
            part = units[units["code"].isin(set(area.units))]
        parts.append(part[["code"]].assign(area=area.code))
    return pd.concat(parts, ignore_index=True)


def area_frames(areas: Sequence[Area]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both censuses' counts on the units common to both, with an ``area`` column (a unit
    repeated in each area it belongs to): :func:`scorecard.change.frames_for`."""
    return since2011.frames_for(oas_of(areas))


def area_change(areas: Sequence[Area], *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                frames: tuple[pd.DataFrame, pd.DataFrame] | None = None,
                on_area=None) -> pd.DataFrame:
    """Change 2011 → 2021 of every index and broad group in each area, with 95% intervals.

    The columns of :func:`scorecard.change.index_change` (one row per area × index × group),
    each area bootstrapped on its own with ``seed``. ``on_area(area)`` is called after each.
    """
    frames = frames if frames is not None else area_frames(areas)
    by_code = {area.code: area for area in areas}
    names = {area.code: area.name for area in areas}
    levels = {area.code: area.level for area in areas}
    call = None if on_area is None else (lambda code: on_area(by_code[code]))
    return since2011.area_change(frames, names, levels, draws=draws, seed=seed, on_area=call)


def scorecard_change(la_code: str, *, draws: int = DEFAULT_DRAWS,
                     seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One 2022 LA's change since 2011 on its common units (:func:`scorecard.change.la_change`)."""
    la = geography.find_authority(la_code, 2021)
    return since2011.la_change(la["code"], draws=draws, seed=seed)
