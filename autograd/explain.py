"""The chain rule as a sum over paths: ``print(explain(loss, w))``.

d(root)/d(leaf) is the sum, over every path from ``leaf`` up to ``root``, of the product of
the local derivatives along the path. ``explain`` writes those paths out one per line. Paths
can be exponentially many (each shared subterm doubles them), so past ``max_paths`` it lists
the first few, counts them in one sweep over the graph in topological order (a node's path
count is the sum of its users' counts), and takes the sum from ``grad``, which adds it up node
by node.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from autograd.backward import grad, topological_order
from autograd.expression import node_names
from autograd.notation import factor, local_name, short_number, signed_sum, total_name
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
      x -> v1 -> n -> o: ∂v1/∂x · ∂n/∂v1 · ∂o/∂n = -1.25 · 1 · 0.8391 = -1.049
    do/dx = -1.049 (1 path)
    >>> y = x*x + x
    >>> y.label = "y"
    >>> print(explain(y, x))
    every path from x to y, with the product of its local derivatives:
      x -> y: ∂y/∂x = 1
      x -(1)-> v1 -> y: ∂v1/∂x · ∂y/∂v1 = 0.5 · 1 = 0.5
      x -(2)-> v1 -> y: ∂v1/∂x · ∂y/∂v1 = 0.5 · 1 = 0.5
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
        only = total_name(root_name, root_name)
        return f"{root_name} is the root: the only path is the empty one, so {only} = 1"
    if leaf not in names:
        leaf_name = node_names(leaf)[leaf]
        return (
            f"{root_name} does not depend on {leaf_name}: no path leads from {leaf_name} to {root_name}, "
            f"so {total_name(root_name, leaf_name)} = 0"
        )
    leaf_name = names[leaf]
    uses = _sweep(order)
    count = uses.paths(leaf)
    lines = [f"every path from {leaf_name} to {root_name}, with the product of its local derivatives:"]
    products = []
    # No more than there are: the walk then stops at the last path, not after trying every way up.
    for path, positions in _paths(leaf, root, uses, min(max_paths, count)):
        product = math.prod(user.local_grads[i] for user, i in zip(islice(path, 1, None), positions))
        products.append(product)
        lines.append("  " + _path_line(path, positions, product, names))
    derivative = total_name(root_name, leaf_name)
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


@dataclass
class _Uses:
    """Who uses each node, at which operand, and how many paths lead from each node to the root.

    Most nodes have one user and so one path per path of that user: those get no list and no
    count of their own. A million-node chain then allocates no container per node, and the
    garbage collections a container per node sets off would cost more than the sweep itself.
    """

    first_user: dict[Value, Value]  # every node but the root: the first node that uses it
    other_users: dict[Value, list[tuple[Value, int]]]  # the rest, with the operand each uses
    counts: dict[Value, int]  # path counts other than 1 (every node has at least one path)

    def paths(self, node: Value) -> int:
        """How many paths lead from ``node`` (in the graph) up to the root."""
        return self.counts.get(node, 1)

    def user(self, node: Value, k: int) -> tuple[Value, int] | None:
        """``node``'s k-th use (the user, and which of its operands ``node`` is), or None."""
        if k == 0:
            first = self.first_user.get(node)  # none for the root: nothing in its graph uses it
            return None if first is None else (first, first.parents.index(node))
        others = self.other_users.get(node, [])
        return others[k - 1] if k <= len(others) else None


def _sweep(order: list[Value]) -> _Uses:
    """Every node's users and path count, in one pass over ``order``, the root's topological
    order (a node comes after all its users, and its path count is the sum of theirs)."""
    uses = _Uses({}, {}, {})
    first_user, other_users, counts = uses.first_user, uses.other_users, uses.counts
    for node in order:
        count = counts.get(node, 1)
        for position, parent in enumerate(node.parents):
            if parent in first_user:  # used before (its first use is at the first user's lowest such operand)
                other_users.setdefault(parent, []).append((node, position))
                total = counts.get(parent, 1) + count
                counts[parent] = total if total < _MANY else _MANY
            else:
                first_user[parent] = node
                if count > 1:
                    counts[parent] = count
    return uses


def _paths(leaf: Value, root: Value, uses: _Uses, limit: int) -> Iterator[tuple[list[Value], list[int]]]:
    """The first ``limit`` paths from ``leaf`` up to ``root``: nodes, and the operand taken at each.

    Depth first over the users of each node, without recursion (paths can be very long).
    Every node of the graph is reachable from the root, so every walk up ends there.
    """
    path: list[Value] = [leaf]
    positions: list[int] = []
    tried = [0]  # per node on the path: how many of its users were tried
    found = 0
    while path and found < limit:
        node = path[-1]
        if node is root:
            yield list(path), list(positions)
            found += 1
        use = uses.user(node, tried[-1])
        if use is not None:
            tried[-1] += 1
            path.append(use[0])
            positions.append(use[1])
            tried.append(0)
        else:
            path.pop()
            tried.pop()
            if positions:
                positions.pop()


def _path_line(path: list[Value], positions: list[int], product: float, names: dict[Value, str]) -> str:
    """``x -> v1 -> o: ∂v1/∂x · ∂o/∂v1 = -1.25 · 0.8391 = -1.049``, long paths cut in the middle.

    Where a node uses the same parent twice (``x*x``), the arrow says which operand the path
    goes through, ``x -(2)-> v1``, since the two paths would otherwise read the same. Only the
    hops shown are written: a path can be a million hops long.
    """

    def node(k: int) -> str:  # the path's k-th node, with the arrow that leads to it
        if k == 0:
            return names[path[0]]
        user = path[k]
        arrow = f"-({positions[k - 1] + 1})->" if user.parents.count(path[k - 1]) > 1 else "->"
        return f"{arrow} {names[user]}"

    def derivative(k: int) -> str:  # the k-th hop's local derivative, by name
        return local_name(names[path[k + 1]], names[path[k]])

    def number(k: int) -> str:  # and its value, as a factor of the product
        local = path[k + 1].local_grads[positions[k]]
        return short_number(local) if k == 0 else factor(local)

    hops = len(positions)
    written = f"{' '.join(_ends(hops + 1, node))}: {' · '.join(_ends(hops, derivative))} = "
    if hops == 1:
        return written + number(0)
    return written + f"{' · '.join(_ends(hops, number))} = {short_number(product)}"


def _ends(count: int, item: Callable[[int], str]) -> list[str]:
    """Items ``0 .. count - 1`` as ``item`` writes them; when there are too many to read, only the
    first and last few, with "…" between (and only those are written)."""
    if count <= 2 * _NODES_SHOWN + 1:
        return [item(k) for k in range(count)]
    hidden = f"… ({count - 2 * _NODES_SHOWN} more)"
    return [*map(item, range(_NODES_SHOWN)), hidden, *map(item, range(count - _NODES_SHOWN, count))]


def _count(n: int) -> str:
    """A path count with thousands separators; saturated counts say so."""
    return f"{n:,}" if n < _MANY else "more than 10^18"


def _plural(n: int) -> str:
    return "path" if n == 1 else "paths"
