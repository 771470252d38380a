import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    # The import tests read the English wording of messages; outside a web request the
    # default language (Indonesian) would otherwise apply.
    with translation.override("en"):
        yield
