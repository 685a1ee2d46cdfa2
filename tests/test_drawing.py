"""draw and to_svg: what the picture holds, stable ids, highlights, big graphs, Jupyter display."""

from __future__ import annotations

import re
import stat
import struct
import xml.dom.minidom
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import graphviz
import pytest

from autograd import (
    Drawing,
    GraphvizNotFound,
    Value,
    dot,
    draw,
    tanh,
    to_html,
    to_png,
    to_svg,
    topological_order,
)
from autograd.drawing import (
    DEFAULT_MAX_EDGES,
    DEFAULT_MAX_NODES,
    copy_class,
    copy_id,
    edge_id,
    node_id,
    op_id,
    plan_drawing,
)
from autograd.expression import node_names
from autograd.notation import factor, short_number
from autograd.render import render_svg
from autograd.value import Constant

_SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def no_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every picture here is rendered with no `dot` on PATH, as after a plain pip install."""
    monkeypatch.setenv("PATH", str(tmp_path))


def _neuron() -> tuple[Value, Value, Value, Value]:
    """o = tanh(x*w + b) with x used twice more (o * x + x), backpropagated."""
    x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    n = x * w + b
    n.label = "n"
    o = tanh(n) * x + x
    o.label = "o"
    o.backward()
    return o, x, w, b


def _groups(svg: str) -> dict[str, ET.Element]:
    """The SVG's node and edge groups by id."""
    return {g.attrib["id"]: g for g in ET.fromstring(svg).iter(f"{_SVG}g") if "id" in g.attrib}


def _texts(group: ET.Element) -> list[str]:
    return ["".join(text.itertext()).strip() for text in group.iter(f"{_SVG}text")]


def _outline(group: ET.Element) -> ET.Element:
    """The first shape of a node group: its outline."""
    return next(e for e in group.iter() if e.tag in (f"{_SVG}path", f"{_SVG}polygon", f"{_SVG}ellipse"))


def _chain(length: int) -> Value:
    """A graph of about ``length`` Values: a running sum of products."""
    total = Value(0.0, "start")
    for i in range(length // 4):
        total = total + Value(float(i % 7), f"a{i}") * 0.5
    return total


def _dense(points: int, width: int = 16) -> Value:
    """The sum of a two-layer dense net's outputs over ``points`` inputs: few Values, many edges."""
    weights = [[Value(0.1 * (i - j), f"w{i}_{j}") for j in range(width)] for i in range(width)]
    total = Value(0.0, "start")
    for point in range(points):
        hidden = [Value(float(point + j), f"x{point}_{j}") for j in range(width)]
        for _ in range(2):
            hidden = [tanh(dot(row, hidden)) for row in weights]
        total = total + hidden[0]
    return total


def _drawn_values(picture: graphviz.Digraph) -> set[str]:
    """The ids of the Values a picture draws, each once: by its own record or by its copies."""
    drawn = set()
    for line in picture.body:
        found = re.search(r'class="copy-of-(n\d+)"|id=(n\d+) ', line) if "shape=record" in line else None
        if found is not None:
            drawn.add(found.group(1) or found.group(2))
    return drawn


def _sum_of(x: Value, terms: int) -> Value:
    """x + x + ... + x: one leaf used by every node of a chain."""
    total = x
    for _ in range(terms - 1):
        total = total + x
    return total


def _left_right(group: ET.Element) -> tuple[float, float]:
    """The horizontal extent of a node group's outline (a record's path or an op's ellipse)."""
    shape = _outline(group)
    if shape.tag == f"{_SVG}ellipse":
        middle, half = float(shape.attrib["cx"]), float(shape.attrib["rx"])
        return middle - half, middle + half
    points = shape.attrib.get("d", shape.attrib.get("points", ""))
    xs = [float(x) for x in re.findall(r"(-?[\d.]+),-?[\d.]+", points)]
    return min(xs), max(xs)


def _drawn_edges(picture: graphviz.Digraph) -> int:
    """How many edges between Values (from a parent into an op) a picture draws."""
    return len(re.findall(r"id=n\d+e\d+", picture.source))


def test_draw_returns_a_digraph() -> None:
    """draw gives a graphviz.Digraph, so it works wherever one is expected (Jupyter, .render)."""
    picture = draw(_neuron()[0])
    assert isinstance(picture, graphviz.Digraph)
    assert isinstance(picture, Drawing)


def test_svg_holds_every_name_data_and_grad() -> None:
    """The SVG parses as XML, and each Value's record reads name | data | grad."""
    root = _neuron()[0]
    groups = _groups(to_svg(root))
    names = node_names(root)
    for position, node in enumerate(topological_order(root)):
        assert _texts(groups[node_id(position)]) == [
            names[node],
            f"data {short_number(node.data)}",
            f"grad {short_number(node.grad)}",
        ]


def test_edges_carry_local_derivatives() -> None:
    """Each edge from a parent into an op is labelled with d(node)/d(parent)."""
    root = _neuron()[0]
    groups = _groups(to_svg(root))
    order = topological_order(root)
    for position, node in enumerate(order):
        for index, local in enumerate(node.local_grads):
            assert _texts(groups[edge_id(position, index)]) == [short_number(local)]
        if node.parents:
            assert _texts(groups[op_id(position)]) == [node.op]


def test_show_local_false_drops_edge_labels() -> None:
    """show_local=False draws the edges bare."""
    root = _neuron()[0]
    groups = _groups(to_svg(root, show_local=False))
    assert all(_texts(g) == [] for key, g in groups.items() if g.attrib.get("class") == "edge")
    assert any(key.startswith("n0e") for key in groups)


def test_fan_out_draws_one_edge_per_use() -> None:
    """a + a draws two edges from a into the + op, each labelled 1."""
    a = Value(3.0, "a")
    doubled = a + a
    picture = to_svg(doubled)
    groups = _groups(picture)
    assert _texts(groups[edge_id(0, 0)]) == ["1"]
    assert _texts(groups[edge_id(0, 1)]) == ["1"]


def test_root_leaves_and_constants_look_different() -> None:
    """Root green, an input blue, an interior node white; a constant grey and dashed, with no grad."""
    w = Value(-1.25, "w")
    n = w * 2 + Value(0.5)  # an unlabelled Value is an input like w, not a constant
    n.label = "n"
    root = n.tanh()
    root.label = "o"
    order = topological_order(root)
    groups = _groups(to_svg(root))
    outlines = {node: _outline(groups[node_id(position)]) for position, node in enumerate(order)}
    constant = next(node for node in order if isinstance(node, Constant))
    unlabelled = next(node for node in order if node.is_leaf and not node.label and node is not constant)
    fills = {node: outline.attrib["fill"] for node, outline in outlines.items()}
    assert (fills[root], fills[w], fills[unlabelled], fills[n]) == ("#dcfce7", "#dbeafe", "#dbeafe", "white")
    assert fills[constant] == "#e2e8f0" and "stroke-dasharray" in outlines[constant].attrib
    assert "stroke-dasharray" not in outlines[w].attrib

    def texts(node: Value) -> str:
        return "".join(groups[node_id(order.index(node))].itertext())

    assert "grad" not in texts(constant) and "grad" in texts(w) and "grad" in texts(unlabelled)
    assert "data" not in texts(constant)  # its name is its number
    constant.label = "half"
    assert 'label="{half | data 2}"' in draw(root).source  # a labelled one shows its number too


def test_ids_and_source_are_stable() -> None:
    """The same graph draws to the same source twice; the root's id is n0."""
    root = _neuron()[0]
    assert draw(root).source == draw(root).source
    assert _texts(_groups(to_svg(root))["n0"])[0] == "o"


def test_ids_do_not_depend_on_object_identity() -> None:
    """Two separately built copies of a graph draw to the same source."""
    assert draw(_neuron()[0]).source == draw(_neuron()[0]).source


def test_highlight_step_marks_node_and_its_edges() -> None:
    """A Step lights its node and op, and labels its edges local · upstream = contribution."""
    o = _neuron()[0]
    steps = o.backward_steps()
    step = next(steps)
    step = next(steps)
    position = topological_order(o).index(step.node)
    groups = _groups(to_svg(o, highlight=step))
    plain = _groups(to_svg(o))
    stroke = _outline(groups[node_id(position)]).attrib["stroke"]
    assert stroke != _outline(plain[node_id(position)]).attrib["stroke"]
    for index, edge in enumerate(step.edges):
        (label,) = _texts(groups[edge_id(position, index)])
        local, contribution = short_number(edge.local_grad), short_number(edge.contribution)
        assert label == f"{local} · {factor(step.upstream)} = {contribution}"
    list(steps)  # finish the pass


def test_highlight_step_labels_edges_even_without_show_local() -> None:
    """With show_local=False, only the highlighted step's edges carry labels."""
    o = _neuron()[0]
    step = next(o.backward_steps())
    groups = _groups(to_svg(o, highlight=step, show_local=False))
    assert _texts(groups[edge_id(0, 0)]) != []
    assert _texts(groups[edge_id(1, 0)]) == []


def test_highlight_values_marks_them() -> None:
    """A Value or a list of Values is drawn in red; others keep their look."""
    o, _, w, b = _neuron()
    order = topological_order(o)
    plain = _groups(to_svg(o))
    for highlight in (w, [w, b]):
        groups = _groups(to_svg(o, highlight=highlight))
        marked = [w] if isinstance(highlight, Value) else highlight
        for position, node in enumerate(order):
            changed = _outline(groups[node_id(position)]).attrib != _outline(plain[node_id(position)]).attrib
            assert changed == (node in marked)


def test_bad_highlight_is_refused() -> None:
    """A highlight of the wrong type is a TypeError; a Value from another graph a ValueError."""
    o = _neuron()[0]
    with pytest.raises(TypeError, match="highlight must be a Step, a Value or a list of Values"):
        draw(o, highlight="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="highlight"):
        draw(o, highlight=[1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="not part of the graph"):
        draw(o, highlight=Value(1.0, "stranger"))


def test_bad_options_are_refused() -> None:
    """A root that is not a Value, an unknown rankdir or a bad max_nodes is a clear error."""
    o = _neuron()[0]
    with pytest.raises(TypeError, match="root must be a Value"):
        draw(1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rankdir"):
        draw(o, rankdir="sideways")
    with pytest.raises(ValueError, match="max_nodes must be at least 1"):
        draw(o, max_nodes=0)
    with pytest.raises(TypeError, match="max_nodes must be an int or None"):
        draw(o, max_nodes=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_edges must be at least 1"):
        draw(o, max_edges=0)
    with pytest.raises(ValueError, match="unknown format"):
        draw(o, format="gif87")
    with pytest.raises(TypeError, match="unexpected keyword"):
        to_svg(o, colour="red")


def test_rankdir_tb_renders() -> None:
    """Top to bottom, the records still read name | data | grad."""
    root = _neuron()[0]
    groups = _groups(to_svg(root, rankdir="TB"))
    assert _texts(groups[node_id(0)]) == ["o", f"data {short_number(root.data)}", "grad 1"]


def test_special_characters_in_labels() -> None:
    """Labels with record syntax, quotes and backslashes are drawn as written."""
    odd = Value(1.0, 'a|b{c}<d> "e" \\f')
    root = odd * 2
    position = topological_order(root).index(odd)
    assert _texts(_groups(to_svg(root))[node_id(position)])[0] == 'a|b{c}<d> "e" \\f'


def test_big_graph_is_cut_and_says_so() -> None:
    """Over max_nodes Values, only the nearest max_nodes are drawn, with a note in the picture."""
    root = _chain(400)
    total = len(topological_order(root))
    picture = draw(root, max_nodes=50)
    records = [line for line in picture.body if "shape=record" in line]
    assert len(records) == 50
    assert f"showing 50 of {total} values" in picture.source
    assert "not drawn" in picture.source
    assert "showing" in "".join(_texts(ET.fromstring(to_svg(root, max_nodes=50))))


def test_cut_keeps_highlighted_nodes() -> None:
    """A highlighted node deep in a cut graph is drawn, with a path to the root."""
    root = _chain(400)
    deepest = topological_order(root)[-1]
    picture = draw(root, max_nodes=20, highlight=deepest)
    position = topological_order(root).index(deepest)
    assert f"\t{node_id(position)} [" in picture.source


def test_default_cut_on_a_huge_graph() -> None:
    """A 20,000-Value graph draws DEFAULT_MAX_NODES records, not all of them."""
    root = _chain(20_000)
    records = [line for line in draw(root).body if "shape=record" in line]
    assert len(records) == DEFAULT_MAX_NODES


def test_edge_heavy_graph_is_cut_by_max_edges() -> None:
    """A graph of few Values but many edges is cut to max_edges edges, and the picture says so."""
    root = _dense(10)
    assert len(topological_order(root)) < DEFAULT_MAX_NODES
    picture = draw(root)
    assert DEFAULT_MAX_EDGES - 40 < _drawn_edges(picture) <= DEFAULT_MAX_EDGES
    assert f"max_edges={DEFAULT_MAX_EDGES}" in picture.source
    assert _drawn_edges(draw(root, max_edges=100)) <= 100


def test_no_limits_draw_everything() -> None:
    """max_nodes=None and max_edges=None never cut."""
    root = _dense(10)
    picture = draw(root, max_nodes=None, max_edges=None)
    assert len(_drawn_values(picture)) == len(topological_order(root))
    assert _drawn_edges(picture) == sum(len(node.parents) for node in topological_order(root))


def test_jupyter_display_needs_no_dot() -> None:
    """What draw returns displays in Jupyter as SVG through the WebAssembly Graphviz."""
    bundle = draw(_neuron()[0])._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"]
    assert ET.fromstring(bundle["image/svg+xml"]).tag == f"{_SVG}svg"


def test_format_sets_the_default_output() -> None:
    """draw's format (default "svg") is what render and pipe make when given none."""
    root = _neuron()[0]
    assert draw(root).format == "svg"
    assert draw(root, format="png").format == "png"


def test_pipe_makes_svg_without_dot() -> None:
    """pipe gives SVG bytes, or text with an encoding, with no `dot` on PATH."""
    picture = draw(_neuron()[0])
    raw = picture.pipe(format="svg")
    assert isinstance(raw, bytes)
    assert ET.fromstring(raw).tag == f"{_SVG}svg"
    assert picture.pipe(encoding="utf-8") == raw.decode("utf-8")


def test_render_writes_source_and_svg_without_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """render saves the DOT source and the SVG beside it, and returns the SVG's path, as graphviz does."""
    monkeypatch.chdir(tmp_path)
    picture = draw(_neuron()[0])
    assert picture.render("graph", format="svg") == "graph.svg"
    assert Path("graph").read_text(encoding="utf-8") == picture.source
    assert ET.parse("graph.svg").getroot().tag == f"{_SVG}svg"
    assert draw(_neuron()[0]).render(directory="out") == str(Path("out", "autograd.gv.svg"))
    assert Path("out", "autograd.gv").exists()
    assert picture.render(outfile="picture.svg") == "picture.svg"
    assert Path("picture.gv").exists()
    assert ET.parse("picture.svg").getroot().tag == f"{_SVG}svg"


def test_render_cleanup_and_view_without_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """cleanup deletes the source; view opens the SVG with graphviz's viewer."""
    monkeypatch.chdir(tmp_path)
    opened: list[tuple[str, bool]] = []
    monkeypatch.setattr(graphviz, "view", lambda path, quiet=False: opened.append((path, quiet)))
    assert draw(_neuron()[0]).render("graph", cleanup=True, view=True) == "graph.svg"
    assert not Path("graph").exists()
    assert opened == [("graph.svg", False)]


def test_render_refuses_what_graphviz_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """raise_if_result_exists and an outfile that is the source file are refused as graphviz does."""
    monkeypatch.chdir(tmp_path)
    picture = draw(_neuron()[0])
    picture.render("graph")
    with pytest.raises(graphviz.FileExistsError, match=r"graph\.svg"):
        picture.render("graph", raise_if_result_exists=True)
    with pytest.raises(ValueError, match="overwrite_source"):
        picture.render("same.svg", outfile="same.svg")


def test_formats_other_than_svg_need_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `dot`, other formats and engines raise GraphvizNotFound saying what to install."""
    monkeypatch.chdir(tmp_path)
    picture = draw(_neuron()[0])
    for make in (
        lambda: picture.pipe(format="png"),
        lambda: picture.pipe(engine="neato"),
        lambda: picture.render("graph", format="pdf"),
        lambda: picture.render(outfile="graph.png"),
        lambda: draw(_neuron()[0], format="png").render("graph"),
    ):
        with pytest.raises(GraphvizNotFound, match="only SVG") as caught:
            make()
        assert "apt-get install graphviz" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_pipe_and_render_use_dot_when_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With `dot` on PATH, pipe and render are graphviz's own, for every format."""
    program = tmp_path / "dot"
    program.write_text("#!/bin/sh\necho from-dot\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.chdir(tmp_path)
    picture = draw(_neuron()[0])
    assert picture.pipe(format="png") == b"from-dot\n"
    assert picture.render("graph", format="pdf") == "graph.pdf"  # the fake dot writes no file


def test_to_svg_writes_the_file(tmp_path: Path) -> None:
    """to_svg(path=...) writes the same text it returns."""
    target = tmp_path / "graph.svg"
    svg = to_svg(_neuron()[0], target)
    assert target.read_text(encoding="utf-8") == svg


def test_drawing_leaves_grads_alone() -> None:
    """Drawing reads the graph and changes no data or grad."""
    root = _neuron()[0]
    before = [(node.data, node.grad) for node in topological_order(root)]
    to_svg(root)
    assert [(node.data, node.grad) for node in topological_order(root)] == before


@pytest.mark.parametrize(
    "label", ["x\\", "a\x00b", "\x1b[31mred", "<!--<script>", "&#0; &amp;", 'q"uo\\"te', "\\N\\G\\n", "]]>"]
)
def test_odd_labels_render_and_read_as_written(label: str) -> None:
    """A label on a leaf, an interior node and the root (also in a cut's title) gives DOT that
    Graphviz parses and well-formed SVG, where each record shows its name as written."""
    leaf = Value(2.0, label)
    middle = leaf * Value(3.0, "w")
    middle.label = label
    root = middle + leaf
    root.label = label
    root.backward()
    names = node_names(root)
    for options in ({}, {"max_nodes": 2}, {"rankdir": "TB"}):
        svg = to_svg(root, **options)
        xml.dom.minidom.parseString(svg)
        groups = _groups(svg)
        for position, node in enumerate(topological_order(root)):
            if node_id(position) in groups:
                assert _texts(groups[node_id(position)])[0] == names[node]


def test_leaf_with_many_users_is_drawn_beside_each() -> None:
    """x + x + ... + x draws x once per use, each copy just before its user's op, with the
    same name, data and grad; the picture's title says so, and x has no record of its own."""
    x = Value(0.5, "x")
    root = _sum_of(x, 30)
    root.backward()
    order = topological_order(root)
    x_position = order.index(x)
    picture = draw(root)
    assert "dotted: a value drawn again beside its users (x 30 times)" in picture.source
    groups = _groups(to_svg(root))
    assert node_id(x_position) not in groups
    copies = {key: g for key, g in groups.items() if copy_class(x_position) in g.attrib.get("class", "")}
    assert len(copies) == 30
    op_lefts = sorted(_left_right(g)[0] for key, g in groups.items() if key.endswith("op"))
    for position, node in enumerate(order):
        for index in (index for index, parent in enumerate(node.parents) if parent is x):
            copy = copies[copy_id(position, index)]
            assert _texts(copy) == ["x", "data 0.5", f"grad {short_number(x.grad)}"]
            right = _left_right(copy)[1]
            user_op = _left_right(groups[op_id(position)])[0]
            assert right < user_op
            assert not [left for left in op_lefts if right < left < user_op]  # no op in between


def test_few_users_nearby_share_one_record() -> None:
    """A leaf with a few users close together (x in the neuron, a in a + a) is drawn once."""
    a = Value(3.0, "a")
    for root in (_neuron()[0], a + a):
        assert plan_drawing(root).copied == frozenset()
        assert "copy-of" not in draw(root).source and "dotted:" not in draw(root).source


def test_leaf_used_far_apart_is_copied() -> None:
    """A leaf used only twice, but at both ends of a long chain, is drawn beside each use."""
    x = Value(0.5, "x")
    chain = x
    for _ in range(40):
        chain = tanh(chain)
    root = chain * x
    plan = plan_drawing(root)
    assert plan.copied == {(root, 1), (topological_order(root)[-2], 0)}


@pytest.mark.slow
def test_interior_node_used_far_away_is_copied_past_a_budget() -> None:
    """c = tanh(x) used by every node of a long chain keeps its own record, op and nearest uses;
    its farthest uses start from copies of it, and the leaf x is drawn once."""
    x = Value(0.3, "x")
    c = tanh(x)
    c.label = "c"
    root = c
    for _ in range(300):
        root = root * c
    root.backward()
    plan = plan_drawing(root)
    order = topological_order(root)
    uses = [(node, index) for node in order for index, parent in enumerate(node.parents) if parent is c]
    copied = [use for use in uses if use in plan.copied]
    assert 0 < len(copied) < len(uses)
    assert plan.copied == set(copied)
    distance = {use: rank for rank, use in enumerate(reversed(uses))}  # the root's uses are farthest
    assert min(distance[use] for use in copied) > max(distance[use] for use in uses if use not in plan.copied)
    picture = draw(root)
    for element in (node_id(order.index(c)), op_id(order.index(c)), node_id(order.index(x))):
        assert f"\t{element} [" in picture.source
    assert f"(c {len(copied)} times)" in picture.source
    xml.dom.minidom.parseString(render_svg(picture.source))


def test_copies_take_the_highlights() -> None:
    """Every copy of a marked leaf is red, and every copy of a leaf receiving gradient in the
    highlighted step is outlined, as its one record would be."""
    x = Value(0.5, "x")
    root = _sum_of(x, 8)
    steps = root.backward_steps()
    step = next(steps)
    plain = _groups(to_svg(root))
    lit = _groups(to_svg(root, highlight=step))
    marked = _groups(to_svg(root, highlight=x))
    x_class = copy_class(topological_order(root).index(x))
    copies = [key for key, group in plain.items() if x_class in group.attrib.get("class", "")]
    assert len(copies) == 8
    for key in copies:
        assert _outline(marked[key]).attrib["stroke"] != _outline(plain[key]).attrib["stroke"]
        assert _outline(marked[key]).attrib["fill"] != _outline(plain[key]).attrib["fill"]
        assert _outline(lit[key]).attrib["stroke"] != _outline(plain[key]).attrib["stroke"]
    list(steps)


def test_cut_and_copies_both_have_a_title_line() -> None:
    """A cut picture with copies says both, one line each."""
    x = Value(0.5, "x")
    root = _sum_of(x, 100)
    picture = draw(root, max_nodes=20)
    assert "showing 20 of 100 values" in picture.source
    assert "\\ndotted: a value drawn again beside its users (x 19 times)" in picture.source


# --- files: the right kind under the right name ---


@pytest.mark.parametrize(
    ("write", "path"),
    [(to_svg, "graph.png"), (to_svg, "graph"), (to_png, "graph.svg"), (to_html, "graph.svg"), (to_html, "")],
)
def test_a_file_name_of_another_kind_is_refused(
    tmp_path: Path, write: Callable[..., object], path: str
) -> None:
    """SVG text is never written under a .png name (nor a PNG or a page under another's)."""
    x = Value(2.0, "x")
    with pytest.raises(ValueError, match=r"the file name must end in \."):
        write(x * 3, tmp_path / path if path else path)
    assert list(tmp_path.iterdir()) == []


def test_to_png_draws_the_picture_without_system_graphviz(tmp_path: Path) -> None:
    """to_png: a PNG of the same picture, twice the SVG's size by default, written whole."""
    x = Value(2.0, "x")
    y = (x * 3).tanh()
    png = to_png(y, tmp_path / "y.PNG")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and (tmp_path / "y.PNG").read_bytes() == png
    width, height = struct.unpack(">II", png[16:24])
    size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', to_svg(y))
    assert size is not None
    assert (width, height) == tuple(round(float(points) * 4 / 3 * 2) for points in size.groups())
    small = to_png(y, scale=1)
    assert struct.unpack(">II", small[16:24]) == (round(width / 2), round(height / 2))
    with pytest.raises(ValueError, match=r"^render_png: scale must be a number in \(0, 16\], got 0"):
        to_png(y, scale=0)


def test_a_highlighted_step_leaves_a_constant_its_local_derivative() -> None:
    """In 2*x's step the constant's edge keeps ∂/∂2 = x; only x's edge shows local · upstream."""
    x = Value(1.5, "x")
    y = 2 * x
    [step] = list(y.backward_steps())
    source = draw(y, highlight=step).source
    assert 'label="  1.5  "' in source and 'label="  2 · 1 = 2  "' in source
