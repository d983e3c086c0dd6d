"""Which reference key points does a written answer cover?

Chinese has no spaces between words, so text is compared as character bigrams
(and Latin words and numbers as whole tokens). A key point is covered when the
answer contains its label or one of its aliases, or enough of the label's or
the explanation text's distinctive bigrams to count as a paraphrase.

Bump SCORER_VERSION whenever the rules change, so stored scores can be redone.
"""

import re
import unicodedata
from dataclasses import dataclass

SCORER_VERSION = "ngram-1"

# A label paraphrased: most of its bigrams present (e.g. "过采样" and "欠采样" for 过采样和欠采样).
LABEL_SHARE = 0.6
# The point's text paraphrased: at least this share of its distinctive bigrams…
TEXT_SHARE = 0.2
# …and at least this many of them, so a few generic words cannot make a match.
TEXT_MIN_HITS = 3

_LATIN = re.compile(r"[a-z0-9]+(?:[.+#-][a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Bigrams that carry no meaning of their own in this domain's answers.
_FILLER = frozenset(
    """
    进行 使用 可以 通过 以及 例如 等方 方式 中的 一个 一些 这些 那些 我们 需要 能够 用于 或者 并且 提高 减少 增加
    模型 训练 数据 过程 方法 时间 问题 效果 能力 计算 大模 程中 以便 使得 更加
    the a an and or of to in on with for by use using used is are be it its that this which from as at into model
    """.split()
)
# Characters that only glue words together; a bigram holding one says little.
_GLUE = frozenset("的和了是在与及或等")


@dataclass(frozen=True)
class Coverage:
    covered: tuple[str, ...]  # labels of the covered key points, in key-point order
    total: int

    @property
    def score(self) -> float:
        return round(len(self.covered) / self.total, 4) if self.total else 0.0


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if ch.isalnum() or ch in ".+#-")


def grams(text: str) -> set[str]:
    """Latin words and numbers whole; runs of Chinese characters as bigrams (or the lone character)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    # A crude plural fold, so "GPUs" meets "GPU".
    out = {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in _LATIN.findall(text)}
    for run in _CJK.findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.add(run)
    return out


def key_point_covered(answer: str, answer_grams: set[str], label: str, text: str, aliases=()) -> bool:
    for phrase in (label, *aliases):
        phrase = normalize(phrase)
        if phrase and phrase in answer:
            return True
    label_grams = grams(label)
    if len(label_grams) > 1 and len(label_grams & answer_grams) / len(label_grams) >= LABEL_SHARE:
        return True
    text_grams = {g for g in grams(text) - _FILLER if not _GLUE.intersection(g)}
    hits = len(text_grams & answer_grams)
    return bool(text_grams) and hits >= TEXT_MIN_HITS and hits / len(text_grams) >= TEXT_SHARE


@dataclass(frozen=True)
class Point:
    label: str
    text: str = ""
    aliases: tuple[str, ...] = ()


def score_answer(answer: str, points: list[Point]) -> Coverage:
    normalized, answer_grams = normalize(answer), grams(answer)
    covered = tuple(p.label for p in points if key_point_covered(normalized, answer_grams, p.label, p.text, p.aliases))
    return Coverage(covered=covered, total=len(points))
