import math
from datetime import UTC, datetime

import pytest

from hadir.domain.signals import bad_record
from hadir.domain.signals.policy import DEFAULT_POLICY
from tests.domain.signals.conftest import detect, make_input, obs, text


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"accuracy_m": 0.0}, "accuracy_not_positive"),
        ({"accuracy_m": -3.0}, "accuracy_not_positive"),
        ({"accuracy_m": math.nan}, "accuracy_nan"),
        ({"lat": 0.0, "lon": 0.0}, "null_island"),
        ({"lat": math.nan}, "coordinates_nan"),
        ({"lon": None}, "half_coordinates"),
        ({"lat": 95.0}, "coordinates_out_of_range"),
        (
            {
                "time_of_record": datetime(1970, 1, 1, tzinfo=UTC),
                "received_at": datetime(1970, 1, 1, tzinfo=UTC),
            },
            "time_of_record_out_of_range",
        ),
        ({"time_of_record": datetime(2100, 1, 1, tzinfo=UTC)}, "time_of_record_out_of_range"),
        ({"device_time": datetime(1970, 1, 1, tzinfo=UTC)}, "device_time_out_of_range"),
        ({"fix_time": datetime(2100, 1, 1, 7, tzinfo=UTC)}, "fix_time_out_of_range"),
        ({"received_at": datetime(2025, 3, 3, 7, 0)}, "received_at_without_timezone"),
        ({"geofence_distance_m": math.inf}, "distance_nan"),
        ({"kind": "teleport"}, "unknown_kind"),
        ({"employee_id": None}, "no_employee"),
        ({"seq": -1}, "seq_invalid"),
        ({"lat": "minus six"}, "coordinates_nan"),
    ],
)
def test_it_names_what_is_wrong_with_a_record(fields, reason):
    assert reason in bad_record.problems(obs(**fields), DEFAULT_POLICY)


def test_an_honest_record_has_no_problems():
    assert bad_record.problems(obs(), DEFAULT_POLICY) == ()


def test_a_record_that_cannot_even_be_checked_is_unreadable():
    class Broken:
        def __getattr__(self, name):
            raise RuntimeError(name)

    assert bad_record.problems(Broken(), DEFAULT_POLICY) == ("unreadable",)


def test_a_zero_accuracy_check_in_is_weak_evidence_on_its_day():
    odd = obs(accuracy_m=0.0)
    [hit] = detect(bad_record, make_input([odd]))
    assert hit.evidence.event_ids == (odd.event_id,)
    assert hit.severity == 0.3
    assert "accuracy of zero or less" in text(hit)


def test_a_rejected_bad_record_weighs_half():
    [hit] = detect(bad_record, make_input([obs(lat=0.0, lon=0.0, verdict="rejected")]))
    assert hit.severity == 0.15


def test_honest_records_give_no_hits():
    assert detect(bad_record, make_input([obs(), obs(kind="check_out", time="16:00")])) == []
