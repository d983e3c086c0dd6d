"""The scorer's rules on both sides of each threshold, as inputs and exact outputs.

A key point is covered by its label or an alias written out; by most of its label's grams
(LABEL_SHARE, 0.6); or by enough of its text's distinctive grams: at least TEXT_MIN_HITS (3) of
them and at least TEXT_SHARE (0.2) of them, where generic filler words and grams holding a glue
character do not count.
"""

import pytest

from practice.scoring import Coverage, Point, grams, normalize, score_answer

# Fifteen distinctive words: three of them are exactly the 0.2 share.
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar".split()


def covered(answer: str, point: Point) -> bool:
    return score_answer(answer, [point]).covered == (point.label,)


@pytest.mark.parametrize(
    "text, answer, expected",
    [
        (" ".join(WORDS), "alpha bravo charlie", True),  # 3 of 15: both limits met exactly
        (" ".join(WORDS), "alpha bravo", False),  # 2 of 15: too few
        (" ".join([*WORDS, "papa"]), "alpha bravo charlie", False),  # 3 of 16: share 0.1875
        (" ".join([*WORDS, "papa"]), "alpha bravo charlie delta", True),  # 4 of 16: share 0.25
    ],
)
def test_the_text_rule_needs_both_three_hits_and_a_fifth(text, answer, expected):
    assert covered(answer, Point("unrelated label", text)) is expected


def test_a_few_generic_words_cannot_make_a_match():
    # Two of four distinctive words is half the text, but two words are too few to mean anything.
    point = Point("regularisation", "weight decay dropout noise")
    assert not covered("I would add some noise and dropout", point)
    assert covered("dropout, noise and weight penalties", point)


def test_filler_words_are_not_evidence():
    # All of the text's bigrams that are words (通过 使用 模型 进行 训练 数据) are filler.
    point = Point("正则化", "通过使用模型进行训练数据")
    assert not covered("通过、使用、模型、进行、训练、数据", point)
    assert not covered("the model is used with data for training", Point("regularisation", "the model is used with it"))


def test_grams_holding_a_glue_character_are_not_evidence():
    point = Point("正则化", "梯度的裁剪和权重的衰减")
    assert not covered("的裁、剪和、和权、重的、的衰", point)
    assert covered("梯度、裁剪、权重", point)


def test_an_empty_text_covers_nothing_by_itself():
    assert not covered("alpha bravo charlie", Point("unrelated label", ""))


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("过采，采样，欠采", True),  # 3 of the label's 5 bigrams: 0.6
        ("过采，采样", False),  # 2 of 5: 0.4
    ],
)
def test_a_label_paraphrased_needs_three_fifths_of_its_grams(answer, expected):
    # 过采样和欠采样: 过采 采样 样和 和欠 欠采 (the label's own grams count glue and all)
    assert covered(answer, Point("过采样和欠采样")) is expected


def test_a_two_word_label_in_another_order_counts_but_half_of_it_does_not():
    assert covered("precision, mixed, throughout", Point("mixed precision"))
    assert not covered("precision throughout", Point("mixed precision"))  # 1 of 2: 0.5


def test_a_one_word_label_must_be_written_out():
    # "GPUs" and "GPU" fold to the same gram, but one gram is no paraphrase.
    assert not covered("we used one GPU", Point("GPUs"))
    assert covered("we used two GPUs", Point("GPUs"))


def test_an_empty_alias_matches_nothing():
    assert not covered("anything at all", Point("label", "", aliases=("", " ", "！")))
    assert covered("we used FP16 here", Point("半精度", "", aliases=("", "fp16")))


def test_the_label_written_out_wins_whatever_the_text():
    assert covered("关于混合精度训练", Point("混合精度训练", "完全无关的一段文字"))


def test_the_score_is_the_covered_share_to_four_places():
    points = [Point("alpha"), Point("bravo"), Point("charlie")]
    coverage = score_answer("charlie and alpha", points)
    assert coverage == Coverage(covered=("alpha", "charlie"), total=3)
    assert coverage.score == 0.6667
    assert score_answer("bravo", points).score == 0.3333
    assert score_answer("alpha bravo charlie", points).score == 1.0
    assert score_answer("anything", []) == Coverage(covered=(), total=0)
    assert score_answer("anything", []).score == 0.0


def test_normalize_folds_width_and_case_and_drops_punctuation():
    assert normalize("ＧＰＵ　Ｃ＋＋， Ｃ#！v1.5-β") == "gpuc++c#v1.5-β"
    assert normalize(None) == ""


def test_grams_are_words_and_chinese_bigrams():
    assert grams("GPUs, class, bus, lens 和 C++ v1.5-beta 混合精度 猫") == {
        "gpu",
        "class",
        "bus",
        "len",
        "c",  # a sign only joins two word characters: C++ is "c"
        "v1.5-beta",
        "和",
        "混合",
        "合精",
        "精度",
        "猫",
    }
    assert grams("") == set() and grams(None) == set()
