"""gunicorn settings of `hadir serve` (--config python:hadir.core.gunicorn_conf); its command
line gives the rest."""

from hadir.core import rate_table


def on_starting(server) -> None:
    # In the master, before any worker is forked: the workers share the rate limits' table.
    rate_table.create_shared()
