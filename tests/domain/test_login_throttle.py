"""Growing delays after failed logins: a table of failures and the wait they cost."""

from datetime import UTC, datetime, timedelta

import pytest

from hadir.domain.login_throttle import DelayPolicy, Failures, delay_s, wait_s

ACCOUNT = DelayPolicy(free_failures=5, first_delay_s=5, max_delay_s=60, window=timedelta(days=1))
ADDRESS = DelayPolicy(free_failures=20, first_delay_s=5, max_delay_s=900, window=timedelta(hours=1))
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failures", "account", "address"),
    [
        (0, 0, 0),
        (4, 0, 0),
        (5, 5, 0),
        (6, 10, 0),
        (7, 20, 0),
        (8, 40, 0),
        (9, 60, 0),  # the account's cap: its owner never waits more than a minute
        (1000, 60, 900),
        (20, 60, 5),
        (27, 60, 640),
        (28, 60, 900),  # an address's cap: a quarter of an hour
    ],
)
def test_the_delay_doubles_after_the_free_failures_up_to_the_cap(failures, account, address):
    assert delay_s(failures, ACCOUNT) == account
    assert delay_s(failures, ADDRESS) == address


def test_the_wait_counts_from_the_last_failure():
    failures = Failures(count=6, last_at=NOW - timedelta(seconds=3))
    assert wait_s(failures, NOW, ACCOUNT) == 7
    assert wait_s(failures, NOW + timedelta(seconds=7), ACCOUNT) == 0


def test_no_failure_means_no_wait():
    assert wait_s(Failures(0, None), NOW, ACCOUNT) == 0
