"""The bilingual glossary: finding ML / LLM concepts in Chinese, English or mixed text.

A concept (显存) has terms in both languages (GPU内存, GPU memory, VRAM). Text is normalised
(full-width to half-width, lower case) with a map back to the original characters, so every
match is a span of the text as written: that span is the evidence shown to candidates.

- Terms holding Chinese characters are found in the text with spaces removed ("GPU 内存" is
  "gpu内存"); at each place the longest term wins, so 数据不平衡 is not read as 平衡.
- English terms are matched on stemmed words (snowballstemmer), so "batches" meets "batching".
- Chinese words that no term covers come from jieba, whose dictionary is extended with every
  Chinese term of the glossary (the domain dictionary).
- A match preceded in its clause by a negation ("不需要", "没有用", "not", "without") is marked
  negated: saying a concept is not used does not cover it.
"""

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import jieba
import snowballstemmer

jieba.setLogLevel(logging.WARNING)

DATA_FILE = Path(__file__).resolve().parent / "data" / "glossary.txt"

_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[.+#][a-z0-9]+)*\+*")
# A gap inside a Chinese term ("扩充*样本"): a few characters, never across a clause.
_GAP = r"[^，。；！？、,.;!?\n]{0,4}?"
_CLAUSE_END = re.compile(r"[，。；！？、,.;!?\n:：]")
# Negation at the end of the clause before a match. 不 alone only right before it, and not in
# words where it negates nothing (不仅, 不但, 不断, 不同…).
_ZH_NEGATION = re.compile(
    r"(?:不需要|不需|不用|不必|不要|不会|不能|不做|不加|不使用|无需|无须|没有|没用|没|并非|不是|别|未|免去)[^不]{0,4}$"
    r"|不(?![仅但断同少错久])$"
)
_EN_NEGATION = re.compile(
    r"\b(?:not|no|never|without|neither|nor|cannot|don't|doesn't|didn't|isn't|aren't|won't|can't|dont|doesnt|didnt)"
    r"\b(?!\s+only)(?:\W+\w+){0,3}\W*$"
)
_STEMMER = snowballstemmer.stemmer("english")


_SEGMENTER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _shared_segmenter() -> jieba.Tokenizer:
    return jieba.Tokenizer()


@dataclass(frozen=True)
class Match:
    start: int  # span in the original text
    end: int
    concept: str
    negated: bool = False


@dataclass
class Concept:
    terms: list[str]
    broader: list[str]


def parse_glossary(text: str) -> dict[str, Concept]:
    """The data file's lines (`key | Chinese terms | English terms [| broader keys]`); ValueError on a bad line."""
    concepts: dict[str, Concept] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("|")
        if len(parts) not in (3, 4) or not parts[0].strip():
            raise ValueError(f"glossary line {number}: expected 'key | Chinese terms | English terms [| broader]'")
        terms = split_terms(parts[1]) + split_terms(parts[2])
        if not terms:
            raise ValueError(f"glossary line {number}: no terms")
        concept = concepts.setdefault(parts[0].strip(), Concept([], []))
        concept.terms.extend(terms)
        concept.broader.extend(split_terms(parts[3]) if len(parts) == 4 else [])
    return concepts


def split_terms(text: str) -> list[str]:
    """Terms are comma-separated (full-width commas and new lines too)."""
    return [t.strip() for t in re.split(r"[,，\n]", text) if t.strip()]


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC, lower case; for each character of the result, the index of the original one."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).lower():
            out.append(c)
            offsets.append(i)
    return "".join(out), offsets


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    # A plural "s" first, which the stemmer keeps after "u" (GPUs); the same on both sides, so "bias"
    # and "bia" are one word wherever they appear.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _STEMMER.stemWord(word)


def latin_words(text: str) -> list[tuple[str, int, int]]:
    """Stemmed English words and numbers of normalised text, with their spans."""
    return [(stem(m.group()), m.start(), m.end()) for m in _LATIN_WORD.finditer(text)]


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


def _compact_term(term: str) -> str:
    return "".join(normalize(term).split())


class Glossary:
    """Concepts and their terms, compiled for matching. Build once, share (see grading.services)."""

    def __init__(self, concepts: dict[str, Concept]):
        self.concepts = {key: list(dict.fromkeys(c.terms)) for key, c in concepts.items()}
        self._broader = {key: [b for b in c.broader if b in concepts and b != key] for key, c in concepts.items()}
        self._literal: dict[str, str] = {}  # compact Chinese term -> concept
        self._gapped: list[tuple[re.Pattern, str]] = []
        self._latin: dict[tuple[str, ...], str] = {}  # stemmed words -> concept
        for key, terms in self.concepts.items():
            for term in terms:
                if has_cjk(term):
                    compact = _compact_term(term)
                    if "*" in compact:
                        pattern = _GAP.join(re.escape(part) for part in compact.split("*"))
                        self._gapped.append((re.compile(pattern), key))
                    else:
                        self._literal.setdefault(compact, key)
                else:
                    words = tuple(w for w, _, _ in latin_words(normalize(term)))
                    if words:
                        self._latin.setdefault(words, key)
        self._memo: dict = {}
        self._max_latin = max((len(k) for k in self._latin), default=0)
        self._literal_lengths = sorted({len(t) for t in self._literal}, reverse=True)

    def memo(self, key, build):
        """What `build()` makes from this glossary (a key point's concepts), kept while the glossary lives."""
        if key not in self._memo:
            if len(self._memo) > 20_000:  # a bound for very large banks; rebuilding is cheap
                self._memo.clear()
            self._memo[key] = build()
        return self._memo[key]

    def __len__(self) -> int:
        return len(self.concepts)

    def with_broader(self, key: str) -> list[str]:
        """The concept and every concept it is a kind of (weight decay: L2 regularisation, regularisation)."""
        found, todo = [key], [key]
        while todo:
            for broader in self._broader.get(todo.pop(), ()):
                if broader not in found:
                    found.append(broader)
                    todo.append(broader)
        return found

    @cached_property
    def _segmenter(self) -> jieba.Tokenizer:
        # One jieba dictionary per process (loading it takes seconds), extended by every glossary
        # built since: a term an editor later removes only keeps a word whole, which is harmless.
        with _SEGMENTER_LOCK:
            tokenizer = _shared_segmenter()
            for term in self._literal:
                tokenizer.add_word(term, freq=2000)
        return tokenizer

    def words(self, text: str) -> list[str]:
        """The words of normalised text: jieba with the glossary as its dictionary; English stemmed."""
        out = []
        for word in self._segmenter.lcut(normalize(text)):
            word = word.strip()
            if not word:
                continue
            if has_cjk(word):
                out.append(word)
            else:
                out.extend(w for w, _, _ in latin_words(word))
        return out

    def find(self, text: str) -> list[Match]:
        """Every concept named in the text, longest term first, in text order."""
        return self.analyse(text).matches

    def analyse(self, text: str) -> "Analysis":
        return Analysis(self, text)


class Analysis:
    """One text read once: its normalised forms and the concepts named in it."""

    def __init__(self, glossary: Glossary, text: str):
        self.text = text
        self.norm, self._offsets = normalize_with_offsets(text)
        # Chinese terms are looked for in the text without spaces, each position mapped back.
        self._keep = [i for i, ch in enumerate(self.norm) if ch not in " \t\u3000"]
        self._compact = "".join(self.norm[i] for i in self._keep)
        self._words = latin_words(self.norm)
        self.matches = self._match(glossary)

    def _compact_span(self, start: int, end: int) -> tuple[int, int]:
        return self._keep[start], self._keep[end - 1] + 1

    def _match(self, glossary: Glossary) -> list[Match]:
        found: list[tuple[int, int, str]] = []  # spans in `norm`
        # Leftmost, then longest: a dictionary look-up per position and term length (a regex of
        # thousands of alternatives is far slower).
        compact, literal, i = self._compact, glossary._literal, 0
        while i < len(compact):
            for length in glossary._literal_lengths:
                if i + length > len(compact):
                    continue
                key = literal.get(compact[i : i + length])
                if key is not None:
                    found.append((*self._compact_span(i, i + length), key))
                    i += length - 1
                    break
            i += 1
        for pattern, key in glossary._gapped:
            for m in pattern.finditer(self._compact):
                found.append((*self._compact_span(m.start(), m.end()), key))
        words, i = self._words, 0
        while i < len(words):
            for n in range(min(glossary._max_latin, len(words) - i), 0, -1):
                key = glossary._latin.get(tuple(w for w, _, _ in words[i : i + n]))
                if key is not None:
                    found.append((words[i][1], words[i + n - 1][2], key))
                    i += n - 1
                    break
            i += 1
        matches: list[Match] = []
        taken = bytearray(len(self.norm))
        for start, end, key in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            matches.append(Match(self._offsets[start], self._offsets[end - 1] + 1, key, negated(self.norm, start)))
        return sorted(matches, key=lambda m: m.start)

    def find_phrase(self, phrase: str) -> tuple[int, int] | None:
        """Where a phrase (a label, an alias) appears word for word, ignoring width, case and
        spaces; None when absent or only negated."""
        compact = _compact_term(phrase)
        if not compact:
            return None
        if has_cjk(compact):
            return self.find_word(compact)
        wanted = [w for w, _, _ in latin_words(normalize(phrase))]
        n = len(wanted)
        for i in range(len(self._words) - n + 1):
            if [w for w, _, _ in self._words[i : i + n]] == wanted and not negated(self.norm, self._words[i][1]):
                return self._offsets[self._words[i][1]], self._offsets[self._words[i + n - 1][2] - 1] + 1
        return None

    def find_word(self, word: str) -> tuple[int, int] | None:
        """A word that no concept covers: Chinese as a substring, English as a stemmed word.
        The span is in the original text; None when absent or only negated."""
        if has_cjk(word):
            at = self._compact.find(word)
            while at != -1:
                start, end = self._compact_span(at, at + len(word))
                if not negated(self.norm, start):
                    return self._offsets[start], self._offsets[end - 1] + 1
                at = self._compact.find(word, at + 1)
            return None
        for stemmed, start, end in self._words:
            if stemmed == word and not negated(self.norm, start):
                return self._offsets[start], self._offsets[end - 1] + 1
        return None


def negated(norm: str, start: int) -> bool:
    """Whether the clause before `start` (in normalised text) ends in a negation."""
    before = norm[max(0, start - 40) : start]
    clause = _CLAUSE_END.split(before)[-1]
    return bool(_ZH_NEGATION.search(clause.replace(" ", "")) or _EN_NEGATION.search(clause))


def load_data_file() -> dict[str, Concept]:
    return parse_glossary(DATA_FILE.read_text(encoding="utf-8"))
