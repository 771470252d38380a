"""Geofences: parsing, and where a location fix stands relative to a workplace.

Coordinates are WGS84 degrees. Distances are computed on a local equirectangular projection
centred on the geofence: over the few kilometres a workplace spans, its error is far below a
phone's GPS accuracy, and it lets shapely do exact planar geometry in metres.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import StrEnum

from shapely import wkt
from shapely.errors import GEOSException
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_EQUATOR = 111_320.0

# Indonesia with a margin: Sabang to Merauke, Miangas to Rote.
INDONESIA_LAT = (-11.5, 6.5)
INDONESIA_LON = (94.5, 141.5)
MAX_RADIUS_M = 5_000.0


class GeofenceError(ValueError):
    """A geofence that cannot be used: `code` says why (the edge says it in the user's language,
    hadir.org.messages), `values` the values at fault, `part` which one ("lat", "lon",
    "radius" or "" for the shape as a whole)."""

    def __init__(self, code: str, /, part: str = "", **values: str) -> None:
        self.code, self.part, self.values = code, part, values
        super().__init__(f"{code} {values}" if values else code)


def check_coordinate(lat: float, lon: float) -> None:
    if not (isinstance(lat, int | float) and isinstance(lon, int | float)):
        raise GeofenceError("not_numbers")
    if math.isnan(lat) or math.isnan(lon) or math.isinf(lat) or math.isinf(lon):
        raise GeofenceError("not_finite")
    if not (INDONESIA_LAT[0] <= lat <= INDONESIA_LAT[1]):
        raise GeofenceError("lat_outside", part="lat", lat=str(lat))
    if not (INDONESIA_LON[0] <= lon <= INDONESIA_LON[1]):
        raise GeofenceError("lon_outside", part="lon", lon=str(lon))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def haversine_from(lat1: float, lon1: float):
    """haversine_m(lat1, lon1, lat, lon) as a function of (lat, lon), for many points measured
    from one: the same arithmetic in the same order (so the very same metres), with what
    depends on the first point alone computed once."""
    p1 = math.radians(lat1)
    cos1 = math.cos(p1)
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    diameter = 2 * EARTH_RADIUS_M

    def distance_m(lat2: float, lon2: float) -> float:
        p2 = radians(lat2)
        dp, dl = p2 - p1, radians(lon2 - lon1)
        a = sin(dp / 2) ** 2 + cos1 * cos(p2) * sin(dl / 2) ** 2
        return diameter * asin(min(1.0, sqrt(a)))

    return distance_m


@dataclass(frozen=True)
class Geofence:
    """A circle (centre + radius) or a polygon (ring of (lat, lon) vertices, closed)."""

    centre_lat: float
    centre_lon: float
    radius_m: float | None = None
    ring: tuple[tuple[float, float], ...] | None = None

    @classmethod
    def circle(cls, lat: float, lon: float, radius_m: float) -> Geofence:
        check_coordinate(lat, lon)
        if not isinstance(radius_m, int | float) or math.isnan(radius_m):
            raise GeofenceError("radius_not_number", part="radius")
        if not (10 <= radius_m <= MAX_RADIUS_M):
            raise GeofenceError(
                "radius_range", part="radius", radius=str(radius_m), max=f"{MAX_RADIUS_M:.0f}"
            )
        return cls(centre_lat=lat, centre_lon=lon, radius_m=float(radius_m))

    @classmethod
    def polygon(cls, ring: list[tuple[float, float]]) -> Geofence:
        if len(ring) < 4:
            raise GeofenceError("too_few_corners")
        if ring[0] != ring[-1]:
            raise GeofenceError("not_closed")
        for lat, lon in ring:
            check_coordinate(lat, lon)
        lat0 = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
        lon0 = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
        fence = cls(centre_lat=lat0, centre_lon=lon0, ring=tuple(ring))
        shape = fence.shape()
        if not shape.is_valid:
            raise GeofenceError("crosses_itself")
        if shape.area < 100:
            raise GeofenceError("too_small")
        if max(shape.bounds[2] - shape.bounds[0], shape.bounds[3] - shape.bounds[1]) > 2 * (
            MAX_RADIUS_M
        ):
            raise GeofenceError("too_wide")
        return fence

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        x = (
            (lon - self.centre_lon)
            * METRES_PER_DEGREE_LON_EQUATOR
            * math.cos(math.radians(self.centre_lat))
        )
        y = (lat - self.centre_lat) * METRES_PER_DEGREE_LAT
        return x, y

    def shape(self) -> BaseGeometry:
        if self.ring is None:
            return Point(0.0, 0.0).buffer(self.radius_m, quad_segs=32)
        return Polygon([self.project(lat, lon) for lat, lon in self.ring])

    def signed_distance_m(self, lat: float, lon: float) -> float:
        """Metres from the boundary: negative inside, positive outside."""
        if self.ring is None:
            return haversine_m(self.centre_lat, self.centre_lon, lat, lon) - self.radius_m
        shape, point = self.shape(), Point(self.project(lat, lon))
        if shape.contains(point):
            return -shape.exterior.distance(point)
        return shape.distance(point)

    def to_dict(self) -> dict:
        if self.ring is None:
            return {
                "type": "circle",
                "lat": self.centre_lat,
                "lon": self.centre_lon,
                "radius_m": self.radius_m,
            }
        return {"type": "polygon", "ring": [list(p) for p in self.ring]}

    @classmethod
    def from_dict(cls, data: dict) -> Geofence:
        if data.get("type") == "circle":
            return cls.circle(data["lat"], data["lon"], data["radius_m"])
        if data.get("type") == "polygon":
            return cls.polygon([tuple(p) for p in data["ring"]])
        raise GeofenceError("unknown_type")


def parse_polygon_text(text: str) -> Geofence:
    """Read a polygon written as WKT (lon lat order), GeoJSON, or 'lat,lon; lat,lon; ...'."""
    text = text.strip()
    if not text:
        raise GeofenceError("empty")
    if text.upper().startswith("POLYGON"):
        ring = _ring_from_wkt(text)
    elif text.startswith("{"):
        ring = _ring_from_geojson(text)
    else:
        ring = _ring_from_pairs(text)
    return Geofence.polygon(ring)


def _ring_from_wkt(text: str) -> list[tuple[float, float]]:
    # shapely would silently close an open ring or reject it with a GEOS message; read the
    # coordinates ourselves so an open ring gets our own clear error.
    inner = text[text.find("((") + 2 : text.rfind("))")]
    if "(" in inner:
        raise GeofenceError("several_parts")
    ring = []
    for pair in inner.split(","):
        parts = pair.split()
        if len(parts) != 2:
            raise GeofenceError("point_lon_lat", point=pair.strip())
        ring.append((_number(parts[1]), _number(parts[0])))
    try:
        wkt.loads(text)
    except GEOSException as exc:
        if ring and ring[0] != ring[-1]:
            raise GeofenceError("not_closed") from exc
        raise GeofenceError("bad_wkt", error=str(exc)) from exc
    return ring


def _ring_from_geojson(text: str) -> list[tuple[float, float]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeofenceError("bad_geojson", error=exc.msg) from exc
    if data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if data.get("type") != "Polygon" or not data.get("coordinates"):
        raise GeofenceError("geojson_not_polygon")
    if len(data["coordinates"]) > 1:
        raise GeofenceError("holes")
    return [(_number(p[1]), _number(p[0])) for p in data["coordinates"][0]]


def _ring_from_pairs(text: str) -> list[tuple[float, float]]:
    ring = []
    for pair in text.split(";"):
        parts = pair.split(",")
        if len(parts) != 2:
            raise GeofenceError("point_lat_lon", point=pair.strip())
        ring.append((_number(parts[0]), _number(parts[1])))
    return ring


def _number(text) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError) as exc:
        raise GeofenceError("not_a_number", text=str(text)) from exc
    if math.isnan(value) or math.isinf(value):
        raise GeofenceError("not_finite")
    return value


class FixPosition(StrEnum):
    INSIDE = "inside"  # the reported point is inside
    UNCERTAIN = "uncertain"  # outside, but within the fix's stated accuracy of the boundary
    OUTSIDE = "outside"


@dataclass(frozen=True)
class FixJudgement:
    position: FixPosition
    distance_m: float  # signed distance of the reported point from the boundary


def judge_fix(
    fence: Geofence, lat: float, lon: float, accuracy_m: float, max_accuracy_credit_m: float = 100.0
) -> FixJudgement:
    """Where a fix stands. A poor fix gets credit for its accuracy circle, up to a cap, so a
    made-up accuracy of 5 km cannot pull a far-away point inside."""
    distance = fence.signed_distance_m(lat, lon)
    if distance <= 0:
        return FixJudgement(FixPosition.INSIDE, distance)
    if distance <= min(max(accuracy_m, 0.0), max_accuracy_credit_m):
        return FixJudgement(FixPosition.UNCERTAIN, distance)
    return FixJudgement(FixPosition.OUTSIDE, distance)
