from django import template
from django.utils.safestring import mark_safe

from questions.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Render Markdown, sanitised: the only way question content becomes HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 has cleaned it


@register.filter
def percent(value) -> str:
    """0.756 → "76%"; nothing for a missing score."""
    if value is None or value == "":
        return "—"
    return f"{round(float(value) * 100)}%"


@register.filter
def clock(seconds) -> str:
    """125 → "2:05"."""
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60}:{seconds % 60:02d}"
