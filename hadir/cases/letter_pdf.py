"""A letter as a PDF: A4, the regency's letterhead, RAHASIA, title, number, text, and the place,
date and signature block of the signer's position."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from hadir.attendance.recap import long_date
from hadir.cases.models import Letter, LetterKind
from hadir.domain.letters import paragraphs

GOVERNMENT = ParagraphStyle(
    "gov", fontName="Helvetica-Bold", fontSize=13, leading=16, alignment=TA_CENTER
)
AGENCY = ParagraphStyle(
    "agency", fontName="Helvetica-Bold", fontSize=15, leading=18, alignment=TA_CENTER
)
ADDRESS = ParagraphStyle(
    "address", fontName="Helvetica", fontSize=9, leading=11, alignment=TA_CENTER
)
SECRET = ParagraphStyle("secret", fontName="Helvetica-Bold", fontSize=10, leading=12, alignment=2)
TITLE = ParagraphStyle(
    "title", fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_CENTER
)
NUMBER = ParagraphStyle(
    "number", fontName="Helvetica", fontSize=10.5, leading=13, alignment=TA_CENTER
)
BODY = ParagraphStyle(
    "body", fontName="Helvetica", fontSize=11, leading=15.5, alignment=TA_JUSTIFY, spaceAfter=7
)
SIGN = ParagraphStyle("sign", fontName="Helvetica", fontSize=11, leading=14)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _lines(text: str) -> str:
    return "<br/>".join(_escape(line) for line in text.split("\n"))


def letter_pdf(letter: Letter) -> bytes:
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=20 * mm,
        title=f"{letter.title} {letter.number}",
        author="Hadir",
    )
    heading = letter.heading or {}
    story = [
        Paragraph(_escape(heading.get("government", "")), GOVERNMENT),
        Paragraph(_escape(heading.get("agency", "")), AGENCY),
        Paragraph(_escape(heading.get("address", "")), ADDRESS),
        Spacer(0, 2 * mm),
        HRFlowable(width="100%", thickness=2, color="black", spaceAfter=1),
        HRFlowable(width="100%", thickness=0.5, color="black", spaceAfter=4 * mm),
        Paragraph("RAHASIA", SECRET),
        Spacer(0, 3 * mm),
        Paragraph(f"<u>{_escape(letter.title)}</u>", TITLE),
        Paragraph(f"Nomor: {_escape(letter.number)}", NUMBER),
        Spacer(0, 6 * mm),
    ]
    story += [Paragraph(_lines(block), BODY) for block in paragraphs(letter.body)]
    place = heading.get("place", "")
    dated = long_date(letter.dated)
    nip = f"NIP. {letter.signer_nip}" if letter.signer_nip else ""
    signer = [
        Paragraph(_escape(f"{place}, {dated}" if place else dated), SIGN),
        Paragraph(_escape(letter.signer_title), SIGN),
        Spacer(0, 20 * mm),
        Paragraph(f"<u><b>{_escape(letter.signer_name)}</b></u>", SIGN),
        Paragraph(_escape(nip), SIGN),
    ]
    if letter.kind == LetterKind.EXAMINATION:
        # The record is signed by the examined employee too.
        employee = letter.case.employee
        examined = [
            Paragraph("", SIGN),
            Paragraph("Pegawai yang diperiksa,", SIGN),
            Spacer(0, 20 * mm),
            Paragraph(f"<u><b>{_escape(employee.name)}</b></u>", SIGN),
            Paragraph(_escape(f"NIP. {employee.identifier}"), SIGN),
        ]
        rows, widths = list(zip(examined, signer, strict=True)), [80 * mm, 80 * mm]
    else:
        rows, widths = [[cell] for cell in signer], [80 * mm]
    block = Table([list(row) for row in rows], colWidths=widths, hAlign="RIGHT")
    block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [Spacer(0, 8 * mm), KeepTogether([block])]
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def _footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.drawRightString(
        document.pagesize[0] - 20 * mm, 10 * mm, f"{document.title} · halaman {document.page}"
    )
    canvas.restoreState()
