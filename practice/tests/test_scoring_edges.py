"""The glossary scorer's rules on both sides of each of its constants, as inputs and exact outputs.

A key point is covered by its label or an alias written out (not negated); by LABEL_SHARE (0.5) of its
label's concept weight; or by at least MIN_HITS (2) concepts holding POINT_SHARE (0.4) of the point's
weight, where the text's concepts weigh TEXT_FACTOR (0.6) of the label's. Label words the glossary does
not know ("alpha", "bravo") are concepts of their own; with `weights={}` every concept weighs 1.
"""

import pytest

from practice.scoring import (
    LABEL_SHARE,
    MIN_HITS,
    POINT_SHARE,
    TEXT_FACTOR,
    Coverage,
    Point,
    builtin_glossary,
    score_answer,
)

FIVE = Point("alpha bravo delta hotel kilo")


def covered(answer: str, point: Point, weights=None) -> bool:
    coverage = score_answer(answer, [point], weights=weights)
    assert coverage.covered in ((), (point.label,))
    return coverage.covered == (point.label,)


def test_the_constants_these_tests_are_built_on():
    assert (LABEL_SHARE, POINT_SHARE, MIN_HITS, TEXT_FACTOR) == (0.5, 0.4, 2, 0.6)


@pytest.mark.parametrize(
    "weights, expected",
    [
        ({}, True),  # half the label's weight: exactly LABEL_SHARE
        ({"~bravo": 1.01}, False),  # just under half
        ({"~alpha": 1.01}, True),  # just over
    ],
)
def test_half_the_label_covers_the_point(weights, expected):
    assert covered("alpha, said once", Point("alpha bravo"), weights) is expected


@pytest.mark.parametrize(
    "weights, expected",
    [
        ({}, True),  # two of five: exactly POINT_SHARE
        ({"~kilo": 1.01}, False),  # just under
        ({"~hotel": 1.01}, True),  # just over
    ],
)
def test_two_concepts_holding_two_fifths_cover_the_point(weights, expected):
    assert covered("hotel, then alpha", FIVE, weights) is expected


def test_one_concept_is_too_few_whatever_its_share():
    # Alpha holds 0.45 of the point: over POINT_SHARE, under LABEL_SHARE, and only one hit.
    assert not covered("alpha", Point("alpha bravo"), {"~alpha": 0.45, "~bravo": 0.55})
    assert not covered("kilo", FIVE, {})


@pytest.mark.parametrize(
    "dropout, expected",
    [
        # (1 + 0.6 w) / (3 + 0.6 w) >= 0.4 from w = 5 / 9 on: the text weighs 0.6 of its concept.
        (0.55, False),
        (0.56, True),
    ],
)
def test_a_text_concept_weighs_three_fifths(dropout, expected):
    weights = {"~alpha": 1.0, "~bravo": 2.0, "dropout": dropout}
    assert covered("alpha with dropout", Point("alpha bravo", "dropout"), weights) is expected


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("we used weight decay", True),
        ("we did not use weight decay", False),
        ("使用权重衰减", True),
        ("没有使用权重衰减", False),
    ],
)
def test_a_negated_label_does_not_cover(answer, expected):
    assert covered(answer, Point("weight decay")) is expected


def test_a_negated_concept_is_no_hit():
    point = Point("alpha bravo delta", "dropout")
    assert covered("alpha with dropout", point, {})  # (1 + 0.6) / 3.6: two hits over 0.4
    assert not covered("alpha without dropout", point, {})
    assert not covered("we did not use alpha or bravo", Point("alpha bravo"), {})
    assert covered("we did use alpha and bravo", Point("alpha bravo"), {})


@pytest.mark.parametrize(
    "answer",
    [
        "The weather in Paris was lovely and we ate croissants.",
        "今天天气很好，我们去公园散步了。",
        "",
    ],
)
def test_an_off_topic_answer_hits_nothing(answer):
    points = [Point("混合精度训练", "使用FP16代替FP32进行训练，减少内存占用和计算时间。"), Point("alpha bravo"), FIVE]
    assert score_answer(answer, points) == Coverage(covered=(), total=3, evidence={})
    assert score_answer(answer, points, weights={}).score == 0.0


def test_the_score_is_the_covered_share_to_four_places():
    points = [Point("alpha"), Point("bravo"), Point("hotel")]
    assert score_answer("hotel and alpha", points).covered == ("alpha", "hotel")
    assert score_answer("hotel and alpha", points).score == 0.6667
    assert score_answer("bravo", points).score == 0.3333
    assert score_answer("alpha bravo hotel", points).score == 1.0
    assert score_answer("anything", []).score == 0.0


def test_a_labels_other_words_count_from_three_letters_or_two_cjk_characters():
    from practice.scoring import _concepts

    glossary = builtin_glossary()
    assert _concepts("Dropout at low rate", glossary, with_words=True) == {
        "dropout": "Dropout",
        "~low": "low",  # three letters: a word ("at" is not)
        "~rate": "rate",
    }
    # The words before the first concept count too; a single CJK character does not
    assert _concepts("防止梯度爆炸 词", glossary, with_words=True) == {
        "exploding-gradient": "梯度爆炸",
        "~防止": "防止",
    }
    assert _concepts("Dropout at low rate", glossary, with_words=False) == {"dropout": "Dropout"}


def test_a_key_points_text_adds_only_concepts_its_label_does_not_name():
    from practice.scoring import point_concepts

    concepts = point_concepts(Point("梯度裁剪 策略", "梯度裁剪和学习率预热，配合调度器"), builtin_glossary())
    assert concepts.label == {"gradient-clipping": "梯度裁剪", "policy": "策略"}
    assert concepts.text == {"warmup": "学习率预热"}  # no plain words from the text, nothing named twice


def test_concept_weights_are_inverse_document_frequencies():
    import math

    from practice.scoring import concept_weights

    weights = concept_weights([["a", "b"], ["a"], ["a", "a"]])
    assert weights == {"a": math.log(2), "b": math.log(4), "": math.log(4)}
    assert concept_weights([]) == {"": math.log(2)}


def test_a_concept_the_bank_never_used_weighs_as_one_used_once():
    import math

    from practice.scoring import _weight, concept_weights

    weights = concept_weights([["a"], ["a"], ["b"]])
    assert (_weight(weights, "b"), _weight(weights, "new")) == (math.log(4), math.log(4))
    assert _weight({}, "new") == 1.0  # no weights at all: every concept alike


def test_two_letter_english_words_and_a_labels_plain_words():
    from practice.scoring import _concepts, point_concepts

    glossary = builtin_glossary()
    assert _concepts("Dropout ok rate", glossary, with_words=True) == {"dropout": "Dropout", "~rate": "rate"}
    label = point_concepts(Point("Dropout rate", "Dropout"), glossary).label
    assert label == {"dropout": "Dropout", "~rate": "rate"}


def test_a_label_that_names_no_concept_leaves_the_point_to_its_text_whatever_the_weights_scale():
    from practice.scoring import Evidence

    # No label concept (label weight 0), and a total weight under 1: 0.6 × (0.5 + 0.5).
    point = Point("A", "梯度裁剪和学习率预热")
    coverage = score_answer(
        "先做梯度裁剪，再做学习率预热。", [point], weights={"gradient-clipping": 0.5, "warmup": 0.5}
    )
    assert coverage.evidence == {"A": (Evidence(2, 6, "梯度裁剪"), Evidence(9, 14, "学习率预热"))}
    assert not covered("只做梯度裁剪。", point, {"gradient-clipping": 0.5, "warmup": 0.5})
