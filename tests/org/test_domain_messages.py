"""A refused NIP or geofence is said in the user's language: hadir.domain.nip and
hadir.domain.geo name what is wrong with a code and its values, hadir.org.messages says it
through the catalogue."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hadir.org.models import Employee, EmployeeType
from tests.factories import make_opd, make_workplace

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("nip", "indonesian"),
    [
        ("19910707201903201", "NIP harus tepat 18 angka"),
        ("199107072019132011", "bulan pengangkatan pada NIP (13) bukan bulan yang sah"),
        ("199102302019032011", "tanggal lahir pada NIP (19910230) bukan tanggal yang ada"),
        ("199107072019033011", "angka jenis kelamin pada NIP harus 1 atau 2, bukan 3"),
        ("199107072019031000", "nomor urut pada NIP tidak boleh 000"),
    ],
)
def test_a_bad_nip_is_refused_in_indonesian(nip, indonesian):
    employee = Employee(
        identifier=nip,
        employee_type=EmployeeType.PNS,
        name="Siti Aisyah",
        opd=make_opd(),
        active_from=date(2020, 1, 1),
    )
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        employee.full_clean()
    assert refused.value.message_dict["identifier"] == [indonesian]


@pytest.mark.parametrize(
    ("geofence", "indonesian"),
    [
        ({"type": "circle", "lat": 48.8566, "lon": 112.95, "radius_m": 100},
         "lintang 48.8566 berada di luar Indonesia"),
        ({"type": "circle", "lat": -2.53, "lon": 112.95, "radius_m": 9000},
         "radius 9000 m harus antara 10 dan 5000 m"),
        ({"type": "polygon", "ring": [[-2.54, 112.95], [-2.54, 112.952], [-2.538, 112.952]]},
         "poligon memerlukan sedikitnya 3 sudut dan satu titik penutup"),
        ({"type": "square"}, "jenis geofence harus 'circle' (lingkaran) atau 'polygon' (poligon)"),
    ],
)  # fmt: skip
def test_a_bad_geofence_is_refused_in_indonesian(geofence, indonesian):
    workplace = make_workplace(make_opd())
    workplace.geofence = geofence
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        workplace.full_clean()
    assert refused.value.message_dict["geofence"] == [indonesian]
