"""The coverage scorer on real answers to a real question of the bank."""

import pytest

from practice.scoring import Point, grams, normalize, score_answer

# Entry 2 of the shipped bank.
POINTS = [
    Point("并行计算", "利用多GPU或分布式计算资源，加速训练过程。"),
    Point("数据并行", "将训练数据划分为多个部分，每个GPU独立训练，最后合并结果。"),
    Point("混合精度训练", "使用FP16代替FP32进行训练，减少内存占用和计算时间。"),
    Point("模型剪枝", "去除模型中不重要的神经元和连接，减少模型大小和计算量。"),
]
REFERENCE = "优化大模型训练过程的方法包括：\n" + "\n".join(f"- **{p.label}：** {p.text}" for p in POINTS)


def labels(answer, points=POINTS):
    return score_answer(answer, points).covered


def test_an_empty_answer_covers_nothing():
    coverage = score_answer("", POINTS)
    assert coverage.covered == ()
    assert coverage.score == 0.0


def test_the_reference_answer_covers_everything():
    assert score_answer(REFERENCE, POINTS).score == 1.0


def test_a_partial_answer_covers_what_it_names():
    coverage = score_answer("可以用多卡并行计算来加速，另外用混合精度训练。", POINTS)
    assert coverage.covered == ("并行计算", "混合精度训练")
    assert coverage.score == 0.5


def test_a_paraphrase_counts():
    answer = "把数据切分到多张GPU上各自训练再合并结果；用半精度FP16替代FP32降低显存占用；剪掉不重要的连接让模型变小。"
    assert labels(answer) == ("数据并行", "混合精度训练", "模型剪枝")


@pytest.mark.parametrize(
    "answer",
    ["我喜欢吃苹果和香蕉，周末去爬山。", "模型训练需要大量的数据，过程中要注意方法和时间。", "I don't know."],
)
def test_an_unrelated_answer_covers_nothing(answer):
    assert labels(answer) == ()


def test_a_label_counts_whatever_its_width_or_case():
    points = [Point("Dropout", "在训练过程中随机丢弃部分神经元"), Point("L2正则化", "")]
    assert labels("用ＤＲＯＰＯＵＴ和 l2 正则化", points) == ("Dropout", "L2正则化")


def test_aliases_count_as_the_key_point():
    points = [Point("混合精度训练", "使用FP16代替FP32进行训练", aliases=("半精度", "AMP"))]
    assert labels("我会开 amp", points) == ("混合精度训练",)


def test_english_answers_and_key_points():
    points = [
        Point("Data parallelism", "split each batch across GPUs and average the gradients"),
        Point("Mixed precision training", "compute in FP16 or BF16 to save memory"),
        Point("Gradient checkpointing", "recompute activations in the backward pass instead of storing them"),
    ]
    answer = "I'd split every batch across the GPUs and average gradients, and train in mixed precision with bf16."
    assert labels(answer, points) == ("Data parallelism", "Mixed precision training")


def test_normalize_and_grams():
    assert normalize("ＦＰ１６ 训练！") == "fp16训练"
    assert grams("混合精度 GPUs") == {"混合", "合精", "精度", "gpu"}
