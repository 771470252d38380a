"""When a background job runs next: a table of edge cases, no database."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.job_schedule import Daily, Every, Monthly, first_run, next_run, retry_at

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
BERLIN = ZoneInfo("Europe/Berlin")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.mark.parametrize(
    ("rule", "after", "expected"),
    [
        # an interval counts from the given moment (the end of the previous run)
        (Every(60), wib(2026, 11, 2, 9, 0, 30), wib(2026, 11, 2, 9, 1, 30)),
        (Every(300), wib(2026, 12, 31, 23, 58), wib(2027, 1, 1, 0, 3)),
        # daily: later today, or tomorrow once today's time has passed
        (Daily(time(1, 0)), wib(2026, 11, 2, 0, 59), wib(2026, 11, 2, 1, 0)),
        (Daily(time(1, 0)), wib(2026, 11, 2, 1, 0), wib(2026, 11, 3, 1, 0)),
        (Daily(time(1, 0)), wib(2026, 11, 2, 1, 0, 0, 1), wib(2026, 11, 3, 1, 0)),
        (Daily(time(8, 0)), wib(2026, 12, 31, 9, 0), wib(2027, 1, 1, 8, 0)),
        # a time late in the local day is early in UTC: the local date decides, not UTC's
        (Daily(time(6, 0)), wib(2026, 11, 2, 5, 0), wib(2026, 11, 2, 6, 0)),
        (Daily(time(23, 30)), wib(2026, 11, 2, 23, 45), wib(2026, 11, 3, 23, 30)),
        # monthly: this month's day if still ahead, else next month's
        (Monthly(5, time(6, 0)), wib(2026, 11, 4, 12, 0), wib(2026, 11, 5, 6, 0)),
        (Monthly(5, time(6, 0)), wib(2026, 11, 5, 6, 0), wib(2026, 12, 5, 6, 0)),
        (Monthly(5, time(6, 0)), wib(2026, 12, 20, 0, 0), wib(2027, 1, 5, 6, 0)),
        # a day the month lacks means its last day
        (Monthly(31, time(6, 0)), wib(2027, 2, 1, 0, 0), wib(2027, 2, 28, 6, 0)),
        (Monthly(31, time(6, 0)), wib(2028, 2, 1, 0, 0), wib(2028, 2, 29, 6, 0)),
        (Monthly(31, time(6, 0)), wib(2027, 2, 28, 7, 0), wib(2027, 3, 31, 6, 0)),
        (Monthly(30, time(6, 0)), wib(2027, 4, 30, 6, 0), wib(2027, 5, 30, 6, 0)),
    ],
)
def test_the_next_run_follows_the_rule(rule, after, expected):
    got = next_run(rule, after, WIB)
    assert got == expected
    assert got.tzinfo is UTC


def test_a_daily_time_is_the_regency_clock_not_the_servers():
    # 01:00 WIT (UTC+9) is 16:00 UTC the day before
    after = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    assert next_run(Daily(time(1, 0)), after, WIT) == datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


def test_daylight_saving_is_handled_where_it_exists():
    # Indonesia has none; the rule does not rely on that. 02:30 does not exist in Berlin on
    # 29 March 2026 (clocks jump 02:00 -> 03:00): the run happens just after the gap.
    got = next_run(Daily(time(2, 30)), datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN), BERLIN)
    assert got == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    # 02:30 happens twice on 25 October 2026: the job runs once, at the first.
    first = next_run(Daily(time(2, 30)), datetime(2026, 10, 25, 0, 0, tzinfo=BERLIN), BERLIN)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert next_run(Daily(time(2, 30)), first, BERLIN) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)
    # a day after the change the local time is kept, not the UTC time
    assert next_run(
        Daily(time(9, 0)), datetime(2026, 10, 25, 9, 0, tzinfo=BERLIN), BERLIN
    ) == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)


def test_missed_occurrences_run_once_and_the_rule_resumes_from_now():
    # a worker down from Monday to Thursday morning: the nightly job ran late once (now), and
    # its next run is tonight, not the three missed nights one after another
    now = wib(2026, 11, 5, 9, 0)
    assert next_run(Daily(time(1, 0)), now, WIB) == wib(2026, 11, 6, 1, 0)


def test_a_new_interval_job_runs_at_once_and_a_new_nightly_job_waits_for_the_night():
    now = wib(2026, 11, 2, 12, 0)
    assert first_run(Every(60), now, WIB) == now
    assert first_run(Daily(time(1, 0)), now, WIB) == wib(2026, 11, 3, 1, 0)
    assert first_run(Monthly(5, time(6, 0)), now, WIB) == wib(2026, 11, 5, 6, 0)
    assert first_run(Monthly(1, time(6, 0)), now, WIB) == wib(2026, 12, 1, 6, 0)


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(1, 60), (2, 120), (3, 240), (4, 480), (6, 1920), (7, 3600), (30, 3600), (0, 60)],
)
def test_retries_wait_twice_as_long_each_time_up_to_an_hour(failures, seconds):
    now = wib(2026, 11, 2, 9, 0)
    assert retry_at(now, failures, 60) == now + timedelta(seconds=seconds)


def test_rules_refuse_nonsense():
    with pytest.raises(ValueError):
        Every(0)
    with pytest.raises(ValueError):
        Monthly(0, time(6, 0))
    with pytest.raises(ValueError):
        Monthly(32, time(6, 0))
