"""Attendance data: calendar overrides, schedules, leave, and the derived daily statuses.

Inputs (overrides, schedules, rosters, leave, corrections, closures, rules) are edited by people;
`DailyStatus` and `DisciplineRecommendation` are derived and can be recomputed at any time from
the inputs and the check-in evidence (hadir.attendance.services). Evidence is never edited here.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.attendance import messages, rules
from hadir.domain.calendar import HolidayKind, OverrideAction
from hadir.domain.schedules import (
    FIVE_DAY_WEEK,
    RAMADAN_FIVE_DAY_WEEK,
    RAMADAN_SIX_DAY_WEEK,
    CheckWindows,
    EmployeeSchedule,
    ScheduleError,
    Shift,
    validate_schedule,
    validate_shifts,
)
from hadir.domain.schedules import (
    RamadanPeriod as PureRamadanPeriod,
)
from hadir.org.models import Employee, EmployeeType, Opd, Workplace

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def _schedule_errors(exc: ScheduleError, field: str) -> ValidationError:
    return ValidationError({field: messages.schedule_error_texts(exc)})


# Calendar -------------------------------------------------------------------------------------


class CalendarOverrideAction(models.TextChoices):
    ADD_HOLIDAY = OverrideAction.ADD_HOLIDAY.value, _("add a holiday")
    CANCEL_HOLIDAY = OverrideAction.CANCEL_HOLIDAY.value, _("cancel a holiday")
    MARK_WORKING = OverrideAction.MARK_WORKING.value, _("declare a working day")


class CalendarHolidayKind(models.TextChoices):
    NATIONAL = HolidayKind.NATIONAL.value, _("national holiday")
    CUTI_BERSAMA = HolidayKind.CUTI_BERSAMA.value, _("cuti bersama")
    REGIONAL = HolidayKind.REGIONAL.value, _("regional holiday")


class CalendarOverride(models.Model):
    """One decree-driven change to the calendar, regency-wide or for one OPD or workplace.

    Applied after the `holidays` package: regency rows, then the OPD's, then the workplace's; a
    later row for the same date wins.
    """

    date = models.DateField(_("date"), db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=CalendarOverrideAction.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=CalendarHolidayKind.choices,
        default=CalendarHolidayKind.REGIONAL,
    )
    reference = models.CharField(_("decree reference"), max_length=200, blank=True)
    works_like_weekday = models.PositiveSmallIntegerField(
        _("works like"),
        choices=WEEKDAY_CHOICES,
        default=0,
        help_text=_("For a declared working day: whose hours apply."),
    )
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("only for OPD"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
    )
    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("only for workplace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opd__isnull=True) | models.Q(workplace__isnull=True),
                name="override_scope_opd_or_workplace",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_action_display()} {self.name}".strip()

    def clean(self) -> None:
        errors = {}
        if self.opd_id and self.workplace_id:
            errors["workplace"] = _("choose an OPD or a workplace, not both")
        if self.action == CalendarOverrideAction.ADD_HOLIDAY and not self.name.strip():
            errors["name"] = _("a holiday needs a name")
        if errors:
            raise ValidationError(errors)


def zone_of(employee: Employee) -> str:
    """The employee's time zone: their first workplace's, else the regency's."""
    workplace = employee.workplaces.order_by("pk").first()
    return workplace.zone() if workplace else settings.TIME_ZONE


MAX_NEIGHBOUR = timedelta(hours=48)  # shifts further apart cannot overlap


# Schedules ------------------------------------------------------------------------------------


class ScheduleKind(models.TextChoices):
    WEEKLY = "weekly", _("weekly hours")
    ROSTER = "roster", _("shift roster")


def _default_weekly() -> dict:
    return rules.weekly_to_json(FIVE_DAY_WEEK)


class WorkSchedule(models.Model):
    """Working hours as data. A roster schedule takes its days from ShiftRosterEntry rows."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.WEEKLY
    )
    weekly = models.JSONField(
        _("weekly hours"),
        default=_default_weekly,
        blank=True,
        help_text=_(
            'Per weekday: {"monday": {"start": "07:30", "end": "16:00", "rests": '
            '[["12:00", "13:00"]]}, …}; a missing or null weekday is a day off.'
        ),
    )
    expected_weekly_minutes = models.PositiveIntegerField(
        _("expected minutes per week"),
        null=True,
        blank=True,
        help_text=_("e.g. 2250 (37.5 hours); empty: not checked"),
    )
    check_in_opens_before_start = models.PositiveIntegerField(
        _("check-in opens (minutes before start)"), default=90
    )
    check_in_closes_after_start = models.PositiveIntegerField(
        _("check-in closes (minutes after start)"),
        null=True,
        blank=True,
        help_text=_("Empty: until the planned end, so late arrivals are recorded."),
    )
    check_out_opens_before_end = models.PositiveIntegerField(
        _("check-out opens (minutes before end)"),
        null=True,
        blank=True,
        help_text=_("Empty: from the planned start, so early departures are recorded."),
    )
    check_out_closes_after_end = models.PositiveIntegerField(
        _("check-out closes (minutes after end)"), default=120
    )
    roster_follows_holidays = models.BooleanField(
        _("holidays cancel rostered shifts"), default=False
    )
    is_default = models.BooleanField(
        _("regency default"),
        default=False,
        help_text=_("Used for employees without an assignment (otherwise the 5-day week)."),
    )

    class Meta:
        verbose_name = _("work schedule")
        verbose_name_plural = _("work schedules")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def windows(self) -> CheckWindows:
        def minutes(value):
            return None if value is None else timedelta(minutes=value)

        return CheckWindows(
            check_in_opens_before_start=timedelta(minutes=self.check_in_opens_before_start),
            check_in_closes_after_start=minutes(self.check_in_closes_after_start),
            check_out_opens_before_end=minutes(self.check_out_opens_before_end),
            check_out_closes_after_end=timedelta(minutes=self.check_out_closes_after_end),
        )

    def to_domain(self, periods=None) -> EmployeeSchedule:
        """The pure schedule (without a roster); ScheduleError when the data is unusable."""
        weekly = rules.weekly_from_json(self.name, self.weekly or {})
        periods = self.ramadan_periods.all() if periods is None and self.pk else periods or []
        ramadan = tuple(period.to_domain(weekly) for period in periods)
        return EmployeeSchedule(weekly=weekly, ramadan=ramadan, windows=self.windows())

    def clean(self) -> None:
        try:
            schedule = self.to_domain(periods=[])
            validate_schedule(schedule, expected_weekly_minutes=self.expected_weekly_minutes)
        except ScheduleError as exc:
            raise _schedule_errors(exc, "weekly") from exc


class RamadanPeriod(models.Model):
    """The Ramadan weeks of one year for a schedule; hours default to the Ramadan week."""

    schedule = models.ForeignKey(
        WorkSchedule,
        verbose_name=_("schedule"),
        on_delete=models.CASCADE,
        related_name="ramadan_periods",
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    weekly = models.JSONField(
        _("Ramadan hours"),
        null=True,
        blank=True,
        help_text=_("Empty: 08:00 start, 32.5 hours a week (5- or 6-day, like the schedule)."),
    )

    class Meta:
        verbose_name = _("Ramadan period")
        verbose_name_plural = _("Ramadan periods")
        ordering = ["first_day"]

    def __str__(self) -> str:
        return f"Ramadan {self.first_day}–{self.last_day}"

    def to_domain(self, regular) -> PureRamadanPeriod:
        if self.weekly:
            hours = rules.weekly_from_json(f"Ramadan {self.first_day.year}", self.weekly, "ramadan")
        else:
            six_days = regular.hours_on(5) is not None
            hours = RAMADAN_SIX_DAY_WEEK if six_days else RAMADAN_FIVE_DAY_WEEK
        return PureRamadanPeriod(self.first_day, self.last_day, hours)

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("ends before it starts")})
        if self.weekly:
            try:
                validate_schedule(rules.weekly_from_json("Ramadan", self.weekly, "ramadan"))
            except ScheduleError as exc:
                raise _schedule_errors(exc, "weekly") from exc


class ScheduleAssignment(models.Model):
    """Which schedule an employee works from a date. History is kept: a new assignment closes
    the open one (services.assign_schedule) instead of editing it."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="schedule_assignments",
    )
    schedule = models.ForeignKey(
        WorkSchedule,
        verbose_name=_("schedule"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("schedule assignment")
        verbose_name_plural = _("schedule assignments")
        ordering = ["employee_id", "-valid_from"]
        indexes = [models.Index(fields=["employee", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="assignment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        until = self.valid_to or "…"
        return f"{self.employee_id}: {self.schedule} {self.valid_from}–{until}"


class ShiftRosterEntry(models.Model):
    """One shift of one employee; `date` is the day the shift starts (its planned day)."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="shifts",
    )
    date = models.DateField(_("date"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), help_text=_("May be on the next day."))
    code = models.CharField(_("shift code"), max_length=20, default="S")

    class Meta:
        verbose_name = _("roster shift")
        verbose_name_plural = _("roster shifts")
        ordering = ["employee_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_shift_per_day")
        ]

    def __str__(self) -> str:
        return self.to_domain().label

    def save(self, *args, **kwargs):
        self.date = self.start.astimezone(ZoneInfo(zone_of(self.employee))).date()
        super().save(*args, **kwargs)

    def to_domain(self) -> Shift:
        return Shift(self.code, self.start, self.end)

    def clean(self) -> None:
        if not (self.start and self.end and self.employee_id):
            return
        neighbours = ShiftRosterEntry.objects.filter(
            employee_id=self.employee_id,
            start__gte=self.start - MAX_NEIGHBOUR,
            start__lte=self.start + MAX_NEIGHBOUR,
        ).exclude(pk=self.pk)
        try:
            validate_shifts([self.to_domain(), *(n.to_domain() for n in neighbours)])
        except ScheduleError as exc:
            raise ValidationError(
                {"end": messages.schedule_error_texts(exc, with_path=False)}
            ) from exc


# When attendance counts: transfers between OPDs and declared outages ------------------------


class OpdTransfer(models.Model):
    """An employee's move to another OPD from a date: the history that says, for any past day,
    which OPD's attendance it counts for. Recorded by services.transfer_employee, and
    automatically (effective the day of the change) when an employee's OPD is edited."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_opd = models.ForeignKey(
        Opd, verbose_name=_("from OPD"), on_delete=models.PROTECT, related_name="+"
    )
    to_opd = models.ForeignKey(
        Opd, verbose_name=_("to OPD"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("effective on"), help_text=_("The first day in the new OPD."))
    reference = models.CharField(_("decree reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("OPD transfer")
        verbose_name_plural = _("OPD transfers")
        ordering = ["employee_id", "effective_on", "id"]
        indexes = [models.Index(fields=["employee", "effective_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_opd=models.F("to_opd")), name="transfer_changes_opd"
            )
        ]

    def __str__(self) -> str:
        return f"{self.effective_on}: {self.from_opd_id} → {self.to_opd_id}"


class Outage(models.Model):
    """Days for which the system has no data through no fault of the employees: declared by an
    administrator for the regency, one OPD or one workplace. Those days have no status."""

    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.TextField(_("reason"))
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("only for OPD"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outages",
    )
    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("only for workplace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outages",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("declared outage")
        verbose_name_plural = _("declared outages")
        ordering = ["-first_day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opd__isnull=True) | models.Q(workplace__isnull=True),
                name="outage_scope_opd_or_workplace",
            ),
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="outage_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}: {self.reason[:60]}"

    def clean(self) -> None:
        errors = {}
        if self.opd_id and self.workplace_id:
            errors["workplace"] = _("choose an OPD or a workplace, not both")
        if self.first_day and self.last_day and self.last_day < self.first_day:
            errors["last_day"] = _("ends before it starts")
        if not (self.reason or "").strip():
            errors["reason"] = _("say why there is no data")
        if errors:
            raise ValidationError(errors)


# Leave ----------------------------------------------------------------------------------------


class LeaveKind(models.TextChoices):
    I = "I", _("I – permission (izin)")  # noqa: E741 - the code on every recap
    S = "S", _("S – sick (sakit)")
    CT = "CT", _("CT – annual leave (cuti tahunan)")
    CB = "CB", _("CB – long service leave (cuti besar)")
    CS = "CS", _("CS – sick leave (cuti sakit)")
    CM = "CM", _("CM – maternity leave (cuti melahirkan)")
    CAP = "CAP", _("CAP – leave for important reasons")
    CBER = "CBer", _("CBer – collective leave (cuti bersama)")
    CLTN = "CLTN", _("CLTN – unpaid leave")
    DL = "DL", _("DL – official duty elsewhere (dinas luar)")
    TB = "TB", _("TB – study assignment (tugas belajar)")


class LeavePortion(models.TextChoices):
    FULL = "full", _("full day")
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


ACTIVE_LEAVE = (LeaveStatus.PENDING, LeaveStatus.APPROVED)
PDF_MAGIC, JPEG_MAGIC = b"%PDF-", b"\xff\xd8\xff"


def attachment_type(head: bytes) -> str | None:
    """The file type by its first bytes, never by its name: "pdf", "jpg", or None."""
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(JPEG_MAGIC):
        return "jpg"
    return None


def validate_attachment(file, max_bytes: int = rules.DEFAULT_LEAVE_POLICY.attachment_max_bytes):
    if file.size > max_bytes:
        limit = max_bytes // 1024 // 1024 or 1
        raise ValidationError(_("the file is larger than %(mb)s MB") % {"mb": limit})
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if attachment_type(head) is None:
        raise ValidationError(_("only PDF or JPEG files are accepted"))


def attachment_path(instance, filename: str) -> str:
    # The name is ours: the uploader's file name is not trusted or kept.
    extension = "pdf" if filename.endswith(".pdf") else "jpg"  # named by its magic bytes
    return f"leave/{date.today():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class LeaveRequest(models.Model):
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="leave"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=LeaveKind.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    portion = models.CharField(
        _("portion"), max_length=10, choices=LeavePortion.choices, default=LeavePortion.FULL
    )
    reason = models.TextField(_("reason"), blank=True)
    assignment_letter = models.CharField(
        _("letter of assignment (surat tugas) no."), max_length=100, blank=True
    )
    destination = models.CharField(_("destination"), max_length=200, blank=True)
    # Where a DL takes the employee, so the fraud analysis judges its check-ins there and not
    # against the workplace (hadir.domain.signals.context). Empty: the day is excused as a whole.
    destination_lat = models.FloatField(_("destination latitude"), null=True, blank=True)
    destination_lon = models.FloatField(_("destination longitude"), null=True, blank=True)
    destination_radius_m = models.PositiveIntegerField(
        _("destination radius (m)"),
        null=True,
        blank=True,
        help_text=_("How far around the destination point still counts as there."),
    )
    attachment = models.FileField(
        _("attachment (PDF/JPEG)"),
        upload_to=attachment_path,
        blank=True,
        validators=[validate_attachment],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LeaveStatus.choices,
        default=LeaveStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    recorded_on_behalf = models.BooleanField(_("recorded on the employee's behalf"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-first_day", "-id"]
        indexes = [models.Index(fields=["employee", "first_day"])]

    def __str__(self) -> str:
        days = (
            f"{self.first_day}"
            if self.first_day == self.last_day
            else (f"{self.first_day}–{self.last_day}")
        )
        return f"{self.kind} {days} ({self.get_status_display()})"

    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(count)]


class MonthClosure(models.Model):
    """A month whose recap is final (TPP paid): its statuses are frozen, its inputs locked."""

    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: the whole regency."),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_by_name = models.CharField(_("closed by (name)"), max_length=150, blank=True)
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "month"], name="one_closure_per_opd_month"),
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(opd__isnull=True), name="one_regency_closure"
            ),
        ]

    def __str__(self) -> str:
        scope = self.opd.code if self.opd_id else _("regency")
        return f"{self.month:%Y-%m} ({scope})"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("use the first day of the month")})


# Derived statuses and the overlay on them ----------------------------------------------------


class StatusCorrection(models.Model):
    """A person's correction of a day: an overlay on the computed status, never an edit of the
    evidence. The latest one for a day wins; earlier ones stay as history."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="corrections"
    )
    date = models.DateField(_("date"))
    codes = models.CharField(_("codes"), max_length=40, help_text=_("e.g. H, or TL1+PSW2"))
    late_minutes = models.PositiveIntegerField(_("late minutes"), null=True, blank=True)
    early_minutes = models.PositiveIntegerField(_("early minutes"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("author (name)"), max_length=150)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    after_closure = models.BooleanField(
        _("after the month was closed"),
        default=False,
        help_text=_("A change to a frozen month: the only way its status changes."),
    )

    class Meta:
        verbose_name = _("status correction")
        verbose_name_plural = _("status corrections")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["employee", "date"])]

    def __str__(self) -> str:
        return f"{self.date} → {self.codes}"

    def code_tuple(self) -> tuple[str, ...]:
        return split_codes(self.codes)


def split_codes(text: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in text.replace(",", "+").split("+") if code.strip())


class DailyStatus(models.Model):
    """Derived: the status of one employee-day, recomputable from the inputs. `inputs_hash`
    fingerprints everything it was computed from, so unchanged days are not rewritten.

    A day in progress is stored provisional (`final` False: "belum presensi" has no code);
    pages show its live state at the time they are read (selectors.live_states). In a closed
    month the row is frozen: later input changes only fill `pending_codes`, and a correction
    recorded after closing is what changes the status."""

    # The (employee, date) unique index, and (date descending, employee) for the Status harian
    # page: its date filters and its order. No more: every index slows the monthly upsert.
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="statuses",
        db_index=False,
    )
    date = models.DateField(_("date"))
    codes = models.CharField(_("codes"), max_length=40)
    computed_codes = models.CharField(_("computed codes"), max_length=40)
    late_minutes = models.PositiveIntegerField(_("late minutes"), default=0)
    early_minutes = models.PositiveIntegerField(_("early minutes"), default=0)
    explanation = models.JSONField(_("explanation"), default=dict)
    correction = models.ForeignKey(
        StatusCorrection,
        verbose_name=_("correction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    inputs_hash = models.CharField(max_length=32)
    computed_at = models.DateTimeField(_("computed at"))
    final = models.BooleanField(
        _("final"),
        default=True,
        help_text=_("False while the day is in progress: the status is provisional."),
    )
    pending_codes = models.CharField(
        _("what the inputs say now"),
        max_length=40,
        blank=True,
        help_text=_(
            "Closed month only: the inputs changed after closing and now give these codes. "
            "The frozen status changes only with a correction."
        ),
    )

    class Meta:
        verbose_name = _("daily status")
        verbose_name_plural = _("daily statuses")
        ordering = ["-date", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_status_per_day")
        ]
        indexes = [models.Index(fields=["-date", "employee"], name="status_by_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.codes}"

    def code_tuple(self) -> tuple[str, ...]:
        return split_codes(self.codes)


# Rules as data, and the discipline recommendations refreshed from them ----------------------


class RuleKey(models.TextChoices):
    REGENCY = "regency", _("regency: go-live date and place of signature")
    STATUS_POLICY = "status_policy", _("status bands and grace minutes")
    TPP = "tpp", _("TPP deduction table")
    LEAVE = "leave", _("annual leave and attachments")
    DISCIPLINE = "discipline", _("discipline: minutes per day of absence")
    LADDER_PNS = "ladder_PNS", _("sanction ladder: PNS")
    LADDER_PPPK = "ladder_PPPK", _("sanction ladder: PPPK")
    LADDER_NON_ASN = "ladder_NON_ASN", _("sanction ladder: non-ASN")


class RuleSet(models.Model):
    """One editable rule of this regency, as JSON; a key without a row uses the default."""

    key = models.CharField(_("rule"), max_length=30, choices=RuleKey.choices, unique=True)
    value = models.JSONField(_("value"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.CharField(_("updated by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules (TPP, sanctions, leave)")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()

    def clean(self) -> None:
        try:
            rules.parse(self.key, self.value)
        except rules.RuleError as exc:
            raise ValidationError({"value": messages.rule_error_text(exc)}) from exc


class ReachedBy(models.TextChoices):
    TOTAL = "total", _("days in the year")
    CONSECUTIVE = "consecutive", _("consecutive days")


class DisciplineRecommendation(models.Model):
    """What PP 94/2021 (or the type's ladder) points to for one employee-year, with the dates
    behind it. Refreshed by `discipline`; a person decides and records any sanction. A refresh
    that changes the figures supersedes the row (kept, with `superseded_at`) and adds a new one."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    employee_type = models.CharField(
        _("employee type"), max_length=10, choices=EmployeeType.choices
    )
    tk_days = models.PositiveIntegerField(_("TK days"))
    longest_run = models.PositiveIntegerField(_("longest consecutive TK run"))
    late_minutes = models.PositiveIntegerField(_("late minutes"))
    early_minutes = models.PositiveIntegerField(_("early minutes"))
    minute_days = models.PositiveIntegerField(_("days from minutes"))
    equivalent_days = models.PositiveIntegerField(_("equivalent days"))
    rung_code = models.CharField(_("sanction code"), max_length=40, blank=True)
    rung_name = models.CharField(_("recommended sanction"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, blank=True)
    reached_by = models.CharField(
        _("reached by"), max_length=12, blank=True, choices=ReachedBy.choices
    )
    evidence = models.JSONField(_("dates"), default=dict)
    computed_through = models.DateField(_("statuses through"))
    refreshed_at = models.DateTimeField(_("refreshed at"), default=timezone.now)
    superseded_at = models.DateTimeField(
        _("superseded at"),
        null=True,
        blank=True,
        help_text=_("Empty: the current recommendation. Otherwise a later refresh replaced it."),
    )

    class Meta:
        verbose_name = _("discipline recommendation")
        verbose_name_plural = _("discipline recommendations")
        ordering = ["-year", "-equivalent_days"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_recommendation_a_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.rung_name or '-'}"


# Keeping statuses current ---------------------------------------------------------------------


class RecomputeReason(models.TextChoices):
    OUTAGE = "outage", _("declared outage")
    GO_LIVE = "go_live", _("go-live date")
    OPD_JOINED = "opd_joined", _("OPD joining date")
    SCHEDULE = "schedule", _("work schedule")
    RULES = "rules", _("status rules")
    MANUAL = "manual", _("by hand")


class RecomputeRequest(models.Model):
    """A change whose days are too many to recompute inside a web request: queued here, done by
    the worker (attendance.refresh.process_recompute_requests) or `hadir recompute --pending`.
    Scope: one employee, an OPD (with those transferred in or out), a workplace, the employees of
    a schedule, or (all empty) the regency."""

    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=20, choices=RecomputeReason.choices)
    opd = models.ForeignKey(
        Opd,
        verbose_name=_("OPD"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("workplace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    schedule = models.ForeignKey(
        "WorkSchedule",
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by = models.CharField(_("requested by"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)

    class Meta:
        verbose_name = _("recomputation")
        verbose_name_plural = _("recomputations")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["done_at", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.first_day}–{self.last_day}"


class RefreshMark(models.Model):
    """Where the status refresh stands: the last evidence row looked at, the last sweep."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_id} {self.at}"
