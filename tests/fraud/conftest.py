from tests.checkin.conftest import device, regency  # noqa: F401
