"""Markdown to HTML that is safe to show: editors' text is never trusted as HTML.

The same parser as the importer (markdown-it-py, CommonMark with tables), so what an import stored renders as
its source meant. `$…$` and `$$…$$` become spans and divs marked "math", which KaTeX renders in the browser
(static/vendor/katex/maths.js); the TeX source is the fallback.
"""

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

MARKDOWN = (
    MarkdownIt("commonmark", {"html": True})
    .enable("table")
    .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "hr",
    "img",
    "span",
    "div",
}


def render_markdown(text: str) -> str:
    html = MARKDOWN.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
        allowed_classes={"span": {"math", "inline"}, "div": {"math", "block"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
