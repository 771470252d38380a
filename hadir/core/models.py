"""The one table Hadir's health check writes to."""

from django.db import models


class HealthProbe(models.Model):
    """A single row, rewritten by each health check to prove the database accepts writes."""

    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"health probe {self.at:%Y-%m-%d %H:%M:%S}"
