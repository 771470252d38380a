"""Activation codes on paper (a PDF of slips to cut and hand out) and as CSV (for mail-merge).

Three slips per A4 page, each complete by itself: who it is for, where to go, the code, until
when it is valid, and what to do. The URL also comes as a QR code that fills in the NIP.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from urllib.parse import urlencode

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from hadir.org.activation import IssuedCode, display

SLIPS_PER_PAGE = 3
# What a spreadsheet program would run as a formula at the start of a cell (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def personal_url(base_url: str, identifier: str) -> str:
    return f"{base_url}?{urlencode({'nip': identifier})}"


def expiry_text(item: IssuedCode) -> str:
    return formats.date_format(timezone.localtime(item.expires_at), "j F Y, H:i T")


# CSV -----------------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """Text a spreadsheet shows as text: a leading formula character is quoted with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(items: Sequence[IssuedCode], base_url: str, out) -> int:
    """UTF-8 with a byte-order mark (Excel reads it right), ';' as Indonesian Excel expects."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(
        [_("NIP"), _("Name"), _("OPD"), _("Unit"), _("Activation code"), _("Valid until"), _("URL")]
    )
    for item in items:
        employee = item.employee
        writer.writerow(
            safe_cell(value)
            for value in (
                employee.identifier,
                employee.name,
                employee.opd.name,
                employee.unit.name if employee.unit_id else "",
                display(item.code),
                expiry_text(item),
                personal_url(base_url, employee.identifier),
            )
        )
    return len(items)


def csv_text(items: Sequence[IssuedCode], base_url: str) -> str:
    buffer = io.StringIO()
    write_csv(items, base_url, buffer)
    return buffer.getvalue()


# PDF -----------------------------------------------------------------------------------------


def write_pdf(items: Sequence[IssuedCode], base_url: str, out, title: str = "") -> int:
    """Write the slips to a binary file object; returns the number of pages."""
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(title or _("Hadir activation codes"))
    canvas.setAuthor("Hadir")
    width, height = A4
    slip_height = height / SLIPS_PER_PAGE
    pages = 0
    for index, item in enumerate(items):
        slot = index % SLIPS_PER_PAGE
        if slot == 0 and index:
            canvas.showPage()
        if slot == 0:
            pages += 1
        top = height - slot * slip_height
        _slip(canvas, item, base_url, top, width, slip_height)
        if slot < SLIPS_PER_PAGE - 1:
            _cut_line(canvas, top - slip_height, width)
    if not items:
        canvas.setFont("Helvetica", 11)
        canvas.drawString(20 * mm, height - 30 * mm, _("No activation codes were issued."))
        pages = 1
    canvas.save()
    return pages


def _cut_line(canvas: Canvas, y: float, width: float) -> None:
    canvas.saveState()
    canvas.setDash(3, 3)
    canvas.setStrokeGray(0.6)
    canvas.line(8 * mm, y, width - 8 * mm, y)
    canvas.setFont("Helvetica", 6)
    canvas.setFillGray(0.5)
    canvas.drawString(10 * mm, y + 1 * mm, _("cut here"))
    canvas.restoreState()


def _slip(canvas: Canvas, item: IssuedCode, base_url: str, top: float, width, height) -> None:
    employee = item.employee
    left, y = 16 * mm, top - 16 * mm
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(left, y, _("Hadir account activation"))
    y -= 8 * mm
    rows = [
        (_("Name"), employee.name),
        (_("NIP / employee number"), employee.identifier),
        (_("OPD"), employee.opd.name),
        (_("Address"), base_url),
    ]
    for label, value in rows:
        canvas.setFont("Helvetica", 9)
        canvas.drawString(left, y, label)
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(left + 38 * mm, y, _fit(canvas, value, width - left - 80 * mm, 10))
        y -= 5.5 * mm
    y -= 2 * mm
    canvas.setFont("Helvetica", 9)
    canvas.drawString(left, y, _("Activation code"))
    canvas.setFont("Courier-Bold", 20)
    canvas.drawString(left + 38 * mm, y - 1 * mm, display(item.code))
    y -= 8 * mm
    canvas.setFont("Helvetica", 9)
    canvas.drawString(left, y, _("Valid until"))
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(left + 38 * mm, y, expiry_text(item))
    y -= 7 * mm
    steps = [
        _("1. Open the address above on your phone (or scan the QR code)."),
        _("2. Enter your NIP and this activation code, then choose your own password."),
        _("3. The code works once only. Do not give it to anyone."),
        _("4. Code lost or expired? Ask your OPD administrator for a new one."),
    ]
    canvas.setFont("Helvetica", 8.5)
    for step in steps:
        canvas.drawString(left, y, _fit(canvas, step, width - left - 60 * mm, 8.5))
        y -= 4.3 * mm
    _qr(canvas, personal_url(base_url, employee.identifier), width - 58 * mm, top - 62 * mm)


def _qr(canvas: Canvas, text: str, x: float, y: float, size: float = 42 * mm) -> None:
    widget = QrCodeWidget(text, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _fit(canvas: Canvas, text: str, room: float, size: float) -> str:
    """Shorten with an ellipsis when the text is wider than the room (long OPD names)."""
    font = canvas._fontname
    if canvas.stringWidth(text, font, size) <= room:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"
