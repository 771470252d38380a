"""A refused leave request, decision or look-up says why in Indonesian through the API: the
leave services' checks (annual-leave balance and service, dinas luar, dates, attachments) go
through the catalogue like every other message."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.org.models import ApiToken
from tests.factories import make_employee, make_user
from tests.i18n_text import english_words

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, timedelta(hours=1))}"}


def refusal(answer, status=422) -> dict[str, str]:
    assert answer.status_code == status, answer.content
    body = answer.json()
    messages = {f["field"]: f["message"] for f in body.get("fields", [])}
    text = "\n".join([body["message"], *messages.values()])
    assert not english_words(text), text
    return messages or {"": body["message"]}


def ask(client, user, **fields):
    return client.post("/api/v1/leave", fields, **bearer(user))


def test_annual_leave_beyond_the_balance_is_refused_in_indonesian(regency, client):
    # 2025 unused: 6 days carried over (the default cap)
    answer = ask(client, regency.user, kind="CT", first_day="2026-10-01", last_day="2026-10-31")
    assert refusal(answer) == {
        "last_day": "Meminta 22 hari kerja cuti tahunan pada 2026; sisanya 18 hari "
        "(hak 12 + 6 sisa tahun lalu − 0 sudah diambil atau menunggu keputusan)."
    }


def test_annual_leave_before_a_year_of_service_is_refused_in_indonesian(regency, client):
    user = make_user("199501012026011001", staff=False)
    newcomer = make_employee(regency.opd, [regency.office], identifier=user.username, user=user)
    newcomer.active_from = date(2026, 3, 2)
    newcomer.save()
    answer = ask(client, user, kind="CT", first_day="2026-10-05", last_day="2026-10-05")
    assert refusal(answer) == {
        "kind": "Cuti tahunan dapat diambil setelah 12 bulan masa kerja, mulai 2 Maret 2027."
    }


def test_dinas_luar_and_date_checks_are_refused_in_indonesian(regency, client):
    answer = ask(client, regency.user, kind="DL", first_day="2026-10-06", last_day="2026-10-06")
    assert refusal(answer) == {
        "assignment_letter": "Dinas luar memerlukan nomor surat tugas.",
        "destination": "Dinas luar memerlukan tujuan.",
    }
    answer = ask(client, regency.user, kind="I", first_day="2026-10-07", last_day="2026-10-06")
    assert refusal(answer) == {
        "last_day": "Hari terakhir (6 Oktober 2026) lebih awal dari hari pertama (7 Oktober 2026)."
    }
    answer = ask(
        client, regency.user, kind="I", first_day="2026-10-06", last_day="2026-10-07", portion="pm"
    )
    assert refusal(answer) == {
        "portion": "Pilih sehari penuh, setengah hari pagi, atau setengah hari siang."
    }
    answer = ask(client, regency.user, kind="CS", first_day="2026-10-06", last_day="2026-10-06")
    assert refusal(answer) == {
        "attachment": "Cuti sakit ini memerlukan surat keterangan dokter (PDF atau JPEG)."
    }
    answer = ask(
        client,
        regency.user,
        kind="S",
        first_day="2026-10-06",
        last_day="2026-10-06",
        attachment=SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf"),
    )
    assert refusal(answer) == {"attachment": "hanya berkas PDF atau JPEG yang diterima"}


def test_refused_decisions_and_look_ups_speak_indonesian(regency, client):
    leave = ask(client, regency.user, kind="I", first_day="2026-10-06", last_day="2026-10-06")
    url = f"/api/v1/leave/{leave.json()['id']}"
    own = client.post(f"{url}/approve", {}, "application/json", **bearer(regency.user))
    assert refusal(own, 403) == {
        "": "Hanya atasan langsung atau administrator yang memutuskan cuti ini."
    }
    missing = client.get(f"{url}/attachment", **bearer(regency.user))
    assert refusal(missing, 404) == {"": "Permohonan ini tidak memiliki lampiran."}
    unknown = client.post("/api/v1/leave/999999/approve", {}, "application/json",
                          **bearer(regency.boss_user))  # fmt: skip
    assert refusal(unknown, 404) == {"": "Permohonan cuti tidak ditemukan."}
    nobody = client.get("/api/v1/leave/mine", **bearer(regency.admin))
    assert refusal(nobody, 403) == {"": "Akun ini tidak terhubung dengan data pegawai."}
