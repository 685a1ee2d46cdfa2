"""Optimizers: ``step()`` moves every parameter against its gradient; ``zero_grad()`` clears them.

Updates change ``.data`` with plain float arithmetic, so they build no graph. A step that
would make a parameter inf or nan (a diverging run) is refused before anything changes.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable

from autograd import Value
from nn.checks import check_nonnegative

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer(ABC):
    """What SGD and Adam share: the parameters, a learning rate ``lr`` and ``zero_grad``."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        name = type(self).__name__
        if isinstance(params, Value) or not isinstance(params, Iterable):
            raise TypeError(f"{name}: params must be an iterable of Values; did you mean model.parameters()? "
                            f"(got {type(params).__name__})")
        given = list(params)
        for i, p in enumerate(given):
            if not isinstance(p, Value):
                raise TypeError(f"{name}: parameter {i} must be a Value, got {type(p).__name__}: {p!r}")
        if not given:
            raise ValueError(f"{name}: got an empty list of parameters")
        self.params = list(dict.fromkeys(given))  # a parameter listed twice is still updated once
        self.lr = check_nonnegative(name, "lr", lr)

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0, before the next ``backward``."""
        for p in self.params:
            p.grad = 0.0

    def _count(self) -> str:
        """How many parameters, for the repr: "12 params"."""
        return f"{len(self.params)} param{'' if len(self.params) == 1 else 's'}"

    @abstractmethod
    def step(self) -> None:
        """Update every parameter from its ``.grad``."""

    def _apply(self, new_data: list[float]) -> None:
        """Set each parameter's data, or, if any would be inf or nan, change none and say which."""
        for p, new in zip(self.params, new_data):
            if not math.isfinite(new):
                which = p.label or f"#{self.params.index(p)}"
                raise ValueError(
                    f"{type(self).__name__}.step: parameter {which} would become {new!r} "
                    f"(data {p.data!r}, grad {p.grad!r}); is lr too large?"
                )
        for p, new in zip(self.params, new_data):
            p.data = new


class SGD(Optimizer):
    """Gradient descent, ``p -= lr * grad``; with momentum, PyTorch's heavy ball.

    With ``momentum`` m each parameter keeps a velocity ``v = m*v + grad`` (``v = grad`` at
    the first step) and moves ``p -= lr * v``.

    >>> w = Value(1.0)
    >>> w.grad = 0.5
    >>> SGD([w], lr=0.1).step()
    >>> w.data
    0.95
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = check_nonnegative("SGD", "momentum", momentum)
        self._velocity: list[float] | None = None

    def step(self) -> None:
        """``p -= lr * grad``, or ``p -= lr * v`` with the velocity ``v`` when momentum is on."""
        if not self.momentum:
            self._apply([p.data - self.lr * p.grad for p in self.params])
            return
        velocity = [p.grad for p in self.params]
        if self._velocity is not None:
            velocity = [self.momentum * v + g for v, g in zip(self._velocity, velocity)]
        self._apply([p.data - self.lr * v for p, v in zip(self.params, velocity)])
        self._velocity = velocity

    def __repr__(self) -> str:
        return f"SGD({self._count()}, lr={self.lr!r}, momentum={self.momentum!r})"


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): steps scaled by running averages of the gradient and its square.

    At step t, with g a parameter's grad: ``m = b1*m + (1 - b1)*g``, ``v = b2*v + (1 - b2)*g²``,
    ``m̂ = m / (1 - b1^t)``, ``v̂ = v / (1 - b2^t)`` and ``p -= lr * m̂ / (sqrt(v̂) + eps)``.
    The first step moves each parameter by about ``lr`` whatever its gradient's size.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise TypeError(f"Adam: betas must be a pair of numbers, got {betas!r}")
        for i, beta in enumerate(betas):
            if not 0.0 <= check_nonnegative("Adam", f"betas[{i}]", beta) < 1.0:
                raise ValueError(f"Adam: betas[{i}] must be in [0, 1), got {beta!r}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = check_nonnegative("Adam", "eps", eps)
        if not self.eps:
            raise ValueError("Adam: eps must be > 0 (it keeps m / sqrt(v) finite where a gradient is 0)")
        self.t = 0
        self._m = [0.0] * len(self.params)
        self._v = [0.0] * len(self.params)

    def step(self) -> None:
        """One Adam update of every parameter (the rule above, with t counting the steps)."""
        b1, b2 = self.betas
        t = self.t + 1
        m = [b1 * m_i + (1 - b1) * p.grad for m_i, p in zip(self._m, self.params)]
        v = [b2 * v_i + (1 - b2) * p.grad * p.grad for v_i, p in zip(self._v, self.params)]
        correction1, correction2 = 1 - b1**t, 1 - b2**t
        self._apply([
            p.data - self.lr * (m_i / correction1) / (math.sqrt(v_i / correction2) + self.eps)
            for p, m_i, v_i in zip(self.params, m, v)
        ])
        self._m, self._v, self.t = m, v, t

    def __repr__(self) -> str:
        return f"Adam({self._count()}, lr={self.lr!r}, betas={self.betas!r}, eps={self.eps!r})"
