"""Flag answers, discipline cases with their steps and letters, and the letters' texts.

A case's steps are append-only (`CaseStep`): the case row keeps only where it stands now (stage,
due date, escalation) so that lists and the escalation job need no history walk. A letter keeps
the text and letterhead it was issued with: editing a template later changes no issued letter.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.domain.discipline_cases import Decision, Stage
from hadir.fraud.models import FlagReview
from hadir.org.models import Employee, Opd


class FlagAnswer(models.Model):
    """The employee's answer to a confirmed flag. Append-only; the latest is shown first."""

    review = models.ForeignKey(
        FlagReview, verbose_name=_("flag review"), on_delete=models.PROTECT, related_name="answers"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("answer"))
    at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer to a flag")
        verbose_name_plural = _("answers to flags")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.employee.identifier} {self.review.day} {self.at:%Y-%m-%d %H:%M}"


class Ground(models.TextChoices):
    FLAG = "flag", _("confirmed flag")
    SPOT_CHECK = "spot_check", _("spot check (sidak)")
    THRESHOLD = "threshold", _("absence threshold of the sanction engine")
    REPORT = "report", _("other finding or report")


STAGE_LABELS = {
    Stage.OPENED: _("opened: summons due"),
    Stage.SUMMONED_1: _("summons I issued: examination due"),
    Stage.MISSED_1: _("did not attend: summons II due"),
    Stage.SUMMONED_2: _("summons II issued: examination due"),
    Stage.EXAMINED: _("examined: decision due"),
    Stage.DECIDED: _("decided: delivery due"),
    Stage.CLOSED: _("closed"),
}

DECISION_LABELS = {
    Decision.TEGURAN_LISAN: _("teguran lisan (verbal reprimand)"),
    Decision.TEGURAN_TERTULIS: _("teguran tertulis (written reprimand)"),
    Decision.TIDAK_PUAS: _("pernyataan tidak puas secara tertulis"),
    Decision.REFERRAL: _("referral to the higher authorised official"),
    Decision.NOT_PROVEN: _("no violation proven"),
}


class DisciplineCase(models.Model):
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="cases"
    )
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+"
    )  # the employee's OPD when opened: scope follows the case, not a later transfer
    ground = models.CharField(_("ground"), max_length=12, choices=Ground.choices)
    flag_review = models.ForeignKey(
        FlagReview,
        verbose_name=_("confirmed flag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    recommendation = models.ForeignKey(
        "attendance.DisciplineRecommendation",
        verbose_name=_("sanction engine recommendation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    violation = models.TextField(_("alleged violation"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    opened_by = models.CharField(_("opened by"), max_length=150)
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=[(s.value, label) for s, label in STAGE_LABELS.items()],
        default=Stage.OPENED.value,
        db_index=True,
    )
    stage_since = models.DateField(_("stage since"))
    examination_on = models.DateField(_("examination date"), null=True, blank=True)
    examination_time = models.CharField(_("examination time"), max_length=20, blank=True)
    examination_place = models.CharField(_("examination place"), max_length=200, blank=True)
    due_on = models.DateField(_("next step due"), null=True, blank=True, db_index=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_for = models.DateField(_("escalated for due date"), null=True, blank=True)
    decision = models.CharField(
        _("decision"),
        max_length=24,
        blank=True,
        choices=[(d.value, label) for d, label in DECISION_LABELS.items()],
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return _("case %(pk)s: %(employee)s") % {"pk": self.pk, "employee": self.employee}

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED.value


class StepKind(models.TextChoices):
    OPENED = "opened", _("case opened")
    SUMMONS = "summons", _("summons issued")
    EXAMINED = "examined", _("examination recorded")
    MISSED = "missed", _("did not attend the examination")
    DECIDED = "decided", _("decision recorded")
    DELIVERED = "delivered", _("decision delivered")
    ESCALATED = "escalated", _("escalated: past its deadline")


class CaseStep(models.Model):
    """One thing that happened to a case. Never edited."""

    case = models.ForeignKey(
        DisciplineCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.CharField(_("by"), max_length=150)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} {self.on}"


class LetterKind(models.TextChoices):
    SUMMONS_1 = "summons_1", _("Surat panggilan I")
    SUMMONS_2 = "summons_2", _("Surat panggilan II")
    EXAMINATION = "examination", _("Berita acara pemeriksaan")
    TEGURAN_LISAN = "teguran_lisan", _("Keputusan hukuman disiplin: teguran lisan")
    TEGURAN_TERTULIS = "teguran_tertulis", _("Keputusan hukuman disiplin: teguran tertulis")
    TIDAK_PUAS = (
        "pernyataan_tidak_puas",
        _("Keputusan hukuman disiplin: pernyataan tidak puas secara tertulis"),
    )
    REFERRAL = "referral", _("Laporan kepada pejabat yang berwenang menghukum")


class SignerRole(models.TextChoices):
    SUPERVISOR = "atasan", _("the employee's direct supervisor (atasan langsung)")
    OPD_HEAD = "kepala_opd", _("the head of the OPD (Kepala OPD)")


class LetterTemplate(models.Model):
    """The text of one kind of letter, editable by the administrators; `{placeholders}` are
    filled when a letter is issued (the admin lists them)."""

    kind = models.CharField(_("letter"), max_length=24, choices=LetterKind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    signer = models.CharField(
        _("signed by"), max_length=12, choices=SignerRole.choices, default=SignerRole.SUPERVISOR
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Letterhead(models.Model):
    """The regency's letterhead (kop surat) and letter numbering. One row."""

    government = models.CharField(
        _("government"), max_length=200, default="PEMERINTAH KABUPATEN KOTAWARINGIN TIMUR"
    )
    address = models.CharField(
        _("address line"),
        max_length=300,
        default="Jalan Jenderal Sudirman Km. 5,5 Sampit, Kalimantan Tengah 74322",
    )
    place = models.CharField(_("place of signature"), max_length=100, default="Sampit")
    number_pattern = models.CharField(
        _("letter number pattern"),
        max_length=100,
        default="800.1.6/{seq}/{opd}/{year}",
        help_text=_(
            "Placeholders: <code>{seq}</code> (running number per OPD and year), "
            "<code>{opd}</code>, <code>{year}</code>."
        ),
    )

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterhead")

    def __str__(self) -> str:
        return self.government

    @classmethod
    def current(cls) -> Letterhead:
        return cls.objects.order_by("pk").first() or cls()


class Letter(models.Model):
    """An issued letter, frozen: its number, date, text, letterhead and signer."""

    case = models.ForeignKey(
        DisciplineCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="letters"
    )
    kind = models.CharField(_("letter"), max_length=24, choices=LetterKind.choices)
    opd = models.ForeignKey(Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("running number"))
    number = models.CharField(_("number"), max_length=100)
    dated = models.DateField(_("dated"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    heading = models.JSONField(_("letterhead"))
    signer_title = models.CharField(_("signer's position"), max_length=200)
    signer_name = models.CharField(_("signer's name"), max_length=200)
    signer_nip = models.CharField(_("signer's NIP"), max_length=30, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=150)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opd", "year", "seq"], name="one_letter_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"
