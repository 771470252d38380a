"""The recap PDF as a person reads it (text extracted by pdftotext): day names that cannot be
confused, the place and date of signature, "Mengetahui", the signature on the page of its
table, and "Halaman x dari y" on every page."""

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.utils import translation

from hadir.attendance.models import RuleSet
from hadir.attendance.recap import month_recap
from hadir.attendance.recap_pdf import write_recap_pdf
from hadir.attendance.services import compute_days
from tests.attendance.conftest import workday
from tests.factories import make_employee

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed"),
]
OCT = date(2026, 10, 1)
SIGNED = date(2026, 11, 2)


def pdf_pages(recap) -> list[str]:
    buffer = io.BytesIO()
    with translation.override("id"):
        write_recap_pdf(recap, buffer)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=buffer.getvalue(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture
def sampit(regency):
    RuleSet.objects.create(key="regency", value={"go_live": None, "place": "Sampit"})
    workday(regency.employee, date(2026, 10, 1))
    compute_days([regency.employee], OCT, date(2026, 10, 31))
    return regency


def test_days_are_named_in_three_letters_none_alike(sampit):
    [page] = pdf_pages(month_recap(OCT, sampit.opd, SIGNED))
    week = ["Kam", "Jum", "Sab", "Min", "Sen", "Sel", "Rab"]  # 1 October 2026 is a Thursday
    assert re.search(r"\s+".join(week * 4), page), page[:800]
    assert not re.search(r"\bSe\b", page)


def test_the_signature_block_says_place_date_mengetahui_title_name_and_nip(sampit):
    [page] = pdf_pages(month_recap(OCT, sampit.opd, SIGNED))
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    assert lines[-1].endswith("Halaman 1 dari 1")
    block = lines[-6:-1]
    assert block == [
        "Sampit, 2 November 2026",
        "Mengetahui,",
        "Kepala Dinas Pendidikan",
        "Dr. Siti Rahmah, M.Pd.",
        "NIP. 196501011990031001",
    ]


def test_every_page_says_x_of_y(sampit):
    for number in range(150):  # three pages of rows for the one OPD
        make_employee(sampit.opd, [sampit.office], name=f"Pegawai {number:02d}")
    pages = pdf_pages(month_recap(OCT, sampit.opd, SIGNED))
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert f"Halaman {number} dari {len(pages)}" in page


def test_the_signature_never_stands_alone_on_a_page(sampit):
    # 53 employees + the total fill the first page to its foot: the signature would fall
    # alone onto the second page; it takes the last rows of the table with it instead.
    for number in range(50):
        make_employee(sampit.opd, [sampit.office], name=f"Pegawai {number:02d}")
    pages = pdf_pages(month_recap(OCT, sampit.opd, SIGNED))
    [signed] = [page for page in pages if "Mengetahui," in page]
    assert "Jumlah" in signed
    assert re.search(r"Pegawai \d\d", signed)
    assert "Keterangan: H hadir" in signed


def test_the_date_of_signature_is_today_unless_given(sampit):
    [page] = pdf_pages(month_recap(OCT, sampit.opd))
    with translation.override("id"):
        from hadir.attendance.recap import long_date

        today = long_date(date.today())
    assert f"Sampit, {today}" in page
