"""The words of the master-data checks that live in the pure domain: hadir.domain.nip and
hadir.domain.geo refuse a NIP or a geofence with a code and values; this is where it is said,
through the catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hadir.domain.geo import GeofenceError
from hadir.domain.nip import NipError

NIP_ERRORS = {
    "length": _("NIP must be exactly 18 digits"),
    "birth_date": _("NIP birth date %(digits)s is not a real date"),
    "appointment_month": _("NIP appointment month %(month)s is not a month"),
    "appointed_too_young": _(
        "NIP appointment date is before the employee could have been appointed"
    ),
    "appointment_in_future": _("NIP appointment date is in the future"),
    "birth_in_future": _("NIP birth date is in the future"),
    "gender_digit": _("NIP gender digit must be 1 or 2, not %(digit)s"),
    "serial_zero": _("NIP serial number cannot be 000"),
}


def nip_error_text(error: NipError) -> str:
    """A refused NIP, in a sentence."""
    template = NIP_ERRORS.get(error.code)
    return str(template) % error.values if template is not None else str(error)


GEOFENCE_ERRORS = {
    "not_numbers": _("coordinates must be numbers"),
    "not_finite": _("coordinates must be finite numbers (got NaN or infinity)"),
    "lat_outside": _("latitude %(lat)s is outside Indonesia"),
    "lon_outside": _("longitude %(lon)s is outside Indonesia"),
    "radius_not_number": _("radius must be a number of metres"),
    "radius_range": _("radius %(radius)s m must be between 10 and %(max)s m"),
    "too_few_corners": _("a polygon needs at least 3 corners and a closing point"),
    "not_closed": _("the polygon does not close: the last point must repeat the first"),
    "crosses_itself": _("the polygon crosses itself"),
    "too_small": _("the polygon is smaller than 100 square metres"),
    "too_wide": _("the polygon is wider than 10 km"),
    "unknown_type": _("geofence type must be 'circle' or 'polygon'"),
    "empty": _("the polygon is empty"),
    "several_parts": _("polygons with holes or several parts are not supported"),
    "point_lon_lat": _("cannot read the point '%(point)s' (want 'lon lat')"),
    "point_lat_lon": _("cannot read the point '%(point)s' (want 'lat,lon')"),
    "bad_wkt": _("not a valid WKT polygon: %(error)s"),
    "bad_geojson": _("not valid GeoJSON: %(error)s"),
    "geojson_not_polygon": _("GeoJSON geometry must be a Polygon"),
    "holes": _("polygons with holes are not supported"),
    "not_a_number": _("'%(text)s' is not a number"),
}


def geofence_error_text(error: GeofenceError) -> str:
    """A refused geofence, in a sentence."""
    template = GEOFENCE_ERRORS.get(error.code)
    return str(template) % error.values if template is not None else str(error)
