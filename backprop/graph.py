"""Computational graphs of scalars, differentiated in forward and reverse mode.

Every arithmetic operation on a :class:`Var` builds a new node that holds its value
and, beside it, the local derivative of that value with respect to each operand:
the forward rule and the derivative rule are written on the same line. The two
modes of differentiation are then short loops over the nodes:

* forward mode (:meth:`Var.tangents`, eq. (4)) pushes the derivative with respect to
  one chosen input from the inputs towards the output, one pass per input;
* reverse mode (:meth:`Var.backward`, eq. (5)) pulls the derivative of one output
  back from the output towards the inputs, and finds every input's derivative in a
  single pass.

>>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
>>> e = (a + b) * (b + 1)
>>> e.value, e.gradient(), e.derivative(b)
(6.0, {'a': 2.0, 'b': 5.0}, 5.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, cast, overload

from backprop import _checks

__all__ = [
    "Tally",
    "Var",
    "exp",
    "log",
    "mode_costs",
    "paths",
    "sigmoid",
    "sum_over_paths",
    "tanh",
]


@dataclass
class Tally:
    """Work done by derivative passes over a graph.

    A pass visits every node once; along each edge it does one multiply-add
    (a local derivative times a tangent or an adjoint, added to a running sum).

    >>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
    >>> e = (a + b) * (b + 1)
    >>> tally = Tally()
    >>> _ = e.backward(tally=tally)
    >>> tally
    Tally(passes=1, multiply_adds=5)
    """

    passes: int = 0
    multiply_adds: int = 0

    def count_pass(self, edges: int) -> None:
        """Record one pass over a graph with `edges` edges."""
        self.passes += 1
        self.multiply_adds += edges


Edge = tuple["Var", float]


class Var:
    """A node of a computational graph: a scalar value and how it was computed.

    Parameters
    ----------
    value
        The node's value, a finite real number.
    name
        A label used by :meth:`gradient`, by ``repr`` and on figures.

    Attributes
    ----------
    edges
        One ``(parent, local_derivative)`` pair per operand, where
        ``local_derivative`` is the partial derivative of this node's value
        with respect to that operand's value. Empty for an input.
    rule
        How the node's value is computed from its parents, as a format string
        (``"{0} + {1}"``); empty for an input.
    """

    __slots__ = ("edges", "name", "rule", "value")

    def __init__(self, value: float, name: str | None = None) -> None:
        self.value = _checks.real_number("value", value)
        self.name = name
        self.edges: tuple[Edge, ...] = ()
        self.rule = ""

    @classmethod
    def _node(cls, value: float, rule: str, *edges: Edge) -> Var:
        if not math.isfinite(value):  # kept here: an overflow of the computation
            formula = rule.format(*(parent.label for parent, _ in edges))
            raise OverflowError(
                f"{formula} = {value}; a graph holds finite values only"
            )
        node = cls(value)
        node.edges = edges
        node.rule = rule
        return node

    def named(self, name: str) -> Var:
        """Give this node a name and return it, for use in an expression.

        >>> a = Var(3.0, name="a")
        >>> (a * a).named("c").label
        'c'
        """
        self.name = name
        return self

    @property
    def label(self) -> str:
        """The node's name, or else the formula that computes it, in parentheses."""
        return _label(self, depth=3)

    @property
    def formula(self) -> str:
        """How this node is computed from its parents, written with their labels.

        Unnamed parents are spelled out three levels deep, then shortened to "…".

        >>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
        >>> ((a + b) * (b + 1)).formula
        '(a + b) · (b + 1)'
        """
        return _formula(self, depth=3)

    def __repr__(self) -> str:
        name = "" if self.name is None else f", name={self.name!r}"
        return f"Var({self.value!r}{name})"

    # -- arithmetic: each forward rule next to its local derivatives ---------------

    # --8<-- [start:add]
    def __add__(self, other: Var | float) -> Var:
        """u + v, whose local derivative with respect to each operand is 1 (eq. 1)."""
        if isinstance(other, Var):
            return Var._node(
                self.value + other.value, "{0} + {1}", (self, 1.0), (other, 1.0)
            )
        c = _checks.real_number("operand of +", other)
        return Var._node(self.value + c, "{0} + " + f"{c:g}", (self, 1.0))

    def __radd__(self, other: float) -> Var:
        c = _checks.real_number("operand of +", other)
        return Var._node(c + self.value, f"{c:g} + " + "{0}", (self, 1.0))

    # --8<-- [end:add]

    def __sub__(self, other: Var | float) -> Var:
        if isinstance(other, Var):
            return Var._node(
                self.value - other.value, "{0} − {1}", (self, 1.0), (other, -1.0)
            )
        c = _checks.real_number("operand of -", other)
        return Var._node(self.value - c, "{0} − " + f"{c:g}", (self, 1.0))

    def __rsub__(self, other: float) -> Var:
        c = _checks.real_number("operand of -", other)
        return Var._node(c - self.value, f"{c:g} − " + "{0}", (self, -1.0))

    def __neg__(self) -> Var:
        return Var._node(-self.value, "−{0}", (self, -1.0))

    # --8<-- [start:mul]
    def __mul__(self, other: Var | float) -> Var:
        """u · v, whose local derivative with respect to each operand is the other (eq. 2)."""
        if isinstance(other, Var):
            u, v = self.value, other.value
            return Var._node(u * v, "{0} · {1}", (self, v), (other, u))
        c = _checks.real_number("operand of *", other)
        return Var._node(self.value * c, "{0} · " + f"{c:g}", (self, c))

    def __rmul__(self, other: float) -> Var:
        c = _checks.real_number("operand of *", other)
        return Var._node(c * self.value, f"{c:g} · " + "{0}", (self, c))

    # --8<-- [end:mul]

    # The raises of /, **, exp and log are kept here: each refuses a point where
    # the operation or its derivative is undefined, a fact of mathematics.
    def __truediv__(self, other: Var | float) -> Var:
        if isinstance(other, Var):
            u, v = self.value, other.value
            if v == 0.0:
                raise ZeroDivisionError(
                    f"{self.label} / {other.label}: the divisor is 0"
                )
            return Var._node(u / v, "{0} / {1}", (self, 1.0 / v), (other, -u / v**2))
        c = _checks.real_number("divisor", other)
        if c == 0.0:
            raise ZeroDivisionError(f"{self.label} / 0")
        return Var._node(self.value / c, "{0} / " + f"{c:g}", (self, 1.0 / c))

    def __rtruediv__(self, other: float) -> Var:
        c, v = _checks.real_number("dividend", other), self.value
        if v == 0.0:
            raise ZeroDivisionError(f"{c:g} / {self.label}: the divisor is 0")
        return Var._node(c / v, f"{c:g} / " + "{0}", (self, -c / v**2))

    def __pow__(self, power: float) -> Var:
        p, u = _checks.real_number("exponent", power), self.value
        if p == 0.0:
            return Var._node(1.0, "{0}^0", (self, 0.0))
        if u < 0.0 and not p.is_integer():
            raise ValueError(
                f"{self.label} ** {p:g}: a non-integer power needs a base >= 0"
            )
        if u == 0.0 and p < 1.0:
            raise ZeroDivisionError(f"{self.label} ** {p:g} has no derivative at 0")
        return Var._node(u**p, "{0}^" + f"{p:g}", (self, p * u ** (p - 1.0)))

    def __rpow__(self, base: float) -> Var:
        c = _checks.real_number("base", base)
        if c <= 0.0:
            raise ValueError(f"{c:g} ** {self.label}: the base must be positive")
        value = c**self.value
        return Var._node(value, f"{c:g}^" + "{0}", (self, value * math.log(c)))

    def exp(self) -> Var:
        """e to the power of this node; its derivative is itself."""
        try:
            value = math.exp(self.value)
        except OverflowError:
            raise OverflowError(
                f"exp({self.label}) overflows at {self.value:g}"
            ) from None
        return Var._node(value, "exp({0})", (self, value))

    def log(self) -> Var:
        """Natural logarithm of this node; its derivative is 1 / value."""
        if self.value <= 0.0:
            raise ValueError(
                f"log({self.label}) needs a positive value, got {self.value:g}"
            )
        return Var._node(math.log(self.value), "log({0})", (self, 1.0 / self.value))

    def sigmoid(self) -> Var:
        """σ(u) = 1 / (1 + e^(-u)); its derivative is σ(u)(1 − σ(u))."""
        s = _sigmoid(self.value)
        return Var._node(s, "σ({0})", (self, s * (1.0 - s)))

    def tanh(self) -> Var:
        """Hyperbolic tangent; its derivative is 1 − tanh(u)²."""
        t = math.tanh(self.value)
        return Var._node(t, "tanh({0})", (self, 1.0 - t * t))

    # -- the graph behind a node -----------------------------------------------------

    # --8<-- [start:nodes]
    def nodes(self) -> list[Var]:
        """Every node this one depends on, itself last, each after all of its parents.

        The walk keeps its own stack instead of recursing, so a chain of any
        length works:

        >>> x = Var(0.5, name="x")
        >>> y = x
        >>> for _ in range(10_000):
        ...     y = y * 1.0
        >>> len(y.nodes())
        10001
        """
        order: list[Var] = []
        seen: set[Var] = set()
        stack: list[tuple[Var, bool]] = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                # reversed, so that the first operand is visited first
                stack.extend((parent, False) for parent, _ in reversed(node.edges))
        return order

    # --8<-- [end:nodes]

    def inputs(self) -> list[Var]:
        """The nodes without parents that this node depends on, in operand order."""
        return [node for node in self.nodes() if not node.edges]

    # -- forward mode ----------------------------------------------------------------

    # --8<-- [start:tangents]
    def tangents(self, wrt: Var, tally: Tally | None = None) -> dict[Var, float]:
        """Forward mode, eq. (4): ∂n/∂wrt for every node n, in one pass from the inputs.

        >>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
        >>> c, d = a + b, b + 1
        >>> e = c * d
        >>> t = e.tangents(b)
        >>> t[a], t[b], t[c], t[d], t[e]
        (0.0, 1.0, 1.0, 1.0, 5.0)
        """
        order = self.nodes()
        tangent: dict[Var, float] = {}
        for node in order:
            if node is wrt:
                tangent[node] = 1.0
            else:
                tangent[node] = sum(
                    (local * tangent[p] for p, local in node.edges), 0.0
                )
        if tally is not None:
            tally.count_pass(_edge_count(order))
        return tangent

    # --8<-- [end:tangents]

    def derivative(self, wrt: Var, tally: Tally | None = None) -> float:
        """∂self/∂wrt by forward mode: one pass for one input (0.0 if self ignores wrt).

        >>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
        >>> e = (a + b) * (b + 1)
        >>> e.derivative(a), e.derivative(b), e.derivative(Var(7.0))
        (2.0, 5.0, 0.0)
        """
        return self.tangents(wrt, tally)[self]

    # -- reverse mode ----------------------------------------------------------------

    # --8<-- [start:backward]
    def backward(self, tally: Tally | None = None) -> dict[Var, float]:
        """Reverse mode, eq. (5): ∂self/∂n for every node n, in one pass from self.

        >>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
        >>> c, d = a + b, b + 1
        >>> e = c * d
        >>> g = e.backward()
        >>> g[e], g[c], g[d], g[a], g[b]
        (1.0, 2.0, 3.0, 2.0, 5.0)
        """
        order = self.nodes()
        adjoint = dict.fromkeys(order, 0.0)
        adjoint[self] = 1.0
        for node in reversed(order):
            for parent, local in node.edges:
                adjoint[parent] += adjoint[node] * local
        if tally is not None:
            tally.count_pass(_edge_count(order))
        return adjoint

    # --8<-- [end:backward]

    def gradient(self, tally: Tally | None = None) -> dict[str, float]:
        """∂self/∂x for every input x, keyed by its name, from one backward pass.

        A node reused by several operations collects a contribution along each path:

        >>> a = Var(3.0, name="a")
        >>> b = a + a
        >>> c = b + b
        >>> c.gradient()
        {'a': 4.0}
        """
        adjoint = self.backward(tally)
        leaves = [node for node in adjoint if not node.edges]
        names = [leaf.name for leaf in leaves]  # kept here: about the graph's inputs
        if None in names:
            raise ValueError(
                "gradient() keys its result by input names, and an input has no name: "
                "give every input Var a name, or use backward(), which keys by node"
            )
        if len(set(names)) != len(names):
            raise ValueError(f"two different inputs share a name among {names}")
        return {str(leaf.name): adjoint[leaf] for leaf in leaves}


def _label(node: Var, depth: int) -> str:
    if node.name is not None:
        return node.name
    if not node.edges:
        return f"{node.value:g}"
    return f"({_formula(node, depth)})" if depth > 0 else "(…)"


def _formula(node: Var, depth: int) -> str:
    return node.rule.format(*(_label(parent, depth - 1) for parent, _ in node.edges))


def _edge_count(order: list[Var]) -> int:
    return sum(len(node.edges) for node in order)


def _sigmoid(u: float) -> float:
    """1 / (1 + e^(-u)) without overflow: e^(-|u|) never exceeds 1."""
    if u >= 0.0:
        return 1.0 / (1.0 + math.exp(-u))
    t = math.exp(u)
    return t / (1.0 + t)


class _Elementary(Protocol):
    @overload
    def __call__(self, x: Var) -> Var: ...
    @overload
    def __call__(self, x: float) -> float: ...


def _elementary(
    method: Callable[[Var], Var], scalar: Callable[[float], float]
) -> _Elementary:
    """A function that builds a node for a Var and computes a float for a number.

    The same Python expression can therefore build a graph or just evaluate it,
    which is how the pages compare reverse mode with finite differences.
    """

    def apply(x: Var | float) -> Var | float:
        if isinstance(x, Var):
            return method(x)
        return scalar(_checks.real_number("argument", x))

    apply.__name__ = method.__name__
    apply.__doc__ = method.__doc__
    return cast(_Elementary, apply)


exp = _elementary(Var.exp, math.exp)
log = _elementary(Var.log, math.log)
sigmoid = _elementary(Var.sigmoid, _sigmoid)
tanh = _elementary(Var.tanh, math.tanh)


# --8<-- [start:paths]
def paths(output: Var, wrt: Var) -> list[list[Edge]]:
    """Every path from `wrt` to `output`, as a list of ``(node, local derivative)``.

    The local derivative in each pair is that of the next node along the path
    with respect to the node named in the pair.

    >>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
    >>> e = ((a + b).named("c") * (b + 1).named("d")).named("e")
    >>> for path in paths(e, b):
    ...     print(" → ".join(n.label for n, _ in path) + " → e", [d for _, d in path])
    b → c → e [1.0, 2.0]
    b → d → e [1.0, 3.0]
    """
    found: list[list[Edge]] = []
    stack: list[tuple[Var, list[Edge]]] = [(output, [])]
    while stack:
        node, after = stack.pop()
        if node is wrt:
            found.append(after)
            continue
        for parent, local in reversed(node.edges):
            stack.append((parent, [(parent, local), *after]))
    return found


def sum_over_paths(output: Var, wrt: Var) -> float:
    """Eq. (3): ∂output/∂wrt as a sum over paths of the product of local derivatives.

    The number of paths can grow exponentially with the depth of a graph; this is
    the definition to check the two modes against, not a way to compute.

    >>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
    >>> sum_over_paths((a + b) * (b + 1), b)
    5.0
    """
    return sum(
        (math.prod(local for _, local in path) for path in paths(output, wrt)), 0.0
    )


# --8<-- [end:paths]


# --8<-- [start:mode-costs]
def mode_costs(output: Var) -> tuple[Tally, Tally]:
    """The work for the whole gradient of `output`: forward mode, then reverse mode.

    Forward mode needs one pass per input, each over every edge; reverse mode
    needs one pass in all. For f(x) = x1·x2 + x2·x3 (3 inputs, 6 edges):

    >>> x1, x2, x3 = Var(1.0, name="x1"), Var(2.0, name="x2"), Var(3.0, name="x3")
    >>> forward, reverse = mode_costs(x1 * x2 + x2 * x3)
    >>> forward
    Tally(passes=3, multiply_adds=18)
    >>> reverse
    Tally(passes=1, multiply_adds=6)
    """
    forward, reverse = Tally(), Tally()
    for leaf in output.inputs():
        output.derivative(leaf, tally=forward)
    output.backward(tally=reverse)
    return forward, reverse


# --8<-- [end:mode-costs]
