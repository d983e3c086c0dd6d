"""`evaluate_scorer`: the labelled set scored again, with figures per kind of answer."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from grading.evaluation import Tally

SEED_SET = "grading/evaluation/seed_answers.json"


def run(*args):
    out = io.StringIO()
    call_command("evaluate_scorer", *args, stdout=out)
    return out.getvalue()


def test_tallies_count_key_points():
    tally = Tally()
    tally.add({"a", "b"}, {"a", "c"})
    tally.add(set(), set())
    assert (tally.tp, tally.fp, tally.fn, tally.answers, tally.answers_with_false_hit) == (1, 1, 1, 2, 1)
    assert tally.precision == tally.recall == tally.f1 == 0.5
    assert Tally().precision == 1.0 and Tally().recall == 1.0


def test_the_seed_set_meets_the_targets(seeded_bank):
    out = run(SEED_SET)
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:8]}
    assert set(rows) == {"english", "mixed", "off_topic", "paraphrase", "partial", "wrong", "overall"}
    answers, precision, recall, f1, false_hits = rows["overall"]
    assert int(answers) >= 150 and float(f1) >= 0.85
    assert float(rows["english"][2]) >= 0.7
    assert rows["off_topic"][4] == "0"
    assert "time per answer" in out


def test_mistakes_are_listed_on_request(seeded_bank, tmp_path):
    data = {
        "questions": [
            {
                "prompt": "大模型训练中如何避免过拟合？",
                "answers": [{"kind": "wrong", "text": "用dropout", "covered": ["正则化"]}],
            }
        ]
    }
    path = tmp_path / "set.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = run(str(path), "--mistakes")
    assert "[wrong] 用dropout\n    missed ['正则化'] extra ['Dropout']" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read"),
        ('{"questions": [{"prompt": "没有这道题", "answers": []}]}', "import its bank first"),
        (
            '{"questions": [{"prompt": "大模型训练中如何避免过拟合？", "answers": '
            '[{"kind": "x", "text": "y", "covered": ["不存在"]}]}]}',
            "has no key point",
        ),
    ],
)
def test_a_bad_set_is_refused_with_a_message(seeded_bank, tmp_path, content, message):
    path = tmp_path / "set.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_the_llm_backend_needs_a_server(seeded_bank, settings):
    settings.LLM_BASE_URL = ""
    with pytest.raises(CommandError, match="LLM_BASE_URL"):
        run(SEED_SET, "--backend", "llm")


def test_the_llm_backend_is_evaluated_too(seeded_bank, fake_llm, tmp_path):
    fake_llm.reply = {"covered": [2], "feedback": "ok"}
    data = {
        "questions": [
            {
                "prompt": "大模型训练中如何避免过拟合？",
                "answers": [{"kind": "english", "text": "dropout", "covered": ["Dropout"]}],
            }
        ]
    }
    path = tmp_path / "set.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = run(str(path), "--backend", "llm")
    assert "overall            1      1.000   1.000  1.000           0" in out
    assert "with the llm scorer" in out
