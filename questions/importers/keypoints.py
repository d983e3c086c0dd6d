"""Key points from an answer: labelled items, enumerations, or sentences (derived, and marked so)."""

import re

from .base import KeyPointData, unique_labels

# "**Label：** text", "**Label**: text", "__Label:__ text", "**Label** text" (inline content of a paragraph or item).
BOLD_LABEL = re.compile(
    r"^(?:\*\*|__)(?P<label>[^*_\n]+?)\s*(?:(?P<c1>[:：])\s*(?:\*\*|__)|(?:\*\*|__)\s*(?P<c2>[:：])?)\s*(?P<text>.*)$",
    re.DOTALL,
)
# "计算资源瓶颈通常包括GPU内存、CPU计算能力、网络带宽和存储容量。"
ENUMERATION_LEAD = re.compile(r"(?:包括|包含|主要有|有以下|有|分为|如下|[:：])")
FINAL_CONJUNCTION = re.compile(r"以及|和|及|与|或")
# "The main parts are the encoder, the decoder and the attention layers."
ENGLISH_LEAD = re.compile(r"\b(?:include|includes|including|are|such as|namely)\b|:", re.IGNORECASE)
ENGLISH_LAST = re.compile(r",?\s+(?:and|or)\s+")
SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=[.;；])\s+|\n+")
MARKUP = re.compile(r"\*\*|__|`|<[^>]*>|!?\[([^\]]*)\]\([^)]*\)")
DERIVED_MAX = 6
DERIVED_LABEL_MAX = 40


def bold_label(content: str, need_colon: bool = False) -> tuple[str, str] | None:
    """(label, text) of inline content that starts with a bold label, or None."""
    match = BOLD_LABEL.match(content.strip())
    if not match or (need_colon and not (match.group("c1") or match.group("c2"))):
        return None
    label = match.group("label").strip()
    return (label, match.group("text").strip()) if label else None


def plain(text: str) -> str:
    """Inline Markdown to plain words: emphasis and code marks gone, links as their text."""
    return MARKUP.sub(lambda m: m.group(1) or "", text).strip()


def item_key_points(items) -> list[KeyPointData]:
    """Key points from list items [(depth, content)]: bold labels (children scoped under their parent), else plain items."""
    labelled = []
    parents: dict[int, str] = {}
    for depth, content in items:
        found = bold_label(content)
        if found is None:
            continue
        label, text = found
        parents[depth] = label
        parent = parents.get(depth - 1) if depth else None
        labelled.append(KeyPointData(f"{parent} / {label}" if parent else label, text))
    if labelled:
        return labelled
    return [
        KeyPointData(_short_label(plain(content)), plain(content))
        for depth, content in items
        if depth == 0 and plain(content)
    ]


def _short_label(text: str) -> str:
    """A label for a plain item or sentence: its first clause, cut at a word."""
    head = re.split(r"[:：，,。；;（(]", text, maxsplit=1)[0].strip() or text
    if len(head) <= DERIVED_LABEL_MAX:
        return head
    cut = head[:DERIVED_LABEL_MAX]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def enumerated_key_points(prose: str) -> tuple[KeyPointData, ...]:
    """Key points from an enumeration ('A、B、C和D', 'A, B and C') in the first sentence that has one."""
    for sentence in re.split(r"[。！？!?\n]|\.\s", prose):
        if "、" in sentence:
            head, _, _ = sentence.partition("、")
            leads = list(ENUMERATION_LEAD.finditer(head))
            start = leads[-1].end() if leads else 0
            items = sentence[start:].split("、")
            items = [*items[:-1], *FINAL_CONJUNCTION.split(items[-1], maxsplit=1)]
        elif sentence.count(",") >= 1 and ENGLISH_LAST.search(sentence) and (lead := _english_lead(sentence)):
            items = sentence[lead:].split(",")
            items = [*items[:-1], *ENGLISH_LAST.split(items[-1].strip(), maxsplit=1)]
            items = [re.sub(r"^\s*(?:and|or)\s+", "", item) for item in items]
        else:
            continue
        labels = [plain(item).strip(" ，,；;：:.") for item in items]
        labels = list(dict.fromkeys(label for label in labels if label))
        if len(labels) >= 2 and all(len(label) <= DERIVED_LABEL_MAX for label in labels):
            return tuple(KeyPointData(label, label) for label in labels)
    return ()


def _english_lead(sentence: str) -> int:
    leads = list(ENGLISH_LEAD.finditer(sentence.split(",")[0]))
    return leads[-1].end() if leads else 0


def derived_key_points(prose: str) -> tuple[KeyPointData, ...]:
    """Up to six key points from the answer's sentences, marked derived for an editor to accept or edit."""
    sentences = [plain(s).strip() for s in SENTENCE_END.split(prose)]
    sentences = [s.lstrip("-*+>#0123456789.) ") for s in sentences]
    sentences = [s for s in sentences if len(s) >= 4][:DERIVED_MAX]
    if not sentences and prose.strip():
        sentences = [plain(prose.strip())[:200]]
    points = [KeyPointData(_short_label(s), s, derived=True) for s in sentences]
    return tuple(unique_labels(points))
