"""escaping: each format's function keeps any text literal and its output well formed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.escaping import dot_string, markup_text, script_json
from autograd.notation import visible
from autograd.render import render_svg

_SVG = "{http://www.w3.org/2000/svg}"
# Any code point, lone surrogates and controls included, weighted towards what formats treat specially.
_TEXTS = st.text(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from('\\"\'&<>{}|;-]!\n\x00\x1b\u2028\u2029')),
    max_size=30,
)


@pytest.fixture(autouse=True)
def no_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DOT is rendered with no `dot` on PATH, as after a plain pip install."""
    monkeypatch.setenv("PATH", str(tmp_path))


def _svg_texts(svg: str) -> list[str]:
    return ["".join(text.itertext()) for text in ET.fromstring(svg).iter(f"{_SVG}text")]


def _svg_tooltips(svg: str) -> list[str]:
    link = "{http://www.w3.org/1999/xlink}title"
    return [element.attrib[link] for element in ET.fromstring(svg).iter() if link in element.attrib]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("x\\", "x\\\\"),
        ('say "hi"', 'say \\"hi\\"'),
        ('\\"', '\\\\\\"'),
        ("&lt;", "&amp;lt;"),
        ("a\x00b\x1b", "a\\\\x00b\\\\x1b"),
        ("\\n\\N", "\\\\n\\\\N"),
    ],
)
def test_dot_string_escapes_what_graphviz_reads(text: str, written: str) -> None:
    """Backslashes, quotes and entities are escaped; a NUL or an ESC becomes its Python escape."""
    assert dot_string(text) == written


def test_dot_string_is_never_an_html_label() -> None:
    """Text that looks like an HTML-like label (<...>) is still quoted as a string."""
    node = graphviz.Digraph()
    node.node("a", dot_string("<b>bold</b>"))
    assert 'label="<b>bold</b>"' in node.source


def test_record_field_escapes_record_syntax() -> None:
    """In a record field, { } | < > are escaped so that they do not split or name fields."""
    assert dot_string("a|b{c}<d>", record_field=True) == "a\\|b\\{c\\}\\<d\\>"


@given(_TEXTS)
def test_dot_string_renders_as_written(text: str) -> None:
    """Any text as a record field, a plain label and a tooltip: Graphviz parses the DOT, the
    SVG is well-formed XML, and each shows the text (its visible form) as written."""
    text = f"[{text}]"  # Graphviz draws no text for an empty label
    field, string = dot_string(text, record_field=True), dot_string(text)
    source = f'digraph {{ a [shape=record label="{field}" tooltip="{string}"]; b [label="{string}"] }}'
    svg = render_svg(source)
    assert _svg_texts(svg) == [visible(text), visible(text)]
    assert _svg_tooltips(svg)[0] == visible(text)


@given(_TEXTS)
def test_markup_text_is_well_formed_xml_and_html(text: str) -> None:
    """Escaped text reads back as its visible form from an element's content and an attribute."""
    escaped = markup_text(text)
    element = ET.fromstring(f'<p title="{escaped}">{escaped}</p>')
    assert (element.text or "") == visible(text)
    assert element.attrib["title"] == visible(text)
    assert not re.search("[<>\"']", escaped)


def test_markup_text_escapes_markup() -> None:
    """Tags, references and quotes become character references."""
    assert markup_text("<img src=x onerror=\"alert('&')\">") == (
        "&lt;img src=x onerror=&quot;alert(&#x27;&amp;&#x27;)&quot;&gt;"
    )


_JSON = st.recursive(
    st.none() | st.integers() | _TEXTS, lambda inner: st.lists(inner) | st.dictionaries(_TEXTS, inner)
)


@given(_JSON)
def test_script_json_reads_back_and_cannot_leave_the_script(data: object) -> None:
    """The JSON reads back as the data, and holds nothing that ends or changes a script element's text."""
    written = script_json(data)
    assert json.loads(written) == data
    assert not re.search("[<>&\u2028\u2029\ud800-\udfff]", written)


def test_script_json_writes_markup_as_escapes() -> None:
    """</script> and <!-- are written with \\u escapes."""
    written = script_json(["</script>", "<!--", "\u2028"])
    assert written == '["\\u003c/script\\u003e", "\\u003c!--", "\\u2028"]'
