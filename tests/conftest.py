import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    # Argon2 is right for production and too slow for hundreds of test users. Pure domain tests
    # don't touch Django at all, so they can also run with `-p no:django`.
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    # The check-in rate limits count in memory (the process's own table in tests): each test
    # starts with full buckets.
    if request.node.get_closest_marker("django_db") is not None:
        from hadir.checkin import frontdoor

        frontdoor.reset()
