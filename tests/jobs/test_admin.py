"""The schedule and the run log in the admin, in Indonesian: BKPSDM edits the schedule, the
Inspektorat reads it, an OPD administrator does not see it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from hadir.jobs.models import Job, JobRun, RunStatus
from hadir.jobs.services import sync_jobs
from hadir.jobs.worker import Worker
from hadir.notify.services import notify
from hadir.org.models import RoleKind
from tests.factories import make_opd, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-kuat-123"


@pytest.fixture
def bkpsdm(client):
    make_user("bkpsdm", role=RoleKind.BKPSDM_ADMIN)
    client.login(username="bkpsdm", password=PASSWORD)
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_schedule_lists_every_job_in_indonesian(bkpsdm):
    sync_jobs()
    html = page(bkpsdm, "/admin/jobs/job/")
    assert "Tugas latar" in html
    for title in (
        "Terbitkan permintaan bukti kehadiran",
        "Hitung status harian",
        "Analisis kecurangan hari sebelumnya",
        "Tutup bulan sebelumnya",
        "Ingatkan perangkat yang menunggu persetujuan",
        "Ingatkan permohonan cuti yang menunggu keputusan",
        "Kirim notifikasi",
    ):
        assert title in html
    assert "setiap 1 menit" in html
    assert "setiap 30 detik" in html
    assert "setiap 5 menit" in html
    assert "setiap hari pukul 01:00" in html
    assert "nonaktif" in html  # closing the month is off


def test_bkpsdm_changes_a_schedule_and_the_next_run_follows_it(bkpsdm):
    sync_jobs()
    job = Job.objects.get(name="remind_leave_requests")
    html = page(bkpsdm, f"/admin/jobs/job/{job.pk}/change/")
    assert "Memberi tahu atasan langsung" in html  # what it does, in Indonesian
    assert "older_than_hours = 24" in html  # its default options
    response = bkpsdm.post(
        f"/admin/jobs/job/{job.pk}/change/",
        {
            "enabled": "on",
            "kind": "daily",
            "every_seconds": "",
            "at_time": "13:30",
            "day_of_month": "",
            "max_attempts": "5",
            "retry_seconds": "120",
            "options": '{"older_than_hours": 48}',
            "runs-TOTAL_FORMS": "0",
            "runs-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    job.refresh_from_db()
    assert job.at_time == time(13, 30)
    assert (job.max_attempts, job.retry_seconds) == (5, 120)
    assert job.effective_options() == {"older_than_hours": 48}
    local = timezone.localtime(job.next_run_at)
    assert (local.hour, local.minute) == (13, 30)
    assert job.next_run_at > timezone.now()
    assert job.next_run_at - timezone.now() <= timedelta(days=1)


def test_a_wrong_option_or_an_incomplete_schedule_is_refused_in_indonesian(bkpsdm):
    sync_jobs()
    job = Job.objects.get(name="remind_leave_requests")
    response = bkpsdm.post(
        f"/admin/jobs/job/{job.pk}/change/",
        {
            "enabled": "on",
            "kind": "monthly",
            "at_time": "",
            "day_of_month": "40",
            "max_attempts": "3",
            "retry_seconds": "60",
            "options": '{"older_than_hours": "lama", "colour": 1}',
            "runs-TOTAL_FORMS": "0",
            "runs-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Isi pukul eksekusinya (waktu setempat)." in html
    assert "Isi tanggal antara 1 dan 31." in html
    assert "Opsi colour tidak dikenal (yang dikenal: older_than_hours)." in html
    assert "Opsi older_than_hours harus sejenis dengan nilai bawaannya 24." in html
    job.refresh_from_db()
    assert job.kind == "daily"


def test_run_now_makes_the_selected_jobs_due(bkpsdm):
    sync_jobs()
    job = Job.objects.get(name="analyze_previous_day")
    response = bkpsdm.post(
        "/admin/jobs/job/", {"action": "run_now", "_selected_action": [job.pk]}, follow=True
    )
    assert "1 tugas akan dijalankan saat pekerja latar memeriksa lagi." in (
        response.content.decode()
    )
    job.refresh_from_db()
    assert job.next_run_at <= timezone.now()


def test_the_run_log_shows_results_and_failures_for_an_administrator(bkpsdm, jobs):
    Job.objects.all().delete()
    jobs.add("test_boom", lambda ctx: 1 / 0, title="Tugas uji", max_attempts=1)
    now = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    [run] = Worker("w:1", clock=lambda: now).run_due()
    assert run.status == RunStatus.FAILED
    html = page(bkpsdm, "/admin/jobs/jobrun/")
    assert "Log eksekusi tugas" in html
    assert "gagal" in html
    assert "ZeroDivisionError: division by zero" in html
    html = page(bkpsdm, f"/admin/jobs/jobrun/{run.pk}/change/")
    assert "Traceback (most recent call last)" in html
    html = page(bkpsdm, f"/admin/jobs/job/{run.job_id}/change/")
    assert "Eksekusi terbaru" in html
    assert "ZeroDivisionError" in html


def test_the_inspektorat_reads_the_schedule_but_cannot_change_it(client):
    sync_jobs()
    make_user("auditor", role=RoleKind.INSPECTOR)
    client.login(username="auditor", password=PASSWORD)
    job = Job.objects.get(name="compute_statuses")
    html = page(client, f"/admin/jobs/job/{job.pk}/change/")
    assert 'name="every_seconds"' not in html
    response = client.post(f"/admin/jobs/job/{job.pk}/change/", {"every_seconds": "1"})
    assert response.status_code == 403
    assert page(client, "/admin/jobs/jobrun/")


def test_an_opd_administrator_does_not_see_the_jobs(client):
    make_user("admin_disdik", role=RoleKind.OPD_ADMIN, opd=make_opd())
    client.login(username="admin_disdik", password=PASSWORD)
    assert client.get("/admin/jobs/job/").status_code == 403
    assert client.get("/admin/jobs/jobrun/").status_code == 403
    assert client.get("/admin/notify/notification/").status_code == 403


def test_the_outbox_shows_each_notification_in_indonesian(bkpsdm):
    user = make_user("ani", staff=False)
    notify(
        user,
        "Devices waiting for your approval for more than %(hours)d hours: %(count)d.",
        {"hours": 4, "count": 2},
    )
    html = page(bkpsdm, "/admin/notify/notification/")
    assert "Notifikasi" in html
    assert "Perangkat yang menunggu persetujuan Anda lebih dari 4 jam: 2." in html


def test_job_run_rows_render_with_unknown_values_without_crashing():
    job = Job.objects.create(
        name="gone", kind="interval", every_seconds=60, next_run_at=timezone.now()
    )
    run = JobRun.objects.create(
        job=job,
        worker="w",
        scheduled_for=timezone.now(),
        started_at=timezone.now(),
        status=RunStatus.SUCCEEDED,
        summary="%(missing)d things",
        summary_values={},
    )
    assert run.rendered_summary() == "%(missing)d things"
    assert str(job.title) == "gone"
