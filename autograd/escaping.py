r"""Text made safe for each format a label reaches: DOT, markup (SVG, HTML) and JSON in a script.

Labels are the user's text, and may hold quotes, backslashes, markup or control characters.
Every text that goes into an output goes through the one function for that output's format,
so it shows as written and cannot end the string, element or script it sits in. Each also
writes what its format cannot hold (a NUL, an ESC, a lone surrogate) as its Python escape,
as :func:`autograd.notation.visible` does, so even text that skipped it is safe.

>>> print(dot_string('say "hi" \\'))
say \"hi\" \\
>>> markup_text("<b>&</b>")
'&lt;b&gt;&amp;&lt;/b&gt;'
>>> script_json({"text": "</script>"})
'{"text": "\\u003c/script\\u003e"}'
"""

from __future__ import annotations

import html
import json
import re

import graphviz

from autograd.notation import visible

__all__ = ["dot_string", "markup_text", "script_json"]

_RECORD_SYNTAX = re.compile(r"([{}|<>])")
_UNSAFE_IN_SCRIPT = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def dot_string(text: str, *, record_field: bool = False) -> str:
    r"""``text`` as the value of a quoted DOT attribute (a label, xlabel or tooltip), shown literally.

    Graphviz reads a backslash as an escape (``\n``, ``\N``, ``\"``) and ``&name;`` as an
    entity in every such string, so both are escaped; a non-printing character is written as
    its escape (a NUL would end Graphviz's input, a control make its SVG ill-formed XML).
    ``record_field`` also escapes the record syntax ``{ } | < >``, for one field of a record
    label. The result is marked not to be read as an HTML-like label (``<...>``).
    """
    escaped = visible(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    if record_field:
        escaped = _RECORD_SYNTAX.sub(r"\\\1", escaped)
    marked: str = graphviz.nohtml(escaped)
    return marked


def markup_text(text: str) -> str:
    """``text`` for the content or a quoted attribute of HTML or XML (SVG, Graphviz's HTML-like
    labels): ``& < > " '`` as references, non-printing characters as escapes.

    HTML and XML take the same escaping here, so they share this one function.
    """
    return html.escape(visible(text), quote=True)


def script_json(data: object) -> str:
    r"""``data`` as JSON for the inside of a ``<script>`` element: the HTML parser ends the
    element at ``</script>`` and changes state at ``<!--``, and U+2028, U+2029 end a line of
    older JavaScript, so ``< > &``, those two and lone surrogates (which UTF-8 cannot hold)
    are written as ``\u`` escapes, which JSON reads back as the same characters.
    """
    return _UNSAFE_IN_SCRIPT.sub(
        lambda found: f"\\u{ord(found.group()):04x}", json.dumps(data, ensure_ascii=False)
    )
