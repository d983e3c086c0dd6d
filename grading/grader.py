"""The optional LLM grader: any OpenAI-compatible chat-completions server (Ollama, vLLM, a
llama.cpp server, OpenAI) judges which key points an answer covers and writes feedback.

Only the question, its key points and the answer are sent. The reply must be JSON of the form
{"covered": [key point numbers], "feedback": "2-3 sentences"}; anything else is a GraderError, and
the caller keeps the offline scorer's result. Verdicts are cached per question version, key
points, answer and model (GradedAnswer), so the same answer is never sent twice.
"""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings

from .glossary import has_cjk
from .models import GradedAnswer

FEEDBACK_MAX_CHARS = 1200

_SYSTEM = (
    "You grade answers to interview questions for machine-learning and LLM engineering jobs. "
    "You get a question, its numbered key points and a candidate's answer. A key point is covered "
    "when the answer states it, in any words or language; naming it only to reject it does not count. "
    'Reply with JSON only: {"covered": [numbers of the covered key points], "feedback": "two or three '
    'sentences to the candidate: what was missing and what was wrong"}. Write the feedback in {language}.'
)
_SCHEMA = {
    "name": "grading",
    "strict": True,
    "schema": {
        "type": "object",
        "properties": {
            "covered": {"type": "array", "items": {"type": "integer"}},
            "feedback": {"type": "string"},
        },
        "required": ["covered", "feedback"],
        "additionalProperties": False,
    },
}


class GraderError(Exception):
    """The grader gave no usable verdict. `code` is a GradingJob.Failure value; the message adds detail."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class GraderSettings:
    base_url: str
    model: str
    api_key: str
    timeout: float


@dataclass(frozen=True)
class Verdict:
    covered: tuple[int, ...]  # positions (0-based) of the covered key points
    feedback: str


def grader_settings() -> GraderSettings | None:
    """The server to ask, or None when LLM_BASE_URL or LLM_MODEL is not set."""
    if not settings.LLM_BASE_URL or not settings.LLM_MODEL:
        return None
    return GraderSettings(settings.LLM_BASE_URL, settings.LLM_MODEL, settings.LLM_API_KEY, settings.LLM_TIMEOUT)


def answer_language(answer: str) -> str:
    """The candidate's language, read from the answer: Chinese when it has any Chinese at all."""
    return "Simplified Chinese" if has_cjk(answer) else "English"


def cache_key(config: GraderSettings, *, version_id: int, labels: list[str], answer: str) -> str:
    payload = json.dumps([version_id, labels, answer, config.model], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def llm_verdict(config: GraderSettings, *, version, labels: list[str], answer: str) -> Verdict:
    """The grader's verdict on an answer to the version, from the cache or the server."""
    key = cache_key(config, version_id=version.pk, labels=labels, answer=answer)
    if cached := GradedAnswer.objects.filter(cache_key=key).first():
        return Verdict(tuple(cached.covered), cached.feedback)
    verdict = ask_grader(config, prompt=version.prompt, labels=labels, answer=answer)
    GradedAnswer.objects.get_or_create(
        cache_key=key, defaults={"covered": list(verdict.covered), "feedback": verdict.feedback}
    )
    return verdict


def llm_covered_labels(config: GraderSettings, version, answer: str) -> set[str]:
    """The labels the grader finds covered (evaluate_scorer, score_answer)."""
    labels = [kp["label"] for kp in version.key_points]
    return {labels[i] for i in llm_verdict(config, version=version, labels=labels, answer=answer).covered}


def ask_grader(config: GraderSettings, *, prompt: str, labels: list[str], answer: str) -> Verdict:
    # Imported here: the client library takes about half a second to import, which every web worker and
    # command would pay at start while only the task worker of an LLM-graded site ever calls it.
    import openai

    client = openai.OpenAI(
        base_url=config.base_url, api_key=config.api_key or "unused", timeout=config.timeout, max_retries=0
    )
    points = "\n".join(f"{i}. {label}" for i, label in enumerate(labels, start=1))
    try:
        response = client.chat.completions.create(
            model=config.model,
            temperature=0,
            response_format={"type": "json_schema", "json_schema": _SCHEMA},
            messages=[
                {"role": "system", "content": _SYSTEM.replace("{language}", answer_language(answer))},
                {"role": "user", "content": f"Question:\n{prompt}\n\nKey points:\n{points}\n\nAnswer:\n{answer}"},
            ],
        )
    except openai.APITimeoutError:
        raise GraderError("timeout", f"no reply within {config.timeout:g} s") from None
    except openai.APIStatusError as exc:
        raise GraderError("error", f"HTTP {exc.status_code}") from None
    except openai.APIError as exc:
        raise GraderError("error", f"{type(exc).__name__}: {exc}") from None
    try:
        content = response.choices[0].message.content
        return parse_verdict(content, len(labels))
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        raise GraderError("malformed", f"{type(exc).__name__}: {exc}") from None


def parse_verdict(content: str, count: int) -> Verdict:
    """The JSON reply checked: key point numbers 1..count (given 1-based), feedback a short text."""
    data = json.loads(content)
    covered, feedback = data["covered"], data["feedback"]
    if not isinstance(covered, list) or not all(type(n) is int and 1 <= n <= count for n in covered):
        raise ValueError(f"covered must list key point numbers 1 to {count}")
    if not isinstance(feedback, str) or not feedback.strip():
        raise ValueError("feedback must be a non-empty text")
    return Verdict(tuple(sorted({n - 1 for n in covered})), feedback.strip()[:FEEDBACK_MAX_CHARS])
