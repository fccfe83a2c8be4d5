"""The plain text → HTML filter used for every long text in the documents."""

import html
import re

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from helhedsplan.documents.text import plain_text_to_html

OUR_TAGS = re.compile(r"</?(p|ul|li)>|<br>")


def test_paragraphs_and_bullets():
    text = "Indledning.\n\nPå individniveau:\n- At styrke forældre.\n- At styrke børn.\n\nAfslutning."
    assert plain_text_to_html(text) == (
        "<p>Indledning.</p>"
        "<p>På individniveau:</p><ul><li>At styrke forældre.</li><li>At styrke børn.</li></ul>"
        "<p>Afslutning.</p>"
    )


def test_single_line_breaks_are_kept_and_bullets_may_follow_text_directly():
    assert plain_text_to_html("Linje 1\nLinje 2\n- punkt\nefter") == (
        "<p>Linje 1<br>Linje 2</p><ul><li>punkt</li></ul><p>efter</p>"
    )


def test_windows_line_endings_bullet_dots_and_blank_lines_with_spaces():
    assert plain_text_to_html("A\r\n  \r\n• en\r\n•  to") == "<p>A</p><ul><li>en</li><li>to</li></ul>"


def test_a_hyphen_inside_a_line_is_not_a_bullet():
    assert plain_text_to_html("0-15-årige - og deres forældre") == "<p>0-15-årige - og deres forældre</p>"


def test_everything_is_escaped():
    text = '<img src="file:///etc/passwd">\n- <script>alert(1)</script> & "x"'
    out = plain_text_to_html(text)
    assert "<img" not in out and "<script" not in out
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in out
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</li>" in out


def test_empty_text_gives_nothing():
    assert plain_text_to_html("") == ""
    assert plain_text_to_html(None) == ""
    assert plain_text_to_html("\n\n  \n") == ""


def test_template_filter_output_is_not_escaped_twice():
    rendered = Template("{% load document_text %}{{ text|as_paragraphs }}").render(
        Context({"text": "a < b\n- c"})
    )
    assert rendered == "<p>a &lt; b</p><ul><li>c</li></ul>"


@given(st.text(alphabet=st.sampled_from(list("ab <>&\"'-•\n\r\t")), max_size=80))
def test_no_markup_from_the_text_survives_and_no_word_is_lost(text):
    out = plain_text_to_html(text)
    without_our_tags = OUR_TAGS.sub(" ", out)
    assert "<" not in without_our_tags and ">" not in without_our_tags
    words = [w for w in html.unescape(without_our_tags).split() if w not in {"-", "•"}]
    expected = [w for w in text.split() if w not in {"-", "•"}]
    assert "".join(words).replace("-", "").replace("•", "") == "".join(expected).replace("-", "").replace("•", "")
