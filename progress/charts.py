"""Geometry for the inline SVG charts drawn on the server (templates draw the frame and the text alternative)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 600, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 24, 22, 30  # room for the value axis, value labels and the date axis
MAX_VALUE_LABELS = 12  # more points than this: label only the first, last, lowest and highest
DATE_TICKS = 5


@dataclass
class LineChart:
    points: list[dict]  # x, y, label, value
    polyline: str
    gridlines: list[dict]  # y, label
    ticks: list[dict]  # x, label: the date axis
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    def dots(self) -> SafeString:
        """The points as SVG circles with their value as a tooltip, and value labels over them
        (built here for speed, like the heat map)."""
        circles = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3.5" class="dot"><title>{}: {}%</title></circle>',
            ((p["x"], p["y"], p["label"], round(p["value"] * 100)) for p in self.points),
        )
        labels = format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" class="value" font-size="11">{}%</text>',
            ((p["x"], float(p["y"]) - 8, round(p["value"] * 100)) for p in self.points if p["show_value"]),
        )
        return circles + labels


def _moment(when: date | datetime) -> datetime:
    if isinstance(when, datetime):
        return when
    return datetime.combine(when, time(12), tzinfo=timezone.get_current_timezone())


def _label(when: date | datetime) -> str:
    if isinstance(when, datetime):
        return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    return when.isoformat()


def line_chart(series: list[tuple[date | datetime, float]]) -> LineChart | None:
    """Values in 0–1 placed by their date on a time axis; None with nothing to draw."""
    if not series:
        return None
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    moments = [_moment(when) for when, _value in series]
    first, span = moments[0], (moments[-1] - moments[0]).total_seconds()

    def x_of(moment: datetime) -> float:
        return LEFT + (inner_w * (moment - first).total_seconds() / span if span else inner_w / 2)

    values = [value for _when, value in series]
    labelled = set(range(len(series)))
    if len(series) > MAX_VALUE_LABELS:
        labelled = {0, len(series) - 1, values.index(min(values)), values.index(max(values))}
    points = [
        {
            "x": f"{x_of(moment):.1f}",
            "y": f"{TOP + inner_h * (1 - value):.1f}",
            "label": _label(when),
            "value": value,
            "show_value": i in labelled,
        }
        for i, ((when, value), moment) in enumerate(zip(series, moments, strict=True))
    ]
    gridlines = [{"y": f"{TOP + inner_h * (1 - v):.1f}", "label": f"{int(v * 100)}%"} for v in (0, 0.5, 1)]
    return LineChart(points, " ".join(f"{p['x']},{p['y']}" for p in points), gridlines, _date_ticks(moments, x_of))


def _date_ticks(moments: list[datetime], x_of) -> list[dict]:
    """Up to DATE_TICKS evenly spaced dates under the chart, each day named once."""
    first, last = moments[0], moments[-1]
    count = 1 if last == first else DATE_TICKS
    ticks, seen = [], set()
    for i in range(count):
        moment = first + (last - first) * (i / (count - 1) if count > 1 else 0)
        day = timezone.localtime(moment).date()
        if day not in seen:
            seen.add(day)
            ticks.append({"x": f"{x_of(moment):.1f}", "label": formats.date_format(day, "n/j")})
    return ticks


@dataclass
class HeatCell:
    x: int
    y: int
    day: date
    count: int
    level: int


CELL, GAP = 12, 2
HEAT_LEFT, HEAT_TOP = 30, 16  # room for the weekday and month labels


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
        step = CELL + GAP
        cells.append(
            HeatCell(x=HEAT_LEFT + column * step, y=HEAT_TOP + day.weekday() * step, day=day, count=count, level=level)
        )
        day += timedelta(days=1)
    return cells, HEAT_LEFT + weeks * (CELL + GAP), HEAT_TOP + 7 * (CELL + GAP)


def heat_map_svg(cells: list[HeatCell]) -> SafeString:
    """The calendar's squares, month names over the first week of each month and weekday names
    at the side, as SVG markup. Built here, not in a template loop: a half-year of days is hundreds
    of elements, and the template engine made them the dashboard's slowest part."""
    rects = mark_safe(  # noqa: S308 - only numbers and ISO dates
        "".join(
            f'<rect x="{c.x}" y="{c.y}" width="{CELL}" height="{CELL}" rx="2" class="level-{c.level}">'
            f"<title>{c.day.isoformat()}: {c.count}</title></rect>"
            for c in cells
        )
    )
    months = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" aria-hidden="true">{}</text>',
        (
            (c.x, HEAT_TOP - 5, formats.date_format(c.day, "M"))
            for c in cells
            if c.day.day <= 7 and c.day.weekday() == 0
        ),
    )
    weekdays = format_html_join(
        "",
        '<text x="0" y="{}" font-size="10" aria-hidden="true">{}</text>',
        ((HEAT_TOP + d * (CELL + GAP) + CELL - 2, formats.date_format(date(2024, 1, 1 + d), "D")) for d in (0, 2, 4)),
    )
    return rects + months + weekdays
