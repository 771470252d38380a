"""The attendance admin: pages open, writes go through the services, scope holds."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from hadir.attendance import leave
from hadir.attendance.models import (
    CalendarOverride,
    DailyStatus,
    LeaveRequest,
    LeaveStatus,
    RuleSet,
    StatusCorrection,
)
from hadir.attendance.services import compute_days
from hadir.org.models import RoleKind
from tests.attendance.conftest import PASSWORD
from tests.factories import make_employee, make_user

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 5)
PAGES = (
    "calendaroverride",
    "workschedule",
    "scheduleassignment",
    "shiftrosterentry",
    "leaverequest",
    "statuscorrection",
    "dailystatus",
    "disciplinerecommendation",
    "monthclosure",
    "ruleset",
    "outage",
    "opdtransfer",
)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def url(model, view="changelist", *args):
    return reverse(f"admin:attendance_{model}_{view}", args=args)


@pytest.mark.parametrize("who", ["root", "opd_admin"])
@pytest.mark.parametrize(
    "page",
    [
        *(f"{m}:changelist" for m in PAGES),
        *(
            f"{m}:add"
            for m in (
                "calendaroverride",
                "leaverequest",
                "statuscorrection",
                "scheduleassignment",
                "shiftrosterentry",
                "outage",
                "opdtransfer",
            )
        ),
    ],
)
def test_every_page_opens(regency, client, who, page):
    login(client, make_user("root", superuser=True) if who == "root" else regency.opd_admin)
    assert client.get(url(*page.split(":"))).status_code == 200


def test_a_status_shows_its_explanation(regency, client):
    compute_days([regency.employee], DAY, DAY)
    login(client, regency.opd_admin)
    row = DailyStatus.objects.get(employee=regency.employee)
    page = client.get(url("dailystatus", "change", row.pk)).content.decode()
    assert "tidak ada presensi masuk maupun pulang" in page


def test_an_opd_admin_sees_only_their_opd(regency, client):
    opd, office = regency.other_opd()
    nurse = make_employee(opd, [office], name="Ns. Maria")
    compute_days([regency.employee, nurse], DAY, DAY)
    login(client, regency.opd_admin)
    page = client.get(url("dailystatus")).content.decode()
    assert "Budi Santoso" in page
    assert "Ns. Maria" not in page


def test_leave_is_approved_and_rejected_with_the_actions(regency, client):
    compute_days([regency.employee], DAY, DAY)
    first = leave.request_leave(regency.employee, kind="I", first_day=DAY, last_day=DAY)
    login(client, regency.opd_admin)
    client.post(url("leaverequest"), {"action": "approve", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == LeaveStatus.APPROVED
    assert DailyStatus.objects.get(date=DAY).codes == "I"
    again = client.post(
        url("leaverequest"), {"action": "approve", "_selected_action": [first.pk]}, follow=True
    ).content.decode()
    assert "Permohonan ini sudah disetujui." in again  # said in Indonesian, no field id
    assert "status: " not in again
    asked = client.post(url("leaverequest"), {"action": "reject", "_selected_action": [first.pk]})
    assert b"decision_reason" in asked.content  # asks for the reason first
    client.post(
        url("leaverequest"),
        {
            "action": "reject",
            "_selected_action": [first.pk],
            "apply": "1",
            "decision_reason": "tidak sah",
        },
    )
    first.refresh_from_db()
    assert (first.status, first.decision_reason) == (LeaveStatus.REJECTED, "tidak sah")
    assert DailyStatus.objects.get(date=DAY).codes == "TK"


def test_the_attachment_is_served_through_the_admin_only_in_scope(regency, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n%%EOF\n"
    sick = leave.request_leave(
        regency.employee,
        kind="S",
        first_day=DAY,
        last_day=DAY,
        attachment=SimpleUploadedFile("x.pdf", pdf),
    )
    login(client, regency.opd_admin)
    page = client.get(url("leaverequest", "change", sick.pk)).content.decode()
    link = reverse("admin:attendance_leaverequest_attachment", args=[sick.pk])
    assert link in page
    answer = client.get(link)
    assert answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content) == pdf
    opd, _ = regency.other_opd()
    client.force_login(make_user("admin_dinkes", role=RoleKind.OPD_ADMIN, opd=opd))
    assert client.get(link).status_code == 404


def test_recording_leave_on_behalf_shows_the_errors(regency, client):
    login(client, regency.opd_admin)
    form = {
        "employee": regency.employee.pk,
        "kind": "DL",
        "first_day": "2026-10-05",
        "last_day": "2026-10-05",
        "portion": "full",
        "reason": "rapat",
    }
    page = client.post(url("leaverequest", "add"), form)
    assert page.status_code == 200
    assert b"surat tugas" in page.content
    assert not LeaveRequest.objects.exists()
    form |= {"assignment_letter": "094/1/2026", "destination": "Palangka Raya"}
    assert client.post(url("leaverequest", "add"), form).status_code == 302
    created = LeaveRequest.objects.get()
    assert created.recorded_on_behalf
    assert created.status == LeaveStatus.APPROVED


def test_a_correction_is_created_through_the_admin(regency, client):
    login(client, regency.opd_admin)
    form = {
        "employee": regency.employee.pk,
        "date": "2026-10-05",
        "codes": "H",
        "reason": "mesin presensi rusak",
    }
    assert client.post(url("statuscorrection", "add"), form).status_code == 302
    correction = StatusCorrection.objects.get()
    assert correction.author_name == "user:admin_disdik"
    assert DailyStatus.objects.get(date=DAY).codes == "H"
    bad = client.post(url("statuscorrection", "add"), form | {"codes": "TK+H"})
    assert bad.status_code == 200
    assert StatusCorrection.objects.count() == 1
    assert client.get(url("statuscorrection", "change", correction.pk)).status_code in (200, 403)


def test_a_holiday_added_in_the_admin_recomputes(regency, client):
    compute_days([regency.employee], DAY, DAY)
    login(client, make_user("root", superuser=True))
    form = {
        "date": "2026-10-05",
        "action": "add_holiday",
        "name": "Hari Jadi Kotim",
        "kind": "regional",
        "reference": "Perbup 3/2026",
        "works_like_weekday": "0",
    }
    assert client.post(url("calendaroverride", "add"), form).status_code == 302
    assert CalendarOverride.objects.get().created_by == "user:root"
    assert DailyStatus.objects.get(employee=regency.employee, date=DAY).codes == "L"


def test_an_opd_admin_cannot_add_a_regency_holiday(regency, client):
    login(client, regency.opd_admin)
    form = {
        "date": "2026-10-05",
        "action": "add_holiday",
        "name": "Libur",
        "kind": "regional",
        "works_like_weekday": "0",
    }
    page = client.post(url("calendaroverride", "add"), form)
    assert page.status_code == 200
    assert not CalendarOverride.objects.exists()


def test_a_bad_rule_is_refused(regency, client):
    login(client, make_user("root", role=RoleKind.SUPERADMIN, superuser=True))
    form = {"key": "tpp", "value": '{"percent_by_code": {"TK": "-3"}}'}
    page = client.post(url("ruleset", "add"), form)
    assert page.status_code == 200
    assert "tpp: potongan TPP tidak boleh negatif untuk TK" in page.content.decode()
    form["value"] = '{"percent_by_code": {"TK": "4"}, "cap_percent": "100"}'
    assert client.post(url("ruleset", "add"), form).status_code == 302
    assert RuleSet.objects.get().value["percent_by_code"] == {"TK": "4"}


def test_a_ladder_rung_with_a_bad_level_or_days_is_refused_in_indonesian(regency, client):
    login(client, make_user("root", role=RoleKind.SUPERADMIN, superuser=True))
    rung = '{"code": "A", "name": "teguran", "level": "%s", "min_days": %s, "max_days": 3}'
    form = {"key": "ladder_PNS", "value": '{"rungs": [%s]}' % (rung % ("parah", "1"))}
    page = client.post(url("ruleset", "add"), form).content.decode()
    assert (
        "rungs[0].level: &#x27;parah&#x27; bukan tingkat hukuman disiplin "
        "(pilih salah satu: ringan, sedang, berat)"
    ) in page
    form["value"] = '{"rungs": [%s]}' % (rung % ("ringan", '"satu"'))
    page = client.post(url("ruleset", "add"), form).content.decode()
    assert "rungs[0].min_days: &#x27;satu&#x27; bukan jumlah hari berupa bilangan bulat" in page
    assert not RuleSet.objects.exists()


def test_an_outage_declared_in_the_admin_removes_the_statuses_of_its_days(regency, client):
    compute_days([regency.employee], DAY, DAY)
    login(client, regency.opd_admin)
    form = {"first_day": "2026-10-05", "last_day": "2026-10-05", "reason": "server mati"}
    refused = client.post(url("outage", "add"), form)  # regency-wide: not for an OPD admin
    assert refused.status_code == 200
    assert DailyStatus.objects.filter(date=DAY).exists()
    answer = client.post(url("outage", "add"), {**form, "opd": regency.opd.pk})
    assert answer.status_code == 302
    assert not DailyStatus.objects.filter(date=DAY).exists()


def test_a_transfer_recorded_in_the_admin_moves_the_employee(regency, client):
    opd, _ = regency.other_opd()
    login(client, make_user("root", superuser=True))
    form = {"employee": regency.employee.pk, "to_opd": opd.pk, "effective_on": "2026-10-05"}
    assert client.post(url("opdtransfer", "add"), form).status_code == 302
    regency.employee.refresh_from_db()
    assert regency.employee.opd == opd
    again = client.post(url("opdtransfer", "add"), {**form, "effective_on": "2026-10-02"})
    assert "sudah tercatat mutasi yang lebih akhir" in again.content.decode()


def test_setting_the_go_live_date_in_the_rules_removes_earlier_statuses(regency, client):
    compute_days([regency.employee], date(2026, 10, 1), DAY)
    login(client, make_user("root", superuser=True))
    form = {"key": "regency", "value": '{"go_live": "2026-10-05", "place": "Sampit"}'}
    assert client.post(url("ruleset", "add"), form).status_code == 302
    assert list(DailyStatus.objects.values_list("date", flat=True)) == [DAY]


def test_the_rules_editor_refuses_in_indonesian_and_in_english_when_chosen(regency, client):
    login(client, make_user("root", role=RoleKind.SUPERADMIN, superuser=True))
    form = {"key": "regency", "value": '{"go_live": "5 Oktober", "place": "Sampit"}'}
    page = client.post(url("ruleset", "add"), form).content.decode()
    assert "go_live: tanggal YYYY-MM-DD, atau null" in page
    client.cookies["django_language"] = "en"
    try:
        page = client.post(url("ruleset", "add"), form).content.decode()
    finally:
        translation.deactivate()  # the request leaves English active in this thread
    assert "go_live: a date YYYY-MM-DD, or null" in page
    assert not RuleSet.objects.exists()


@translation.override("id")  # the language of a request, the default
def test_the_schedule_editor_refuses_in_indonesian(regency):
    from django.core.exceptions import ValidationError

    from hadir.attendance.models import WorkSchedule

    hours = {"start": "16:00", "end": "07:30", "rests": [["12:00", "13:00"]]}
    schedule = WorkSchedule(name="Terbalik", weekly={"monday": hours, "tuesday": "pagi"})
    with pytest.raises(ValidationError) as refused:
        schedule.clean()
    said = refused.value.message_dict["weekly"]
    assert "weekly.tuesday: harus null atau {" in said[0]
    schedule.weekly = {"monday": hours}
    with pytest.raises(ValidationError) as refused:
        schedule.clean()
    assert refused.value.message_dict["weekly"] == [
        "weekly.monday.end: jam selesai 07:30 tidak setelah jam mulai 16:00"
    ]
