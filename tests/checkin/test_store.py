"""The hot path writes values itself; they must be exactly what Django would have written."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from hadir.checkin import store
from hadir.checkin.models import EvidenceRecord

pytestmark = pytest.mark.django_db

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 11, 28, 7, 30, 5, 123456, tzinfo=UTC),
        datetime(2026, 11, 28, 7, 30, tzinfo=UTC),
        datetime(2026, 11, 28, 0, 15, 1, 9, tzinfo=WIB),
    ],
)
def test_datetimes_are_adapted_as_django_adapts_them(value):
    adapted = store._adapt(EvidenceRecord, "received_at", value)
    assert adapted == connection.ops.adapt_datetimefield_value(value)


def test_a_naive_datetime_is_refused():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's driver adapts datetimes itself")
    with pytest.raises(ValueError, match="naive"):
        store.sqlite_datetime(datetime(2026, 11, 28, 7, 30))


def test_json_is_adapted_as_django_adapts_it():
    value = [{"code": "inside_geofence", "detail": {"distance_m": 12.5, "names": ["a"]}}]
    field = EvidenceRecord._meta.get_field("reasons")
    ours = store._adapt(EvidenceRecord, "reasons", value)
    django = connection.ops.adapt_json_value(value, field.encoder)
    assert type(ours) is type(django)
    if isinstance(ours, str):
        assert ours == django
    else:  # psycopg's Jsonb wrapper
        assert ours.obj == django.obj
