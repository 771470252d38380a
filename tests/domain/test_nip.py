from datetime import date

import pytest

from hadir.domain.nip import NipError, parse_nip


def test_a_pns_nip_is_read_into_its_parts():
    nip = parse_nip("198503152010011002")
    assert nip.birth_date == date(1985, 3, 15)
    assert (nip.appointment_year, nip.appointment_month) == (2010, 1)
    assert nip.gender == "L"
    assert nip.serial == 2


def test_a_pppk_nip_carries_21_in_place_of_the_month():
    nip = parse_nip("199001012022212005", "PPPK")
    assert nip.appointment_month is None
    assert nip.gender == "P"


@pytest.mark.parametrize(
    ("value", "employee_type", "refusal"),
    [
        ("19850315201001100", "PNS", ("length", {})),
        ("1985031520100110O2", "PNS", ("length", {})),
        ("198502302010011002", "PNS", ("birth_date", {"digits": "19850230"})),
        ("198503152010131002", "PNS", ("appointment_month", {"month": "13"})),
        ("198503152022211002", "PNS", ("appointment_month", {"month": "21"})),  # PPPK marker
        ("198503152010013002", "PNS", ("gender_digit", {"digit": "3"})),
        ("198503152010011000", "PNS", ("serial_zero", {})),
        ("198503152000011002", "PNS", ("appointed_too_young", {})),
    ],
)
def test_a_bad_nip_is_refused_with_the_part_that_is_wrong(value, employee_type, refusal):
    with pytest.raises(NipError) as refused:
        parse_nip(value, employee_type)
    assert (refused.value.code, refused.value.values) == refusal


def test_an_appointment_in_the_future_is_refused():
    with pytest.raises(NipError) as refused:
        parse_nip("199503152030011002", today=date(2026, 11, 28))
    assert refused.value.code == "appointment_in_future"
