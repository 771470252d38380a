"""Keeping the transfer history when an employee's OPD is edited directly (admin, import, API):
the move is recorded as a transfer effective today, so past days stay with the old OPD."""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save

from hadir.org.models import Employee


def _remember_opd(sender, instance: Employee, raw=False, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "opd" not in update_fields and "opd_id" not in update_fields:
        return
    before = Employee.objects.filter(pk=instance.pk).values_list("opd_id", flat=True).first()
    instance._opd_before_save = before


def _record_transfer(sender, instance: Employee, created=False, raw=False, **kwargs) -> None:
    before = instance.__dict__.pop("_opd_before_save", None)
    if raw or created or before is None:
        return
    from hadir.attendance.services import record_transfer_on_opd_change

    record_transfer_on_opd_change(instance, before)
    instance.__dict__.pop("_transfer_recorded", None)


def connect() -> None:
    pre_save.connect(_remember_opd, sender=Employee, dispatch_uid="attendance_opd_before")
    post_save.connect(_record_transfer, sender=Employee, dispatch_uid="attendance_opd_transfer")
