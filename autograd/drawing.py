"""Pictures of a computation graph: ``draw`` builds it as Graphviz, ``to_svg`` renders it.

Each Value is a record ``name | data | grad``; each interior node has a small op node between
it and its parents (as micrograd's notebook draws it), and each edge into an op carries the
local derivative d(result)/d(parent). Node ids come from a node's position in the
topological order (root ``n0``), so the same graph always gives the same ids, in the same
order: what lets :mod:`autograd.replay` restyle one layout frame by frame.

A leaf used by many nodes (a shared weight, a reused input) is drawn once per use, a dotted
copy beside each user, and so is a node at the far end of the longest edges when a picture
would have too many: dot draws an edge across k ranks as k - 1 hidden points and places and
routes every one, which is what made such pictures take minutes. Each copy has the class
``copy-of-<id>``, so the replay can update and light every copy of a node.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import graphviz

from autograd.backward import topological_order
from autograd.escaping import dot_string
from autograd.expression import definition, node_names
from autograd.files import check_suffix, write_atomic
from autograd.notation import format_number, local_name, product_text, short_number
from autograd.render import SYSTEM_GRAPHVIZ, GraphvizNotFound, has_dot, render_png, render_svg
from autograd.stepping import Step
from autograd.value import Constant, Value

__all__ = [
    "DEFAULT_MAX_NODES", "DEFAULT_MAX_EDGES", "Drawing", "Plan", "draw", "to_svg", "to_png", "plan_drawing",
    "build", "node_id", "op_id", "out_id", "edge_id", "copy_id", "copy_class",
]

DEFAULT_MAX_NODES = 2000
# Layout time grows much faster than the edge count: with the WebAssembly Graphviz, 3,000
# edges take 1-4 s; the 13,600 of an MLP(2, [16, 16, 1]) loss (1,798 Values) take ~40 s.
DEFAULT_MAX_EDGES = 3000
# Above this many Values, edge labels float beside their edges (xlabel) instead of taking a
# place in the layout: dot makes a label a hidden node, which costs ~4x on 2,000 Values.
_FLOATING_LABELS_ABOVE = 500
# A leaf with more users than this, or whose edges would make more hidden points than this
# (an input used at both ends of a long chain), is drawn as one copy per use.
_MOST_USERS_DRAWN_ONCE = 4
_MOST_HIDDEN_POINTS_FOR_A_LEAF = 40
# What remains (interior nodes used far away) may make this many hidden points, past which
# the longest edges start from copies instead. Layout time grows much faster than their count:
# an interior node with 200 far users laid out by the WebAssembly Graphviz with 500, 1,000,
# 2,000 and 5,000 hidden points takes 0.13, 0.3, 3 and 70 s.
_HIDDEN_POINTS_BUDGET = 1000
_COPIES_NAMED = 3  # the legend names the values copied most, this many
_FONT = "Helvetica,Arial,sans-serif"
_INK, _EDGE, _LOCAL = "#334155", "#64748b", "#1d4ed8"
_ACTIVE, _ACTIVE_FILL, _MARK, _MARK_FILL = "#ea580c", "#ffedd5", "#dc2626", "#fee2e2"
_ROOT, _ROOT_FILL = "#15803d", "#dcfce7"
_LEAF_FILL, _CONSTANT_FILL, _CONSTANT_INK, _OP_FILL = "#dbeafe", "#e2e8f0", "#64748b", "#f8fafc"


class Drawing(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no type hints
    """A ``graphviz.Digraph`` that makes SVG with no system Graphviz.

    With the ``dot`` executable on PATH, ``pipe`` and ``render`` (and so Jupyter display,
    which pipes) are graphviz's own. Without it they make SVG with
    :func:`autograd.render.render_svg` (the WebAssembly Graphviz), so a graph shows inline
    and saves after a plain pip install; ``quiet`` and ``neato_no_op`` then have nothing to
    act on, and any other format or engine raises :class:`~autograd.render.GraphvizNotFound`.
    """

    @overload
    def pipe(
        self,
        format: str | None = ...,
        renderer: str | None = ...,
        formatter: str | None = ...,
        neato_no_op: bool | int | None = ...,
        quiet: bool = ...,
        *,
        engine: str | None = ...,
        encoding: None = ...,
    ) -> bytes: ...

    @overload
    def pipe(
        self,
        format: str | None = ...,
        renderer: str | None = ...,
        formatter: str | None = ...,
        neato_no_op: bool | int | None = ...,
        quiet: bool = ...,
        *,
        engine: str | None = ...,
        encoding: str,
    ) -> str: ...

    def pipe(
        self,
        format: str | None = None,  # noqa: A002  # graphviz's name
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: bool | int | None = None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> bytes | str:
        """graphviz's ``pipe``: the rendered output as bytes, or as text decoded with ``encoding``."""
        if has_dot():
            output: bytes | str = super().pipe(
                format, renderer=renderer, formatter=formatter, neato_no_op=neato_no_op, quiet=quiet,
                engine=engine, encoding=encoding,
            )
            return output
        svg = self._svg_without_dot(format, engine, renderer, formatter)
        return svg if encoding is None else svg.decode(encoding)

    def render(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        view: bool = False,
        cleanup: bool = False,
        format: str | None = None,  # noqa: A002  # graphviz's name
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: bool | int | None = None,
        quiet: bool = False,
        quiet_view: bool = False,
        *,
        outfile: str | os.PathLike[str] | None = None,
        engine: str | None = None,
        raise_if_result_exists: bool = False,
        overwrite_source: bool = False,
    ) -> str:
        """graphviz's ``render``: save the DOT source, render it, return the rendered file's path.

        Without ``dot`` the SVG goes to ``outfile``, else beside the source as
        ``<source path>.svg``, as ``dot -O`` names it.
        """
        if has_dot():
            rendered: str = super().render(
                filename, directory=directory, view=view, cleanup=cleanup, format=format,
                renderer=renderer, formatter=formatter, neato_no_op=neato_no_op, quiet=quiet,
                quiet_view=quiet_view, outfile=outfile, engine=engine,
                raise_if_result_exists=raise_if_result_exists, overwrite_source=overwrite_source,
            )
            return rendered
        output_format = format
        if outfile is not None:
            output_format = format or Path(outfile).suffix.removeprefix(".")
            filename = filename if filename is not None else Path(outfile).with_suffix(".gv")
        svg = self._svg_without_dot(output_format, engine, renderer, formatter)
        source: str = self.save(filename, directory=directory)
        if outfile is None:
            rendered = f"{source}.svg"
        else:  # relative to the drawing's directory unless one is given, as graphviz does
            rendered = os.fspath(Path(self.directory if directory is None else "", outfile))
        if raise_if_result_exists and os.path.exists(rendered):
            raise graphviz.FileExistsError(f"output file exists: {rendered!r}")
        if not overwrite_source and os.path.abspath(rendered) == os.path.abspath(source):
            raise ValueError(f"outfile {rendered!r} is the DOT source file; pass overwrite_source=True")
        write_atomic(rendered, svg)
        if cleanup:
            os.remove(source)
        if view or quiet_view:
            graphviz.view(rendered, quiet=quiet_view)
        return rendered

    def _svg_without_dot(
        self, output_format: str | None, engine: str | None, renderer: str | None, formatter: str | None
    ) -> bytes:
        """The SVG from the WebAssembly Graphviz, or GraphvizNotFound for what only ``dot`` makes."""
        asked = {
            "format": (output_format or self.format).lower(),
            "engine": (engine or self.engine).lower(),
            "renderer": renderer,
            "formatter": formatter,
        }
        plain = {"format": "svg", "engine": "dot", "renderer": None, "formatter": None}
        needs_dot = [f"{key}={value!r}" for key, value in asked.items() if value != plain[key]]
        if needs_dot:
            raise GraphvizNotFound(
                f"{', '.join(needs_dot)} needs the Graphviz `dot` executable, which is not on PATH: "
                f"without it only SVG (format='svg', engine='dot') is available. Install {SYSTEM_GRAPHVIZ}"
            )
        return render_svg(self.source).encode("utf-8")


@dataclass(frozen=True)
class Plan:
    """Which nodes a picture shows, what they are called, where they stand in the order, and
    which of their uses are drawn from a copy."""

    root: Value
    names: dict[Value, str]
    positions: dict[Value, int]  # topological position of every node: its stable id
    drawn: list[Value]  # the nodes in the picture, in topological order
    max_nodes: int | None
    max_edges: int | None
    # The uses (user, parent index) whose parent is drawn as a copy beside the user.
    copied: frozenset[tuple[Value, int]] = frozenset()

    @property
    def is_cut(self) -> bool:
        """True when some nodes are left out of the picture."""
        return len(self.drawn) < len(self.positions)


def node_id(position: int) -> str:
    """The id of the node at ``position`` in the topological order (the root is ``n0``)."""
    return f"n{position}"


def op_id(position: int) -> str:
    """The id of the op node between a result and its parents."""
    return f"n{position}op"


def out_id(position: int) -> str:
    """The id of the edge from a node's op node to the node."""
    return f"n{position}out"


def edge_id(position: int, parent_index: int) -> str:
    """The id of the edge from a node's ``parent_index``-th parent into its op node."""
    return f"n{position}e{parent_index}"


def copy_id(position: int, parent_index: int) -> str:
    """The id of the copy of a node's ``parent_index``-th parent drawn beside it (see Plan.copied)."""
    return f"n{position}in{parent_index}"


def copy_class(position: int) -> str:
    """The class of every copy of the node at ``position``: how the replay finds them all."""
    return f"copy-of-{node_id(position)}"


def plan_drawing(
    root: Value,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    keep: Sequence[Value] = (),
    max_edges: int | None = DEFAULT_MAX_EDGES,
) -> Plan:
    """Choose what to draw: everything, or as many nodes nearest ``root`` as the limits allow.

    A cut keeps the nodes fewest edges from the root (the part of the graph near the output
    that a reader looks at first), plus each node in ``keep`` with a shortest path to it,
    stopping before ``max_nodes`` Values or ``max_edges`` edges between them are exceeded.
    """
    for name, limit in (("max_nodes", max_nodes), ("max_edges", max_edges)):
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError(f"{name} must be an int or None, got {type(limit).__name__}: {limit!r}")
        if limit is not None and limit < 1:
            raise ValueError(f"{name} must be at least 1, got {limit}")
    order = topological_order(root)
    positions = {node: position for position, node in enumerate(order)}
    for node in keep:
        if node not in positions:
            raise ValueError(f"highlight: {node!r} is not part of the graph of {root!r}")
    edges = sum(len(node.parents) for node in order)
    if (max_nodes is None or len(order) <= max_nodes) and (max_edges is None or edges <= max_edges):
        copied = _copied_uses(order, positions)
        return Plan(root, node_names(root, order), positions, order, max_nodes, max_edges, copied)
    nearest, reached_from = _breadth_first(root)
    cut = _Cut()
    for node in keep:
        path_node: Value | None = node
        while path_node is not None and path_node not in cut.chosen:
            cut.choose(path_node)
            path_node = reached_from[path_node]
    for node in nearest:
        if node in cut.chosen:
            continue
        if max_nodes is not None and len(cut.chosen) >= max_nodes:
            break
        if max_edges is not None and cut.edges + cut.new_edges(node) > max_edges:
            break
        cut.choose(node)
    drawn = sorted(cut.chosen, key=positions.__getitem__)
    copied = _copied_uses(drawn, positions)
    return Plan(root, node_names(root, order), positions, drawn, max_nodes, max_edges, copied)


def _copied_uses(drawn: list[Value], positions: dict[Value, int]) -> frozenset[tuple[Value, int]]:
    """The uses (user, parent index) to draw from a copy of the parent beside the user.

    Every use of a leaf with many users or far-apart ones; then, while the rest would make
    more than _HIDDEN_POINTS_BUDGET hidden points, the longest remaining edges. Hidden points
    are counted on the ranks dot gives these graphs, which narrow to one root: each Value just
    before the op of its user farthest from the root (a part used once sits beside its user),
    so an edge to any other user skips ranks, one hidden point each.
    """
    in_picture = set(drawn)
    depth: dict[Value, int] = {}  # ranks from the root; a node's op is one rank nearer
    uses: dict[Value, list[tuple[Value, int]]] = {}
    for node in drawn:  # users first
        depth[node] = max((depth[user] for user, _ in uses.get(node, [])), default=-2) + 2
        for index, parent in enumerate(node.parents):
            if parent in in_picture:
                uses.setdefault(parent, []).append((node, index))
    copied: set[tuple[Value, int]] = set()
    long_edges: list[tuple[int, tuple[Value, int]]] = []  # (hidden points, use)
    for parent, its_uses in uses.items():
        hidden = [depth[parent] - depth[user] - 2 for user, _ in its_uses]
        many = len({user for user, _ in its_uses}) > _MOST_USERS_DRAWN_ONCE
        if parent.is_leaf and (many or sum(hidden) > _MOST_HIDDEN_POINTS_FOR_A_LEAF):
            copied.update(its_uses)
        else:
            long_edges += [(points, use) for points, use in zip(hidden, its_uses) if points > 0]
    total = sum(points for points, _ in long_edges)
    long_edges.sort(key=lambda edge: (-edge[0], positions[edge[1][0]], edge[1][1]))
    for points, use in long_edges:
        if total <= _HIDDEN_POINTS_BUDGET:
            break
        copied.add(use)
        total -= points
    return frozenset(copied)


class _Cut:
    """The nodes chosen so far and how many edges join them."""

    def __init__(self) -> None:
        self.chosen: set[Value] = set()
        self.edges = 0
        self._into: Counter[Value] = Counter()  # edges from chosen users into each unchosen node

    def new_edges(self, node: Value) -> int:
        """How many edges choosing ``node`` adds: those to its chosen users and parents."""
        return self._into[node] + sum(parent in self.chosen for parent in node.parents)

    def choose(self, node: Value) -> None:
        self.edges += self.new_edges(node)
        self.chosen.add(node)
        for parent in node.parents:
            if parent not in self.chosen:
                self._into[parent] += 1


def _breadth_first(root: Value) -> tuple[list[Value], dict[Value, Value | None]]:
    """Every node nearest-first from ``root``, and the user each was first reached from."""
    reached_from: dict[Value, Value | None] = {root: None}
    queue = deque([root])
    nearest = []
    while queue:
        node = queue.popleft()
        nearest.append(node)
        for parent in node.parents:
            if parent not in reached_from:
                reached_from[parent] = node
                queue.append(parent)
    return nearest, reached_from


def build(
    plan: Plan,
    grad_labels: Mapping[Value, str],
    edge_labels: Mapping[tuple[Value, int], str],
    *,
    rankdir: str = "LR",
    active: Value | None = None,
    marked: Iterable[Value] = (),
) -> Drawing:
    """The Graphviz graph for ``plan``, with the given grad field and edge label texts.

    ``edge_labels`` maps (node, parent index) to the text on the edge from that parent into
    the node's op (an edge not in it has no label). ``active`` is the node whose backward step
    is shown; ``marked`` nodes are drawn in red. Every text is escaped for DOT here.
    """
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    graph = Drawing(name="autograd")
    graph.attr(rankdir=rankdir, nodesep="0.2", ranksep="0.3", fontname=_FONT, bgcolor="white")
    graph.attr("node", fontname=_FONT, fontsize="11", color=_INK, fontcolor=_INK, penwidth="1")
    graph.attr("edge", fontname=_FONT, fontsize="10", color=_EDGE, arrowsize="0.6")
    legend = _legend(plan)
    if legend is not None:
        graph.attr(label=legend[0], labelloc="t", fontcolor=legend[1])
    records = _Records(plan, grad_labels, rankdir, active, set(marked))
    drawn = set(plan.drawn)
    used_uncopied = {
        parent for node in plan.drawn for index, parent in enumerate(node.parents)
        if parent in drawn and (node, index) not in plan.copied
    }
    label_key = "xlabel" if len(drawn) > _FLOATING_LABELS_ABOVE else "label"
    for node in plan.drawn:
        if node.parents or node is plan.root or node in used_uncopied:  # else it is drawn only as copies
            records.draw(graph, node)
        if node.parents:
            _draw_op(graph, plan, node, drawn, edge_labels, records, node is active, label_key)
    return graph


def _legend(plan: Plan) -> tuple[str, str] | None:
    """The picture's title, one line each for what a cut leaves out and what the copies are,
    and its colour: red when some values are not drawn."""
    lines = []
    if plan.is_cut:
        lines.append(
            f"showing {len(plan.drawn):,} of {len(plan.positions):,} values, those nearest "
            f"{plan.names[plan.root]} (max_nodes={plan.max_nodes}, max_edges={plan.max_edges})"
        )
    if plan.copied:
        copies = Counter(node.parents[index] for node, index in plan.copied)
        most = sorted(copies, key=lambda node: (-copies[node], plan.positions[node]))
        named = ", ".join(f"{plan.names[node]} {copies[node]:,} times" for node in most[:_COPIES_NAMED])
        more = f" and {len(most) - _COPIES_NAMED:,} more" if len(most) > _COPIES_NAMED else ""
        lines.append(f"dotted: a value drawn again beside its users ({named}{more})")
    if not lines:
        return None
    # The WebAssembly Graphviz has no HTML-like labels, so one colour and \n between lines.
    return graphviz.nohtml("\\n".join(dot_string(line) for line in lines)), _MARK if plan.is_cut else _EDGE


class _Records:
    """Draws the record of a Value, or a copy of it, styled for the picture's highlights."""

    def __init__(
        self,
        plan: Plan,
        grad_labels: Mapping[Value, str],
        rankdir: str,
        active: Value | None,
        marked: set[Value],
    ) -> None:
        self.plan, self.grad_labels, self.active, self.marked = plan, grad_labels, active, marked
        self.receiving = set(active.parents) if active is not None else set()
        # Records lay their fields across in LR and RL; braces turn them across in TB and BT.
        self.across = "{%s}" if rankdir in ("LR", "RL") else "%s"

    def draw(self, graph: Drawing, node: Value, copy_for: tuple[int, int] | None = None) -> str:
        """Draw ``node``'s record, or with ``copy_for`` (user position, parent index) its copy
        beside that user; return the drawn record's id."""
        position = self.plan.positions[node]
        constant = isinstance(node, Constant)
        fields = [self.plan.names[node]]  # an unlabelled constant's name is its number
        if not constant or node.label:
            fields.append(f"data {short_number(node.data)}")
        if not constant:  # a constant takes no gradient
            fields.append(self.grad_labels[node])
        label = self.across % " | ".join(dot_string(text, record_field=True) for text in fields)
        tooltip = _tooltip(node, self.plan.names)
        style = "rounded,filled,dashed" if constant else "rounded,filled"
        element, extra = node_id(position), {}
        if copy_for is not None:  # dotted and a little smaller: a repeat, not another value
            element, style = copy_id(*copy_for), "rounded,filled,dotted"
            tooltip += " (drawn again here, beside this user)"
            extra.update({"class": copy_class(position), "fontsize": "10"})
        graph.node(
            element,
            graphviz.nohtml(label),
            id=element,
            shape="record",
            style=style,
            tooltip=dot_string(tooltip),
            **self._colours(node),
            **extra,
        )
        return element

    def _colours(self, node: Value) -> dict[str, str]:
        colours = {"fillcolor": "white"}
        if isinstance(node, Constant):
            colours.update(fillcolor=_CONSTANT_FILL, color=_CONSTANT_INK, fontcolor=_CONSTANT_INK)
        elif node.is_leaf:
            colours["fillcolor"] = _LEAF_FILL
        if node is self.plan.root:
            colours.update(fillcolor=_ROOT_FILL, color=_ROOT, penwidth="2")
        if node in self.receiving:
            colours.update(color=_ACTIVE, penwidth="2")
        if node is self.active:
            colours.update(fillcolor=_ACTIVE_FILL, color=_ACTIVE, penwidth="2.5")
        if node in self.marked:
            colours.update(fillcolor=_MARK_FILL, color=_MARK, penwidth="2.5")
        return colours


def _draw_op(
    graph: Drawing,
    plan: Plan,
    node: Value,
    drawn: set[Value],
    edge_labels: Mapping[tuple[Value, int], str],
    records: _Records,
    active: bool,
    label_key: str,
) -> None:
    """The op node of ``node``, the edge out to it and the edges in from its drawn parents
    (from a copy of the parent, for a copied use)."""
    position = plan.positions[node]
    highlight = {"color": _ACTIVE, "fontcolor": _ACTIVE, "penwidth": "2"} if active else {}
    graph.node(
        op_id(position),
        dot_string(_op_label(node)),
        id=op_id(position),
        shape="ellipse",
        style="filled",
        fillcolor=_ACTIVE_FILL if active else _OP_FILL,
        fontsize="10",
        height="0.3",
        margin="0.03,0.01",
        **({"color": _ACTIVE, "penwidth": "2"} if active else {}),
    )
    graph.edge(op_id(position), node_id(position), id=out_id(position), **highlight)
    hidden = 0
    for index, parent in enumerate(node.parents):
        if parent not in drawn:
            hidden += 1
            continue
        source = node_id(plan.positions[parent])
        if (node, index) in plan.copied:
            source = records.draw(graph, parent, copy_for=(position, index))
        attributes = {"fontcolor": _LOCAL, **highlight}
        label = edge_labels.get((node, index))
        if label is not None:  # padded: dot packs labels side by side with no gap
            attributes[label_key] = dot_string(f"  {label}  ")
        local = format_number(node.local_grads[index])
        graph.edge(
            source,
            op_id(position),
            id=edge_id(position, index),
            tooltip=dot_string(f"{local_name(plan.names[node], plan.names[parent])} = {local}"),
            **attributes,
        )
    if hidden:
        stub = f"n{position}cut"
        label = dot_string(f"… {hidden} not drawn")
        graph.node(stub, label, id=stub, shape="plaintext", fontcolor=_EDGE, fontsize="9")
        graph.edge(stub, op_id(position), style="dashed", arrowhead="none")


def _tooltip(node: Value, names: dict[Value, str]) -> str:
    if node.parents:
        return definition(node, names)
    if isinstance(node, Constant):
        return f"the constant {names[node]}: a number in the arithmetic, with no gradient"
    return f"{names[node]}: an input"


def _op_label(node: Value) -> str:
    op = node._op
    assert op is not None  # only interior nodes have op nodes
    if op.param is None:
        return op.name
    if op.name == "**":
        return f"**{format_number(op.param)}"
    return f"{op.name}({format_number(op.param)})"


def _highlighted(highlight: object) -> tuple[Step | None, list[Value]]:
    """``highlight`` as (the step to show, the nodes to mark)."""
    if highlight is None:
        return None, []
    if isinstance(highlight, Step):
        return highlight, []
    if isinstance(highlight, Value):
        return None, [highlight]
    if isinstance(highlight, Iterable) and not isinstance(highlight, str):
        values = list(highlight)
        if all(isinstance(value, Value) for value in values):
            return None, values
    raise TypeError(f"highlight must be a Step, a Value or a list of Values, got {type(highlight).__name__}")


def draw(
    root: Value,
    *,
    rankdir: str = "LR",
    show_local: bool = True,
    highlight: Step | Value | Iterable[Value] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    max_edges: int | None = DEFAULT_MAX_EDGES,
    format: str = "svg",  # noqa: A002  # graphviz's name
) -> Drawing:
    """The graph ``root`` was computed by, as a ``graphviz.Digraph`` (shows inline in Jupyter).

    ``rankdir`` sets the flow ("LR": inputs left, result right; "TB": top to bottom).
    ``show_local`` labels each edge with its local derivative. ``highlight`` is a ``Step``
    (its node and the edges it pushes gradient along, labelled local · upstream =
    contribution, whatever ``show_local`` says) or Values to mark in red. Graphs of more
    than ``max_nodes`` Values or ``max_edges`` edges (what the layout time grows with) are
    cut to the nodes nearest ``root`` (and the highlighted ones), and the picture says so;
    None lifts a limit. Over 500 drawn Values, edge labels float beside their edges rather
    than take room in the layout, which keeps it fast. A leaf with more than four users, or
    users far apart, is drawn once per use, a dotted copy beside each user; so is any other
    node at its farthest users once long edges pass a budget (their layout took minutes).
    ``format`` is what ``.render()`` and ``.pipe()`` make by default.

    >>> x, w = Value(0.5, "x"), Value(-1.25, "w")
    >>> y = (x * w).tanh()
    >>> y.label = "y"
    >>> y.backward()
    >>> picture = draw(y)
    >>> isinstance(picture, graphviz.Digraph)
    True
    >>> 'label="{y | data -0.5546 | grad 1}"' in picture.source
    True
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw: root must be a Value, got {type(root).__name__}")
    step, marked = _highlighted(highlight)
    keep = [*marked, *([step.node] if step is not None else [])]
    plan = plan_drawing(root, max_nodes, keep, max_edges)
    edge_labels: dict[tuple[Value, int], str] = {}
    if show_local:
        for node in plan.drawn:
            for index, local in enumerate(node.local_grads):
                edge_labels[(node, index)] = short_number(local)
    if step is not None:
        for index, edge in enumerate(step.edges):  # a constant takes no grad: its edge keeps the local
            edge_labels[(step.node, index)] = (
                short_number(edge.local_grad)
                if isinstance(edge.parent, Constant)
                else product_text(edge.local_grad, step.upstream, edge.contribution)
            )
    grad_labels = {node: f"grad {short_number(node.grad)}" for node in plan.drawn}
    picture = build(
        plan,
        grad_labels,
        edge_labels,
        rankdir=rankdir,
        active=step.node if step is not None else None,
        marked=marked,
    )
    picture.format = format
    return picture


def to_svg(root: Value, path: str | os.PathLike[str] | None = None, **draw_options: Any) -> str:
    """``draw(root, **draw_options)`` rendered to SVG text; also written to ``path`` (a .svg) if given."""
    if path is not None:
        check_suffix(path, (".svg",), "to_svg")
    svg = render_svg(draw(root, **draw_options).source)
    if path is not None:
        write_atomic(path, svg)
    return svg


def to_png(
    root: Value, path: str | os.PathLike[str] | None = None, *, scale: float = 2.0, **draw_options: Any
) -> bytes:
    """``to_svg(root, **draw_options)`` as a PNG image, ``scale`` pixels per SVG pixel; also
    written to ``path`` (a .png) if given. Needs no system Graphviz and no system libraries."""
    if path is not None:
        check_suffix(path, (".png",), "to_png")
    png = render_png(to_svg(root, **draw_options), scale)
    if path is not None:
        write_atomic(path, png)
    return png
