"""Showing the scorer's evidence: which words of an answer matched which words of a key point."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def evidence_in(evidence: list, answer: str) -> list[tuple[str, str]]:
    """[(what the answer said, the key point's words)], each pair once: "GPU显存" → "GPU内存"."""
    pairs = []
    for start, end, term in evidence or ():
        pair = (answer[start:end], term)
        if pair[0] and pair not in pairs:
            pairs.append(pair)
    return pairs


@register.filter
def mark_evidence(answer: str, key_points: list[dict]) -> SafeString:
    """The answer, escaped, with every span that covered a key point in <mark>."""
    spans = sorted(
        {(start, end) for kp in key_points or () if kp.get("covered") for start, end, _ in kp.get("evidence", ())}
    )
    out, last = [], 0
    for start, end in spans:
        if start < last or end > len(answer):
            continue  # overlapping or out of range (an answer edited since): marked once, or not at all
        out.append(escape(answer[last:start]))
        out.append(f"<mark>{escape(answer[start:end])}</mark>")
        last = end
    out.append(escape(answer[last:]))
    return mark_safe("".join(out))
