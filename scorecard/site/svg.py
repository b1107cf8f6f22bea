"""Polygons in British National Grid as compact SVG path data, north up.

Coordinates become whole numbers of ``step`` metres from the map's top-left corner (1 m for
a local authority, 100 m for the national map), written as one absolute point and then
relative moves, so a path costs a few characters per vertex. Hand-written rather than taken
from a library: the whole job is a dozen lines of numpy, and the output must stay small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Frame:
    """Where a map's SVG units sit in metres: origin (top-left) and metres per unit."""

    minx: float
    maxy: float
    width: int
    height: int
    step: float

    @classmethod
    def around(cls, bounds, step: float, margin: float = 0.02) -> Frame:
        minx, miny, maxx, maxy = bounds
        pad = margin * max(maxx - minx, maxy - miny)
        minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
        return cls(minx, maxy, int(np.ceil((maxx - minx) / step)),
                   int(np.ceil((maxy - miny) / step)), step)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def path(self, geometry: BaseGeometry | None) -> str:
        """SVG path data of a polygon or multipolygon (rings closed with z)."""
        if geometry is None or geometry.is_empty:
            return ""
        parts = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            for ring in [polygon.exterior, *polygon.interiors]:
                parts.append(self._ring(shapely.get_coordinates(ring)))
        return "".join(parts)

    def _ring(self, xy: np.ndarray) -> str:
        points = np.rint(np.column_stack([(xy[:, 0] - self.minx) / self.step,
                                          (self.maxy - xy[:, 1]) / self.step])).astype(np.int64)
        keep = np.ones(len(points), dtype=bool)
        keep[1:] = (points[1:] != points[:-1]).any(axis=1)
        points = points[keep]
        if len(points) > 1 and (points[0] == points[-1]).all():
            points = points[:-1]
        if len(points) < 3:
            return ""
        moves = np.diff(points, axis=0).ravel()
        relative = " ".join(map(str, moves.tolist())).replace(" -", "-")
        return f"M{points[0, 0]} {points[0, 1]}l{relative}z"
