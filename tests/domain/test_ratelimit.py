"""The rate limits' rule: a token bucket kept as the time it is full again (pure, no processes)."""

import pytest

from hadir.domain.ratelimit import Rate, retry_after_header, take


def takes(rate: Rate, times: list[float], full_at: float = 0.0) -> list[float | None]:
    waits = []
    for now in times:
        wait, full_at = take(full_at, now, rate)
        waits.append(wait)
    return waits


def test_a_full_bucket_admits_its_burst_then_asks_to_wait_for_one_token():
    waits = takes(Rate(2, 10.0), [100.0, 100.0, 100.0])
    assert waits[:2] == [None, None]
    assert waits[2] == pytest.approx(5.0)  # one token comes back every 10 / 2 seconds


def test_waiting_out_the_answer_is_enough():
    rate = Rate(2, 10.0)
    wait, full_at = take(110.0, 100.0, rate)  # empty: both tokens taken at 100
    assert wait == pytest.approx(5.0)
    assert take(full_at, 100.0 + wait, rate)[0] is None


def test_a_refused_request_takes_nothing():
    rate = Rate(1, 60.0)
    _, full_at = take(0.0, 100.0, rate)
    for now in (101.0, 120.0, 150.0):
        wait, still = take(full_at, now, rate)
        assert still == full_at
        assert wait == pytest.approx(160.0 - now)
    assert take(full_at, 160.0, rate)[0] is None


def test_the_bucket_refills_at_its_rate_and_never_beyond_its_burst():
    rate = Rate(3, 30.0)
    full_at = 0.0
    for _ in range(3):
        _, full_at = take(full_at, 1000.0, rate)
    assert take(full_at, 1000.0, rate)[0] is not None
    assert take(full_at, 1010.0, rate)[0] is None  # one token back after 10 s
    # Idle for an hour: full, but no more than the burst.
    assert takes(rate, [5000.0] * 4, full_at) == [None, None, None, pytest.approx(10.0)]


@pytest.mark.parametrize("rate", [Rate(600, 60.0), Rate(30, 60.0), Rate(60, 3600.0), Rate(7, 1.0)])
def test_exactly_the_burst_at_one_instant_despite_rounding(rate):
    waits = takes(rate, [12345.678] * (rate.burst + 1))
    assert waits[:-1] == [None] * rate.burst
    assert waits[-1] == pytest.approx(rate.interval_s)


def test_a_zero_is_a_full_bucket_so_a_fresh_table_of_zeros_admits_everyone():
    assert take(0.0, 0.5, Rate(1, 60.0))[0] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("300/60", Rate(300, 60.0)), ("5", Rate(5, 1.0)), ("off", None), ("0", None)],
)
def test_rates_read_from_settings(text, expected):
    assert Rate.parse(text) == expected


def test_retry_after_is_whole_seconds_never_zero():
    assert (retry_after_header(0.01), retry_after_header(2.2)) == ("1", "3")
