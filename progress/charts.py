"""Geometry for the inline SVG charts drawn on the server (templates draw the shapes)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 600, 180, 32


@dataclass
class LineChart:
    points: list[dict]  # x, y, label, value
    polyline: str
    gridlines: list[dict]  # y, label
    width: int = WIDTH
    height: int = HEIGHT

    def dots(self) -> SafeString:
        """The points as SVG circles, each with its value as a tooltip (built here for speed, like the heat map)."""
        return format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3.5" class="dot"><title>{}: {}%</title></circle>',
            ((p["x"], p["y"], p["label"], round(p["value"] * 100)) for p in self.points),
        )


def line_chart(series: list[tuple[str, float]]) -> LineChart | None:
    """Values in 0–1 over evenly spaced labels; None with nothing to draw."""
    if not series:
        return None
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(1, len(series) - 1)
    points = []
    for i, (label, value) in enumerate(series):
        x = PAD + (i * step if len(series) > 1 else inner_w / 2)
        y = PAD + inner_h * (1 - value)
        points.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "label": label, "value": value})
    gridlines = [{"y": f"{PAD + inner_h * (1 - v):.1f}", "label": f"{int(v * 100)}%"} for v in (0, 0.5, 1)]
    return LineChart(points, " ".join(f"{p['x']},{p['y']}" for p in points), gridlines)


@dataclass
class HeatCell:
    x: int
    y: int
    day: date
    count: int
    level: int


def heat_map(counts: dict[date, int], today: date, weeks: int = 26) -> tuple[list[HeatCell], int, int]:
    """A calendar of the last `weeks` weeks, one column a week (Monday on top); level 0–4 by count."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    peak = max(counts.values(), default=0)
    cells = []
    day = start
    while day <= today:
        count = counts.get(day, 0)
        level = 0 if count == 0 else min(4, 1 + (3 * count) // max(peak, 1))
        column = (day - start).days // 7
        cells.append(HeatCell(x=column * 14, y=day.weekday() * 14, day=day, count=count, level=level))
        day += timedelta(days=1)
    return cells, weeks * 14, 7 * 14


def heat_map_rects(cells: list[HeatCell]) -> SafeString:
    """The calendar's squares as SVG markup. Built here, not in a template loop: a half-year of
    days is hundreds of elements, and the template engine made them the dashboard's slowest part."""
    return mark_safe(  # noqa: S308 - only numbers and ISO dates
        "".join(
            f'<rect x="{c.x}" y="{c.y}" width="12" height="12" rx="2" class="level-{c.level}">'
            f"<title>{c.day.isoformat()}: {c.count}</title></rect>"
            for c in cells
        )
    )
