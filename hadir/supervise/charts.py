"""Charts drawn on the server as SVG: no chart library, no JavaScript, readable on a phone."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b3d2e", "#b54708", "#175cd3", "#b42318", "#6941c6", "#027a48", "#c11574", "#475467")


def _points(values: Sequence[float | None], width: float, height: float, y_max: float) -> list:
    step = width / max(len(values) - 1, 1)
    return [
        (round(i * step, 1), round(height - (v / y_max) * height, 1))
        for i, v in enumerate(values)
        if v is not None
    ]


def _path(points) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(points))


def line_chart(
    series: Sequence[tuple[str, Sequence[float | None]]],
    labels: Sequence[str],
    title: str,
    y_max: float = 100,
    unit: str = "%",
) -> SafeString:
    """Lines over days (labels on the x axis), y from 0 to y_max, a legend under the plot."""
    left, top, width, height = 34, 8, 560, 170
    full_height = top + height + 40 + 18 * len(series)
    parts = [
        f'<svg class="chart" viewBox="0 0 {left + width + 12} {full_height}"'
        f' role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for tick in (0, 25, 50, 75, 100):
        value = y_max * tick / 100
        y = top + height - height * tick / 100
        parts.append(
            f'<line x1="{left}" x2="{left + width}" y1="{y}" y2="{y}" stroke="#eaecf0"/>'
            f'<text x="{left - 4}" y="{y + 4}" font-size="11" text-anchor="end" fill="#475467">'
            f"{value:g}{escape(unit)}</text>"
        )
    shown = max(1, len(labels) // 8)
    step = width / max(len(labels) - 1, 1)
    for i, label in enumerate(labels):
        if i % shown == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{left + i * step:.1f}" y="{top + height + 16}" font-size="11" '
                f'text-anchor="middle" fill="#475467">{escape(label)}</text>'
            )
    for n, (name, values) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        points = [(x + left, y + top) for x, y in _points(values, width, height, y_max)]
        if points:
            parts.append(
                f'<path d="{_path(points)}" fill="none" stroke="{color}" stroke-width="2"/>'
            )
            parts.extend(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{color}"/>' for x, y in points)
        y = top + height + 36 + 18 * n
        parts.append(
            f'<rect x="{left}" y="{y - 9}" width="14" height="4" fill="{color}"/>'
            f'<text x="{left + 20}" y="{y}" font-size="12" fill="#1d2939">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def sparkline(values: Sequence[float | None], label: str, y_max: float = 100) -> SafeString:
    width, height = 120, 28
    points = _points(values, width, height - 4, y_max)
    path = _path([(x, y + 2) for x, y in points]) if points else ""
    return mark_safe(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}"><path d="{path}" fill="none" '
        f'stroke="#0b3d2e" stroke-width="1.5"/></svg>'
    )
