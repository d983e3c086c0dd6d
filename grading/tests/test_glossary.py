"""The bilingual glossary: its data file, matching in both languages, and editors' additions."""

import pytest

from grading.glossary import Glossary, has_cjk, load_data_file, parse_glossary
from grading.models import GlossaryConcept
from grading.services import current_glossary
from practice.scoring import Point, score_answer


def test_the_data_file_has_over_500_concepts_each_in_both_languages():
    concepts = load_data_file()
    assert len(concepts) >= 500
    glossary = Glossary(concepts)
    for key, concept in concepts.items():
        assert concept.broader == [b for b in concept.broader if b in concepts], key
    for key, terms in glossary.concepts.items():
        assert any(has_cjk(t) for t in terms) and not all(has_cjk(t) for t in terms), key


@pytest.mark.parametrize(
    "line",
    ["no bars at all", "key | only two", "| 中文 | english", "key | | ", "a | b | c | d | e"],
)
def test_a_malformed_line_is_refused_with_its_number(line):
    with pytest.raises(ValueError, match="glossary line 2"):
        parse_glossary(f"# comment\n{line}\n")


def test_matches_are_spans_of_the_text_as_written_longest_first():
    glossary = Glossary(parse_glossary("imbalance | 数据不平衡 | class imbalance\nbalance | 平衡 | balance\n"))
    text = "存在 数据不平衡 和 Class Imbalances"
    assert [(text[m.start : m.end], m.concept) for m in glossary.find(text)] == [
        ("数据不平衡", "imbalance"),
        ("Class Imbalances", "imbalance"),
    ]


def test_a_gap_term_stays_within_its_clause():
    glossary = Glossary(parse_glossary("aug | 扩充*样本 | augmentation\n"))
    assert [m.concept for m in glossary.find("扩充少数类样本")] == ["aug"]
    assert glossary.find("扩充，样本") == []
    assert glossary.find("扩充了非常非常多的样本") == []


def test_negation_is_marked_within_the_clause_only():
    glossary = Glossary(parse_glossary("dropout | 随机失活 | dropout\n"))
    assert [m.negated for m in glossary.find("没有用dropout，但是后来加了dropout")] == [True, False]
    assert [m.negated for m in glossary.find("I did not need dropout. Later I used dropout.")] == [True, False]


def test_a_broader_concept_counts_as_named():
    glossary = Glossary(load_data_file())
    assert glossary.with_broader("l2-regularization") == ["l2-regularization", "regularization"]
    assert "model-compression" in glossary.with_broader("structured-pruning")


@pytest.mark.django_db
def test_an_editors_concept_is_used_at_once():
    points = [Point("蓝绿发布", "新旧两套环境切换流量")]
    assert score_answer("blue green deployment", points, glossary=current_glossary()).covered == ()
    GlossaryConcept.objects.create(key="blue-green", zh_terms="蓝绿发布, 蓝绿部署", en_terms="blue green deployment")
    assert score_answer("blue green deployment", points, glossary=current_glossary()).covered == ("蓝绿发布",)


@pytest.mark.django_db
def test_an_editors_terms_extend_a_built_in_concept():
    points = [Point("GPU内存", "GPU内存")]
    assert score_answer("卡上的存储不够", points, glossary=current_glossary()).covered == ()
    GlossaryConcept.objects.create(key="gpu-memory", zh_terms="卡上的存储")
    assert score_answer("卡上的存储不够", points, glossary=current_glossary()).covered == ("GPU内存",)


@pytest.mark.django_db
def test_editors_edit_the_glossary_in_the_admin(client, django_user_model):
    from accounts.roles import ensure_editors_group

    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(ensure_editors_group())
    client.force_login(editor)
    response = client.get("/admin/grading/glossaryconcept/add/")
    assert response.status_code == 200 and "grading/data/glossary.txt" in response.content.decode()
    response = client.post(
        "/admin/grading/glossaryconcept/add/",
        {"key": "kv-offload", "zh_terms": "KV卸载", "en_terms": "kv offloading", "broader": "kv-cache", "note": ""},
    )
    assert response.status_code == 302
    assert current_glossary().with_broader("kv-offload") == ["kv-offload", "kv-cache"]
    assert client.get("/admin/grading/gradingjob/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "empty", "zh_terms": "", "en_terms": "", "broader": ""}, "Give at least one Chinese or English term."),
        (
            {"key": "odd", "zh_terms": "奇怪", "en_terms": "", "broader": "no-such-key"},
            "No concept has the key no-such-key.",
        ),
        ({"key": "not a slug", "zh_terms": "奇怪", "en_terms": "", "broader": ""}, "Enter a valid"),
    ],
)
def test_the_admin_refuses_a_concept_without_terms_or_with_an_unknown_broader_one(admin_client, data, message):
    response = admin_client.post("/admin/grading/glossaryconcept/add/", {**data, "note": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GlossaryConcept.objects.exists()
