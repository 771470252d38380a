"""The monthly recap as a PDF: A4 landscape, one section per OPD, signed by its head.

The grid is the XLSX's: a row per employee, a column per day with its codes. The totals are
grouped (all TL bands, all PSW bands, all cuti) so that a month fits the width of the page;
the XLSX carries every code separately. Days are named in three letters (Sen, Sel: never two
days alike); the last rows of a section, its legend and the signature block ("Sampit, 1
Desember 2026", "Mengetahui,", the head's title, name and NIP) stay on one page, so that no
signature stands alone on a page; every page says "Halaman x dari y".
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from hadir.attendance.messages import legend_not_counted, legend_other_opd
from hadir.attendance.recap import (
    MonthRecap,
    OpdSection,
    acknowledged_line,
    long_date,
    weekday_name,
)
from hadir.checkin.checkpoints import month_checkpoint_text

GROUPS = (
    ("H", ("H",)),
    ("TL", ("TL1", "TL2", "TL3", "TL4")),
    ("PSW", ("PSW1", "PSW2", "PSW3", "PSW4")),
    ("TK", ("TK",)),
    ("I", ("I",)),
    ("S", ("S",)),
    ("C", ("CT", "CB", "CS", "CM", "CAP", "CBer", "CLTN")),
    ("DL", ("DL",)),
    ("TB", ("TB",)),
)


def legend_codes() -> str:
    return _(
        "Legend: H present · TL late (TL1 1–30, TL2 31–60, TL3 61–90, TL4 >90 minutes or no "
        "check-in) · PSW left early (same bands) · TK absent without reason · I permission · "
        "S sick · C leave (CT, CB, CS, CM, CAP, CBer, CLTN) · DL official duty elsewhere · "
        "TB study assignment · L day off"
    )


ROWS_PER_TABLE = 30  # a page's worth; the header row repeats on every page anyway
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=12, leading=15)
SUBTITLE = ParagraphStyle("subtitle", fontName="Helvetica-Bold", fontSize=10, leading=13)
SMALL = ParagraphStyle("small", fontName="Helvetica", fontSize=7, leading=9)
SIGN = ParagraphStyle("sign", fontName="Helvetica", fontSize=9, leading=12)


def write_recap_pdf(recap: MonthRecap, out) -> int:
    """Write the PDF to a binary file object; returns the number of OPD sections."""
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=8 * mm,
        rightMargin=8 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=recap.title,
        author="Hadir",
    )
    story: list = []
    sections = 0
    for section in recap.sections():
        if sections:
            story.append(PageBreak())
        story += _section(recap, section)
        sections += 1
    if not sections:
        story.append(Paragraph(recap.title, TITLE))
        story.append(Paragraph(_("No OPD to summarise."), SIGN))
    document.build(story, canvasmaker=_numbered_canvas(recap.title))
    return sections


def page_footer(title: str, page: int, pages: int) -> str:
    return _("%(title)s · page %(page)s of %(pages)s") % {
        "title": title,
        "page": page,
        "pages": pages,
    }


def _numbered_canvas(title: str):
    """A canvas that holds its pages back until the last, so that each can say "x dari y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            pages = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self._footer(pages)
                super().showPage()
            super().save()

        def _footer(self, pages: int) -> None:
            self.saveState()
            self.setFont("Helvetica", 7)
            text = page_footer(title, self._pageNumber, pages)
            self.drawRightString(self._pagesize[0] - 8 * mm, 5 * mm, text)
            self.restoreState()

    return NumberedCanvas


def _section(recap: MonthRecap, section: OpdSection) -> list:
    days = recap.days
    period = _("Period %(first)s to %(last)s") % {
        "first": long_date(recap.first),
        "last": long_date(recap.last),
    }
    story = [
        Paragraph(recap.title, TITLE),
        Paragraph(_escape(f"{section.name} ({section.code})"), SUBTITLE),
        Paragraph(period, SMALL),
        Spacer(0, 3 * mm),
    ]
    header = [
        [
            _("No"),
            _("NIP"),
            _("Name"),
            *(str(day.day) for day in days),
            *(group for group, _codes in GROUPS),
        ],
        ["", "", "", *(weekday_name(day) for day in days), *([""] * len(GROUPS))],
    ]
    rows = [_row(line, days) for line in section.lines]
    totals = section.totals
    rows.append(
        [
            "",
            "",
            _("Total"),
            *([""] * len(days)),
            *(str(_sum(totals, codes)) for _group, codes in GROUPS),
        ]
    )
    # 281 mm between the margins: 6 + 22 + 33 + 31 x 5.4 + 9 x 5.5 = 278 mm.
    widths = [6 * mm, 22 * mm, 33 * mm, *([5.4 * mm] * len(days)), *([5.5 * mm] * len(GROUPS))]
    tables = []
    for start in range(0, len(rows), ROWS_PER_TABLE):
        table = Table(header + rows[start : start + ROWS_PER_TABLE], colWidths=widths, repeatRows=2)
        table.setStyle(_style(len(days)))
        tables.append(table)
    legend = f"{legend_codes()} · {legend_not_counted()} · {legend_other_opd()}"
    closing = [
        Spacer(0, 2 * mm),
        Paragraph(_escape(legend), SMALL),
        Spacer(0, 6 * mm),
        Paragraph(_escape(month_checkpoint_text(recap.last)), SMALL),  # chain anchor
    ]
    # The last rows, the legend and the signature move to the next page together.
    story += tables[:-1]
    story.append(KeepTogether([tables[-1], *closing, *_signature(section)]))
    return story


def _row(line, days) -> list[str]:
    cells = [(line.codes.get(day.day) or "").replace("+", "\n") for day in days]
    totals = [str(_sum(line.totals, codes) or "") for _group, codes in GROUPS]
    return [str(line.number), line.identifier, line.name[:30], *cells, *totals]


def _sum(totals, codes) -> int:
    return sum(totals.get(code, 0) for code in codes)


def _style(day_count: int) -> TableStyle:
    first_day, last_day = 3, 2 + day_count
    commands = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 5, 5.8),
        ("FONT", (0, 0), (-1, 1), "Helvetica-Bold", 5, 5.8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#E8E8E8")),
        ("ALIGN", (first_day, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("BACKGROUND", (last_day + 1, 2), (-1, -1), colors.HexColor("#F5F5F5")),
    ]
    return TableStyle(commands)


def _signature(section: OpdSection) -> list:
    signature = section.signature
    nip = f"NIP. {signature.identifier}" if signature.identifier else "NIP. -"
    lines = [
        [Paragraph(_escape(signature.place_and_date), SIGN)],
        [Paragraph(_escape(acknowledged_line()), SIGN)],
        [Paragraph(_escape(signature.title), SIGN)],
        [Spacer(0, 18 * mm)],
        [Paragraph(f"<u><b>{_escape(signature.name)}</b></u>", SIGN)],
        [Paragraph(nip, SIGN)],
    ]
    block = Table(lines, colWidths=[90 * mm], hAlign="RIGHT")
    block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [block]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
