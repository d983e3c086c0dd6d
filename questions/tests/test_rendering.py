"""Question text as candidates see it: sanitised Markdown, maths marked for KaTeX, imported images."""

from questions.rendering import render_markdown


def test_maths_is_marked_for_katex_with_its_source_as_the_fallback():
    html = render_markdown("The softmax $\\sigma(z)_i$ sums to one:\n\n$$\n\\sum_i \\sigma(z)_i = 1\n$$\n")
    assert '<span class="math inline">\\sigma(z)_i</span>' in html
    assert '<div class="math block">\n\\sum_i \\sigma(z)_i = 1\n</div>' in html


def test_prices_are_not_maths():
    assert "math" not in render_markdown("It costs $5 and then $6 more.")


def test_lists_right_after_a_paragraph_and_code_render_as_the_importer_read_them():
    html = render_markdown("方法包括：\n- **并行计算：** 加速。\n\n```python\n# 注释\n    x = 1\n```")
    assert "<li><strong>并行计算：</strong> 加速。</li>" in html
    assert "<pre><code># 注释\n    x = 1\n</code></pre>" in html


def test_html_is_sanitised_but_images_and_classes_for_maths_only_stay():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src="/media/question-images/a/b.png" alt="plot" onerror="x()"> '
        '<span class="evil math" onclick="x()">t</span> [x](javascript:alert(1))'
    )
    assert "<script" not in html and "onerror" not in html and "onclick" not in html and "evil" not in html
    assert '<img src="/media/question-images/a/b.png" alt="plot">' in html
    assert 'href="javascript' not in html
