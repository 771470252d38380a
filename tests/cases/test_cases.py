"""Discipline cases: opening (from nothing, a confirmed flag, the sanction engine), summons I and
II, examination, decision, delivery, letters as PDFs, deadlines and escalation, history."""

import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone

from hadir.attendance.models import DisciplineRecommendation
from hadir.cases import services
from hadir.cases.access import viewer_for
from hadir.cases.admin import LetterTemplateForm
from hadir.cases.jobs import escalate_overdue_cases
from hadir.cases.models import CaseStep, DisciplineCase, Letter, LetterTemplate
from hadir.domain.discipline_cases import add_working_days
from hadir.fraud.models import FlagReview
from hadir.notify.models import Notification
from tests.cases.conftest import open_case_for

pytestmark = pytest.mark.django_db


def exam_day(today=None):
    today = today or services.today()
    return add_working_days(today, 8, services.off_days(today))


def test_opening_without_a_source_is_a_page_to_choose_employee_and_ground(world, login):
    page = login("kepala_disdik").get("/pantau/kasus/buka/")
    assert page.status_code == 200
    choices = {e.pk for e in page.context["form"].fields["employee"].queryset}
    assert world.employee.pk in choices
    assert world.colleague.pk in choices
    assert world.outsider.pk not in choices  # another OPD
    assert world.head.pk not in choices  # nobody opens his own case
    assert "Tono" not in page.content.decode()


def test_a_case_is_opened_by_choosing_employee_and_ground(world, login):
    reply = login("kepala_disdik").post(
        "/pantau/kasus/buka/",
        {
            "employee": world.employee.pk,
            "ground": "spot_check",
            "source_ref": "Sidak 3 November",
            "violation": "Tidak berada di kantor saat sidak",
        },
    )
    case = DisciplineCase.objects.get()
    assert reply.status_code == 302
    assert reply["Location"] == f"/pantau/kasus/{case.pk}/"
    assert (case.stage, case.ground, case.opd_id) == ("opened", "spot_check", world.opd.pk)
    assert case.due_on == add_working_days(services.today(), 7, services.off_days(case.stage_since))
    assert CaseStep.objects.get().kind == "opened"


def test_an_employee_of_another_opd_cannot_be_chosen(world, login):
    reply = login("kepala_disdik").post(
        "/pantau/kasus/buka/",
        {"employee": world.outsider.pk, "ground": "report", "violation": "Tidak masuk kerja"},
    )
    assert reply.status_code == 422
    assert not DisciplineCase.objects.exists()


def test_a_case_is_opened_from_a_confirmed_flag(world, flag, login):
    client = login("kepala_disdik")
    client.post(f"/pantau/flag/{flag.pk}/tinjau/", {"decision": "confirmed", "reason": "HP rekan"})
    review = FlagReview.objects.get()
    page = client.get(f"/pantau/kasus/buka/?flag={review.pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["employee"] == world.employee.pk
    reply = client.post(
        "/pantau/kasus/buka/",
        {
            "flag": review.pk,
            "employee": world.employee.pk,
            "ground": "flag",
            "violation": "HP rekan",
        },
    )
    assert reply.status_code == 302
    case = DisciplineCase.objects.get()
    assert case.flag_review == review
    assert (
        f'href="/pantau/flag/{flag.pk}/"'
        in client.get(f"/pantau/kasus/{case.pk}/").content.decode()
    )


def test_a_dismissed_flag_is_no_ground(world, flag, login):
    client = login("kepala_disdik")
    client.post(f"/pantau/flag/{flag.pk}/tinjau/", {"decision": "dismissed", "reason": "Sinyal"})
    review = FlagReview.objects.get()
    assert client.get(f"/pantau/kasus/buka/?flag={review.pk}").status_code == 404


def test_a_case_is_opened_from_the_sanction_engine(world, login):
    recommendation = DisciplineRecommendation.objects.create(
        employee=world.employee,
        year=2026,
        employee_type="PNS",
        tk_days=5,
        longest_run=2,
        late_minutes=0,
        early_minutes=0,
        minute_days=0,
        equivalent_days=5,
        rung_code="teguran_tertulis",
        rung_name="teguran tertulis",
        level="ringan",
        reached_by="total",
        computed_through=date(2026, 11, 30),
    )
    client = login("bkpsdm")
    assert client.get("/pantau/kasus/buka/").context["thresholds"] == [recommendation]
    assert login("kepala_dinkes").get("/pantau/kasus/buka/").context["thresholds"] == []
    client = login("bkpsdm")
    page = client.get(f"/pantau/kasus/buka/?rekomendasi={recommendation.pk}")
    assert page.context["form"].initial["ground"] == "threshold"
    client.post(
        "/pantau/kasus/buka/",
        {
            "rekomendasi": recommendation.pk,
            "employee": world.employee.pk,
            "ground": "threshold",
            "violation": page.context["form"].initial["violation"],
        },
    )
    assert DisciplineCase.objects.get().recommendation == recommendation
    assert client.get("/pantau/kasus/buka/").context["thresholds"] == []
    other = login("kepala_dinkes")
    assert other.get(f"/pantau/kasus/buka/?rekomendasi={recommendation.pk}").status_code == 404


def test_inspektorat_reads_cases_but_does_not_open_or_move_them(world, login):
    case = open_case_for(world)
    client = login("inspektur")
    assert client.get("/pantau/kasus/buka/").status_code == 403
    page = client.get(f"/pantau/kasus/{case.pk}/")
    assert page.status_code == 200
    assert page.context["actions"] == []
    reply = client.post(
        f"/pantau/kasus/{case.pk}/summon/",
        {
            "summon-examination_on": exam_day().isoformat(),
            "summon-examination_time": "09.00",
            "summon-examination_place": "Ruang rapat",
        },
    )
    assert reply.status_code == 403
    assert DisciplineCase.objects.get().stage == "opened"


def _summon(client, case, day):
    return client.post(
        f"/pantau/kasus/{case.pk}/summon/",
        {
            "summon-examination_on": day.isoformat(),
            "summon-examination_time": "09.00 WIB",
            "summon-examination_place": "Ruang Kepala Dinas",
        },
    )


def test_a_summons_too_soon_is_refused_with_the_earliest_date(world, login):
    case = open_case_for(world)
    client = login("196901011990031001")  # the atasan langsung
    reply = _summon(client, case, services.today() + timedelta(days=1))
    assert reply.status_code == 422
    assert "hari kerja" in reply.context["error"]
    assert not Letter.objects.exists()


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_whole_case_summons_twice_examines_decides_and_delivers(world, login, tmp_path):
    case = open_case_for(world, violation="Presensi dari luar kantor")
    atasan = login("196901011990031001")
    first = exam_day()
    assert _summon(atasan, case, first).status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.examination_on) == ("summoned_1", first)
    summons = Letter.objects.get()
    assert summons.kind == "summons_1"
    assert summons.signer_name == "Pak Atasan"
    assert summons.number == f"800.1.6/001/DISDIK/{summons.dated.year}"
    download = atasan.get(f"/pantau/kasus/surat/{summons.pk}.pdf")
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content, tmp_path)
    assert "SURAT PANGGILAN I" in text
    assert "RAHASIA" in text
    assert "Budi" in text
    assert summons.number in text
    assert "DINAS PENDIDIKAN" in text

    # The employee did not come (recorded on the day): a second summons follows.
    DisciplineCase.objects.filter(pk=case.pk).update(examination_on=services.today())
    assert atasan.post(f"/pantau/kasus/{case.pk}/missed/", {"missed-note": ""}).status_code == 302
    case.refresh_from_db()
    assert case.stage == "missed_1"
    assert _summon(atasan, case, exam_day()).status_code == 302
    case.refresh_from_db()
    assert case.stage == "summoned_2"
    assert Letter.objects.filter(kind="summons_2").get().seq == 2

    reply = atasan.post(
        f"/pantau/kasus/{case.pk}/examine/",
        {
            "examine-held_on": services.today().isoformat(),
            "examine-findings": "T: Mengapa presensi dari rumah? J: Anak sakit.",
            "examine-statement": "Saya mengaku salah",
        },
    )
    assert reply.status_code == 302
    case.refresh_from_db()
    assert case.stage == "examined"
    bap = Letter.objects.get(kind="examination")
    assert "Anak sakit" in bap.body

    # The atasan may not decide; the Kepala OPD does.
    page = atasan.get(f"/pantau/kasus/{case.pk}/")
    assert [a["name"] for a in page.context["actions"]] == []
    refused = atasan.post(
        f"/pantau/kasus/{case.pk}/decide/", {"decide-decision": "teguran_tertulis"}
    )
    assert refused.status_code == 403
    head = login("kepala_disdik")
    reply = head.post(
        f"/pantau/kasus/{case.pk}/decide/",
        {"decide-decision": "teguran_tertulis", "decide-grounds": "Pelanggaran pertama"},
    )
    assert reply.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.decision) == ("decided", "teguran_tertulis")
    decision = Letter.objects.get(kind="teguran_tertulis")
    assert decision.signer_name == "Drs. Kepala Disdik"
    assert decision.signer_title.startswith("Kepala")
    text = pdf_text(head.get(f"/pantau/kasus/surat/{decision.pk}.pdf").content, tmp_path)
    assert "TEGURAN TERTULIS" in text
    assert "Drs. Kepala Disdik" in text

    reply = head.post(
        f"/pantau/kasus/{case.pk}/deliver/",
        {"deliver-delivered_on": services.today().isoformat(), "deliver-note": ""},
    )
    assert reply.status_code == 302
    case.refresh_from_db()
    assert case.stage == "closed"
    assert case.due_on is None
    assert case.closed_at
    kinds = list(case.steps.values_list("kind", flat=True))
    assert kinds == ["opened", "summons", "missed", "summons", "examined", "decided", "delivered"]
    assert [letter.seq for letter in Letter.objects.order_by("seq")] == [1, 2, 3, 4]


def test_a_step_out_of_order_is_refused(world, login):
    case = open_case_for(world)
    reply = login("kepala_disdik").post(
        f"/pantau/kasus/{case.pk}/decide/", {"decide-decision": "teguran_lisan"}
    )
    assert reply.status_code == 422
    assert DisciplineCase.objects.get().stage == "opened"


def test_another_opds_case_and_letters_are_not_found(world, login):
    case = open_case_for(world)
    services.summon(
        viewer_for(world.head_user),
        case,
        examination_on=exam_day(),
        examination_time="09.00",
        examination_place="Aula",
    )
    letter = Letter.objects.get()
    client = login("kepala_dinkes")
    assert client.get(f"/pantau/kasus/{case.pk}/").status_code == 404
    assert client.get(f"/pantau/kasus/surat/{letter.pk}.pdf").status_code == 404
    assert client.post(f"/pantau/kasus/{case.pk}/missed/", {}).status_code == 404
    assert client.get(f"/pantau/kasus/pegawai/{world.employee.pk}/").status_code == 404
    listed = client.get("/pantau/kasus/?status=all").context["page"].object_list
    assert list(listed) == []
    assert login("sari").get(f"/pantau/kasus/{case.pk}/").status_code == 403


def test_the_atasan_sees_his_subordinates_cases_only(world, login):
    mine = open_case_for(world)
    other = open_case_for(world, employee=world.head, by=world.bkpsdm)
    client = login("196901011990031001")
    listed = [c.pk for c in client.get("/pantau/kasus/?status=all").context["page"].object_list]
    assert listed == [mine.pk]
    assert client.get(f"/pantau/kasus/{other.pk}/").status_code == 404


def test_an_overdue_case_is_escalated_once_to_the_head_and_bkpsdm(world, login):
    case = open_case_for(world)
    late = timezone.now() + timedelta(days=30)
    assert services.escalate_overdue(late) == 1
    case.refresh_from_db()
    assert case.escalated_for == case.due_on
    told = set(
        Notification.objects.filter(topic="case.overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"kepala_disdik", "bkpsdm"}
    assert services.escalate_overdue(late) == 0  # once per missed due date
    assert case.steps.filter(kind="escalated").count() == 1


def test_a_case_within_its_deadline_is_not_escalated(world):
    open_case_for(world)
    assert services.escalate_overdue(timezone.now()) == 0
    assert not Notification.objects.filter(topic="case.overdue").exists()


def test_escalated_cases_show_on_the_head_and_bkpsdm_lists(world, login):
    case = open_case_for(world)
    DisciplineCase.objects.filter(pk=case.pk).update(due_on=services.today() - timedelta(days=3))
    services.escalate_overdue()
    for user in ("kepala_disdik", "bkpsdm"):
        page = login(user).get("/pantau/kasus/?status=overdue")
        assert [c.pk for c in page.context["page"].object_list] == [case.pk]
        assert "badge overdue" in page.content.decode()
    detail = login("kepala_disdik").get(f"/pantau/kasus/{case.pk}/")
    assert detail.context["overdue_days"] == 3


def test_the_escalation_job_is_registered_and_reports(world):
    from hadir.jobs.registry import JobContext

    open_case_for(world)
    DisciplineCase.objects.update(due_on=services.today() - timedelta(days=1))
    now = timezone.now()
    result = escalate_overdue_cases(
        JobContext(now=now, tz=services.zone(), scheduled_for=now, last_success=None, options={})
    )
    assert result.values == {"count": 1}


def test_an_edited_template_changes_new_letters_only(world):
    case = open_case_for(world)
    viewer = viewer_for(world.head_user)
    LetterTemplate.objects.filter(kind="summons_1").update(body="Sdr. {nama} dipanggil. {nomor}")
    services.summon(
        viewer, case, examination_on=exam_day(), examination_time="9", examination_place="Aula"
    )
    letter = Letter.objects.get()
    assert letter.body == f"Sdr. Budi dipanggil. {letter.number}"
    LetterTemplate.objects.filter(kind="summons_1").update(body="Teks baru")
    letter.refresh_from_db()
    assert letter.body.startswith("Sdr. Budi")


def test_the_admin_refuses_a_template_with_an_unknown_placeholder(db):
    form = LetterTemplateForm(
        {"kind": "summons_1", "title": "X", "signer": "atasan", "body": "Halo {nama_lengkap}"}
    )
    assert not form.is_valid()
    assert "nama_lengkap" in str(form.errors["body"])


def test_the_employees_case_history(world, flag, login):
    case = open_case_for(world)
    page = login("kepala_disdik").get(f"/pantau/kasus/pegawai/{world.employee.pk}/")
    assert page.status_code == 200
    assert list(page.context["cases"]) == [case]


def test_the_overdue_panel_for_boards_shows_the_scopes_late_cases(world, login):
    from django.template import Context, Template
    from django.test import RequestFactory

    case = open_case_for(world)
    DisciplineCase.objects.filter(pk=case.pk).update(due_on=services.today() - timedelta(days=2))
    fragment = login("kepala_disdik").get("/pantau/kasus/terlambat/")
    assert fragment.status_code == 200
    assert "Budi" in fragment.content.decode()
    assert "Budi" not in login("kepala_dinkes").get("/pantau/kasus/terlambat/").content.decode()
    request = RequestFactory().get("/pantau/")
    request.user = world.bkpsdm
    html = Template("{% load cases_panels %}{% overdue_cases_panel %}").render(
        Context({"request": request})
    )
    assert f"/pantau/kasus/{case.pk}/" in html


def test_the_examination_record_is_signed_by_the_examined_employee_too(world, login, tmp_path):
    case = open_case_for(world)
    viewer = viewer_for(world.head_user)
    services.summon(
        viewer, case, examination_on=exam_day(), examination_time="9", examination_place="Aula"
    )
    services.record_examination(
        viewer, case, held_on=services.today(), findings="T: Mengapa? J: Lupa.", statement=""
    )
    letter = Letter.objects.get(kind="examination")
    text = pdf_text(
        login("kepala_disdik").get(f"/pantau/kasus/surat/{letter.pk}.pdf").content, tmp_path
    )
    assert "BERITA ACARA PEMERIKSAAN" in text
    assert "Pegawai yang diperiksa" in text
    assert f"NIP. {world.employee.identifier}" in text
    assert "Pak Atasan" in text
