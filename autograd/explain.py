"""The chain rule as a sum over paths: ``print(explain(loss, w))``.

d(root)/d(leaf) is the sum, over every path from ``leaf`` up to ``root``, of the product of
the local derivatives along the path. ``explain`` writes those paths out one per line. Paths
can be exponentially many (each shared subterm doubles them), so past ``max_paths`` it lists
the first few, counts them in one sweep over the graph in topological order (a node's path
count is the sum of its users' counts), and takes the sum from ``grad``, which adds it up node
by node.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from autograd.backward import grad, topological_order
from autograd.expression import node_names
from autograd.notation import derivative_name, factors, short_number, signed_sum
from autograd.value import Value

__all__ = ["explain"]

_MANY = 10**18  # path counts saturate here: past it the exact number is noise, and slow to add
_TERMS_SHOWN = 10  # the sum line spells out its terms up to this many paths
_NODES_SHOWN = 3  # a long path shows this many nodes at each end


def explain(root: Value, leaf: Value, max_paths: int = 10) -> str:
    """Every path from ``leaf`` to ``root`` with its product of local derivatives, and their sum.

    The sum is d(root)/d(leaf), the gradient ``root.backward()`` gives ``leaf``. Past
    ``max_paths`` paths, only the first ``max_paths`` are listed.

    >>> from autograd import tanh
    >>> x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    >>> n = x*w + b
    >>> n.label = "n"
    >>> o = tanh(n)
    >>> o.label = "o"
    >>> print(explain(o, x))
    every path from x to o, with the product of its local derivatives:
      x -> v1 -> n -> o: dv1/dx · dn/dv1 · do/dn = -1.25 · 1 · 0.8391 = -1.049
    do/dx = -1.049 (1 path)
    >>> y = x*x + x
    >>> y.label = "y"
    >>> print(explain(y, x))
    every path from x to y, with the product of its local derivatives:
      x -> y: dy/dx = 1
      x -(1)-> v1 -> y: dv1/dx · dy/dv1 = 0.5 · 1 = 0.5
      x -(2)-> v1 -> y: dv1/dx · dy/dv1 = 0.5 · 1 = 0.5
    dy/dx = 1 + 0.5 + 0.5 = 2 (the sum over 3 paths)
    """
    if not isinstance(root, Value) or not isinstance(leaf, Value):
        raise TypeError(
            f"explain: root and leaf must be Values, got {type(root).__name__} and {type(leaf).__name__}"
        )
    if max_paths < 0:
        raise ValueError(f"explain: max_paths must be >= 0, got {max_paths}")
    order = topological_order(root)
    names = node_names(root, order)
    root_name = names[root]
    if leaf is root:
        only = derivative_name(root_name, root_name)
        return f"{root_name} is the root: the only path is the empty one, so {only} = 1"
    if leaf not in names:
        leaf_name = node_names(leaf)[leaf]
        return (
            f"{root_name} does not depend on {leaf_name}: no path leads from {leaf_name} to {root_name}, "
            f"so {derivative_name(root_name, leaf_name)} = 0"
        )
    leaf_name = names[leaf]
    counts, users = _sweep(order)
    lines = [f"every path from {leaf_name} to {root_name}, with the product of its local derivatives:"]
    products = []
    for path, positions in _paths(leaf, root, users, max_paths):
        locals_ = [user.local_grads[i] for user, i in zip(path[1:], positions)]
        product = 1.0
        for local in locals_:
            product *= local
        products.append(product)
        lines.append("  " + _path_line(path, positions, locals_, product, names))
    derivative, count = derivative_name(root_name, leaf_name), counts[leaf]
    gradient = grad(root, [leaf])[0].data  # the sum over paths, added up as backward adds it
    if count <= max_paths:
        spelled = f"{signed_sum([short_number(p) for p in products])} = " if 1 < count <= _TERMS_SHOWN else ""
        noun = "1 path" if count == 1 else f"the sum over {count} paths"
        lines.append(f"{derivative} = {spelled}{short_number(gradient)} ({noun})")
    else:
        rest = count - max_paths if count < _MANY else count
        if max_paths:
            lines.append(f"  … and {_count(rest)} more {_plural(rest)}")
        lines.append(
            f"{derivative} = {short_number(gradient)} (the sum over {_count(count)} {_plural(count)}, "
            "added up node by node as backward does, not path by path)"
        )
    return "\n".join(lines)


_Users = dict[Value, list[tuple[Value, int]]]  # node -> (a node that uses it, at which operand)


def _sweep(order: list[Value]) -> tuple[dict[Value, int], _Users]:
    """For every node: how many paths lead from it to the root, and its users.

    One pass over ``order``, the root's topological order: a node's path count is the sum of
    its users' counts.
    """
    counts: dict[Value, int] = {order[0]: 1}
    users: _Users = {}
    for node in order:
        count = counts[node]
        for position, parent in enumerate(node.parents):
            users.setdefault(parent, []).append((node, position))
            counts[parent] = min(counts.get(parent, 0) + count, _MANY)
    return counts, users


def _paths(leaf: Value, root: Value, users: _Users, limit: int) -> Iterator[tuple[list[Value], list[int]]]:
    """The first ``limit`` paths from ``leaf`` up to ``root``: nodes, and the operand taken at each.

    Depth first over the users of each node, without recursion (paths can be very long).
    Every node of the graph is reachable from the root, so every walk up ends there.
    """
    path: list[Value] = [leaf]
    positions: list[int] = []
    next_user = [0]  # per node on the path: which of its users to try next
    found = 0
    while path and found < limit:
        node = path[-1]
        if node is root:
            yield list(path), list(positions)
            found += 1
        options = users.get(node, [])  # none for the root: nothing in its graph uses it
        if next_user[-1] < len(options):
            user, position = options[next_user[-1]]
            next_user[-1] += 1
            path.append(user)
            positions.append(position)
            next_user.append(0)
        else:
            path.pop()
            next_user.pop()
            if positions:
                positions.pop()


def _path_line(
    path: list[Value], positions: list[int], locals_: list[float], product: float, names: dict[Value, str]
) -> str:
    """``x -> v1 -> o: dv1/dx · do/dv1 = -1.25 · 0.8391 = -1.049``, long paths cut in the middle.

    Where a node uses the same parent twice (``x*x``), the arrow says which operand the path
    goes through, ``x -(2)-> v1``, since the two paths would otherwise read the same.
    """
    hops = [
        f"-({position + 1})-> {names[user]}" if user.parents.count(node) > 1 else f"-> {names[user]}"
        for node, user, position in zip(path, path[1:], positions)
    ]
    derivatives = [derivative_name(names[user], names[node]) for node, user in pairwise(path)]
    numbers = factors(locals_)
    written = f"{' '.join(_elide([names[path[0]], *hops]))}: {' · '.join(_elide(derivatives))} = "
    if len(numbers) == 1:
        return written + numbers[0]
    return written + f"{' · '.join(_elide(numbers))} = {short_number(product)}"


def _elide(items: list[str]) -> list[str]:
    """The first and last few items with "…" between, when there are too many to read."""
    if len(items) <= 2 * _NODES_SHOWN + 1:
        return items
    hidden = f"… ({len(items) - 2 * _NODES_SHOWN} more)"
    return [*items[:_NODES_SHOWN], hidden, *items[-_NODES_SHOWN:]]


def _count(n: int) -> str:
    """A path count with thousands separators; saturated counts say so."""
    return f"{n:,}" if n < _MANY else "more than 10^18"


def _plural(n: int) -> str:
    return "path" if n == 1 else "paths"
