"""Master-data edits that change which days count, whatever edits them (admin, import, API):

- an employee's OPD edited directly: recorded as a transfer effective today, so past days stay
  with the old OPD;
- an OPD's joining date changed: the days between the old and the new date are recomputed (or
  queued for the worker).
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save

from hadir.org.models import Employee, Opd


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


def _remember_joined(sender, instance: Opd, raw=False, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    before = Opd.objects.filter(pk=instance.pk).values_list("attendance_from", flat=True)
    instance._joined_before_save = (before.first(),)


def _apply_joined(sender, instance: Opd, created=False, raw=False, **kwargs) -> None:
    remembered = instance.__dict__.pop("_joined_before_save", None)
    if raw or created or remembered is None or remembered[0] == instance.attendance_from:
        return
    from hadir.attendance.services import apply_opd_joined
    from hadir.org.audit import current_actor

    apply_opd_joined(instance, remembered[0], instance.attendance_from, by=current_actor())


def connect() -> None:
    pre_save.connect(_remember_joined, sender=Opd, dispatch_uid="attendance_opd_joined_before")
    post_save.connect(_apply_joined, sender=Opd, dispatch_uid="attendance_opd_joined")
    pre_save.connect(_remember_opd, sender=Employee, dispatch_uid="attendance_opd_before")
    post_save.connect(_record_transfer, sender=Employee, dispatch_uid="attendance_opd_transfer")
