"""The offline scorer on real answers to real questions of the bank, in both languages."""

import time

import pytest

from practice.scoring import Point, builtin_glossary, derived_points, score_answer

# Entry 2 of the shipped bank.
POINTS = [
    Point("并行计算", "利用多GPU或分布式计算资源，加速训练过程。"),
    Point("数据并行", "将训练数据划分为多个部分，每个GPU独立训练，最后合并结果。"),
    Point("混合精度训练", "使用FP16代替FP32进行训练，减少内存占用和计算时间。"),
    Point("模型剪枝", "去除模型中不重要的神经元和连接，减少模型大小和计算量。"),
]
REFERENCE = "优化大模型训练过程的方法包括：\n" + "\n".join(f"- **{p.label}：** {p.text}" for p in POINTS)
# Entry 1 (its key points come from the enumeration) and entry 6.
BOTTLENECKS = [Point(label, label) for label in ("GPU内存", "CPU计算能力", "网络带宽", "存储容量")]
OVERFITTING = [
    Point("正则化", "加入L1、L2正则化项，防止模型过于复杂。"),
    Point("Dropout", "在训练过程中随机丢弃部分神经元，减少模型的依赖性。"),
    Point("数据增强", "增加训练数据的多样性，使模型更具泛化能力。"),
]


def labels(answer, points=POINTS):
    return score_answer(answer, points).covered


def said(answer, points, label):
    """The evidence for one covered point as "what the answer said → the key point's words"."""
    return [f"{answer[e.start : e.end]} → {e.term}" for e in score_answer(answer, points).evidence[label]]


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
    assert set(labels(answer)) >= {"数据并行", "混合精度训练", "模型剪枝"}


def test_gpu_memory_in_other_words_counts_for_gpu_memory():
    answer = "最大的瓶颈是GPU显存不够。"
    assert labels(answer, BOTTLENECKS) == ("GPU内存",)
    assert said(answer, BOTTLENECKS, "GPU内存") == ["GPU显存 → GPU内存"]


def test_weight_decay_counts_for_regularisation():
    answer = "加权重衰减，再扩充训练样本。"
    assert labels(answer, OVERFITTING) == ("正则化", "数据增强")
    assert said(answer, OVERFITTING, "正则化") == ["权重衰减 → 正则化"]
    assert said(answer, OVERFITTING, "数据增强") == ["扩充训练样本 → 数据增强"]


def test_english_answers_to_chinese_key_points():
    answer = "GPU memory runs out first; network bandwidth between nodes and disk space come next."
    assert labels(answer, BOTTLENECKS) == ("GPU内存", "网络带宽", "存储容量")
    answer = "I'd split every batch across the GPUs and average gradients, and train in mixed precision with bf16."
    assert set(labels(answer)) >= {"数据并行", "混合精度训练"}


def test_terse_mixed_chinese_and_english():
    assert labels("L2 + dropout，再加augmentation。", OVERFITTING) == ("正则化", "Dropout", "数据增强")


@pytest.mark.parametrize(
    "answer",
    [
        "我喜欢吃苹果和香蕉，周末去爬山。",
        "模型训练需要大量的数据，过程中要注意方法和时间。",
        "I don't know.",
        "推理用vLLM做continuous batching，再加FlashAttention。",
    ],
)
def test_an_unrelated_answer_covers_nothing(answer):
    assert labels(answer) == ()
    assert labels(answer, OVERFITTING) == ()


@pytest.mark.parametrize(
    "answer", ["不需要正则化，也没有用dropout。", "We did not use dropout or weight decay.", "不用数据增强"]
)
def test_a_negated_concept_does_not_count(answer):
    assert labels(answer, OVERFITTING) == ()


def test_not_only_is_no_negation():
    assert labels("不仅用了dropout，还用了权重衰减。", OVERFITTING) == ("正则化", "Dropout")


def test_a_label_counts_whatever_its_width_or_case():
    points = [Point("Dropout", "在训练过程中随机丢弃部分神经元"), Point("L2正则化", "")]
    assert labels("用ＤＲＯＰＯＵＴ和 l2 正则化", points) == ("Dropout", "L2正则化")


def test_aliases_count_as_the_key_point():
    points = [Point("混合精度训练", "使用FP16代替FP32进行训练", aliases=("开省显存模式",))]
    coverage = score_answer("我会开省显存模式", points)
    assert coverage.covered == ("混合精度训练",)
    assert [(e.start, e.end) for e in coverage.evidence["混合精度训练"]] == [(2, 8)]


def test_label_words_the_glossary_does_not_know_still_count():
    points = [Point("蓝绿发布", "新旧两套环境切换流量")]
    assert labels("上线时用蓝绿发布。", points) == ("蓝绿发布",)


def test_evidence_spans_are_in_the_answer_as_written():
    answer = "ＧＰＵ 显存  不够"
    evidence = score_answer(answer, BOTTLENECKS).evidence["GPU内存"]
    assert [answer[e.start : e.end] for e in evidence] == ["ＧＰＵ 显存"]


def test_derived_points_come_from_the_reference_answer():
    reference = "常用的方法有权重衰减、Dropout和早停，它们都能缓解过拟合。"
    points = derived_points(reference, prompt="如何避免过拟合？")
    assert [p.label for p in points] == ["权重衰减", "Dropout", "早停"]
    assert score_answer("用weight decay和early stopping", points).covered == ("权重衰减", "早停")


def test_derived_points_are_the_five_most_distinctive_in_the_answers_order():
    reference = "常用的方法有权重衰减、Dropout、早停、数据增强、批归一化、学习率预热和梯度裁剪。"
    # Rarer in the bank = heavier; the two commonest concepts are left out, whatever their place in the answer.
    weights = {"dropout": 0.2, "warmup": 0.3, "l2-regularization": 0.9, "early-stopping": 0.8, "": 0.5}
    points = derived_points(reference, weights=weights)
    assert [p.label for p in points] == ["权重衰减", "早停", "数据增强", "批归一化", "梯度裁剪"]


def test_scoring_is_fast():
    builtin_glossary().words("预热分词器")  # jieba loads its dictionary once per process
    answer = "把数据切分到多张GPU上各自训练再合并结果；用半精度FP16替代FP32降低显存占用；剪掉不重要的连接。" * 4
    started = time.perf_counter()
    for _ in range(20):
        score_answer(answer, POINTS)
    assert (time.perf_counter() - started) / 20 < 0.05
