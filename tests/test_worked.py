"""The worked example and the lessons: their arithmetic, and pages that cannot drift from it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from backprop.gradcheck import numerical_deltas, summed_cost
from backprop.lessons import (
    steps_to_learn,
    training_record,
    unit_variance,
    weight_gradient_norms,
)
from backprop.network import Network
from backprop.worked import (
    backward_table,
    example,
    forward_table,
    hidden_delta_sum,
    output_delta_sum,
    r4,
    step_table,
    weight_gradient_sum,
    work,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(1, 6), min_size=2, max_size=5),
    st.integers(0, 10_000),
)
def test_work_is_backprop_and_one_sgd_step_for_any_network(
    sizes: list[int], seed: int
) -> None:
    """The one-equation-per-line step equals Network.backprop and update_mini_batch."""
    net = Network(sizes, seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, 1, (sizes[0], 1)), rng.uniform(0, 1, (sizes[-1], 1))
    ex = work(net, x, y, eta=0.1)
    nabla_b, nabla_w = net.backprop(x, y)
    ours_all = [*ex.nabla_b, *ex.nabla_w]
    for ours, theirs in zip(ours_all, [*nabla_b, *nabla_w], strict=True):
        assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    for ours, measured in zip(ex.deltas, numerical_deltas(net, x, y), strict=True):
        assert_allclose(ours, measured, rtol=1e-7, atol=1e-12)
    assert ex.cost == pytest.approx(summed_cost(net, x, y), rel=1e-14)
    net.update_mini_batch([(x, y)], eta=0.1)
    after = [*ex.weights_after, *ex.biases_after]
    for ours, theirs in zip(after, net.weights + net.biases, strict=True):
        assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    assert ex.cost_after == pytest.approx(summed_cost(net, x, y), rel=1e-12)


def test_the_page_example_learns_in_one_step() -> None:
    ex = work(*example())
    assert ex.cost_after < ex.cost
    net, x, y = example()
    outputs_before, outputs_after = ex.activations[-1], None
    net.update_mini_batch([(x, y)], eta=ex.eta)
    outputs_after = net.feedforward(x)
    # Both outputs move towards their targets.
    assert np.all(np.abs(outputs_after - y) < np.abs(outputs_before - y))


def test_written_out_sums_end_in_the_computed_numbers() -> None:
    """Each written-out line ends in the value the step computed, not a typed one."""
    net, x, y = example()
    net.weights[1][0, 1] = -0.25  # another network: every written number follows
    ex = work(net, x, y)
    assert output_delta_sum(ex, 1).endswith(r4(ex.deltas[1][0, 0]))
    assert hidden_delta_sum(ex, 1, 2).endswith(r4(ex.deltas[0][1, 0]))
    assert weight_gradient_sum(ex, 2, 1, 2).endswith(r4(ex.nabla_w[1][0, 1]))
    assert "(-0.25)×" in forward_table(ex)
    rows = backward_table(ex).splitlines()[1:]
    assert [row.split()[3] for row in rows] == [
        r4(ex.deltas[l - 1][j, 0]) for l in (2, 1) for j in (0, 1)
    ]
    assert step_table(ex).splitlines()[8].split()[:2] == ["w^2_12", "-0.25"]


def test_rounding_hides_no_sign_and_keeps_short_parameters_short() -> None:
    assert [r4(v) for v in (0.4, -0.6, 1.0, 0.0)] == ["0.4", "-0.6", "1.0", "0.0"]
    assert [r4(v) for v in (0.123449, -0.00001, 0.24997)] == [
        "0.1234",
        "0.0000",
        "0.2500",
    ]


def test_steps_to_learn_needs_a_binary_target() -> None:
    net, x, _ = example()
    with pytest.raises(ValueError, match="must be 0 or 1"):
        steps_to_learn(net, x, np.array([[0.5], [0.0]]), j=1, eta=0.5)


def test_steps_to_learn_gives_up_after_its_limit() -> None:
    net, x, y = example()
    net.biases[1][1, 0] = 20.0  # saturated: σ'(z) ≈ 2e-9
    with pytest.raises(RuntimeError, match="still wrong after 5 steps"):
        steps_to_learn(net, x, y, j=2, eta=0.5, limit=5)


def test_unit_variance_keeps_everything_but_the_scale() -> None:
    a, b = Network([9, 4, 3], seed=5), unit_variance(Network([9, 4, 3], seed=5))
    assert_allclose(b.weights[0], 3.0 * a.weights[0])
    assert_allclose(b.weights[1], 2.0 * a.weights[1])
    for p, q in zip(a.biases, b.biases, strict=True):
        assert np.array_equal(p, q)


def test_weight_gradient_norms_of_the_mean_cost() -> None:
    net, x, y = example()
    _, nabla_w = net.backprop(x, y)
    assert weight_gradient_norms(net, x, y) == pytest.approx(
        [float(np.linalg.norm(g)) for g in nabla_w]
    )


def test_training_record_starts_untrained_and_keeps_training() -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (4, 40))
    labels = rng.integers(0, 3, 40)
    Y = np.eye(3)[:, labels]
    net = Network([4, 5, 3], seed=1)
    first = net.evaluate((X, labels))
    record = training_record(net, (X, Y), (X, labels), 3, 10, 3.0)
    assert [r.epoch for r in record] == [0, 1, 2, 3]
    assert record[0].correct == first
    assert record[-1].norms == pytest.approx(weight_gradient_norms(net, X, Y))


# Numbers a page may state although no example prints them: the shape of a
# network or of a run, a target, a rounding, a count of panels; never a
# measurement. Each phrase must be on the page, and only that phrase is exempt.
STRUCTURAL = {
    "by-hand.md": {
        "two inputs, two hidden neurons and two outputs": "the network, SIZES",
        "two sigmoid neurons": "layer 1 of the same network",
        "2-2-2 network": "the same network, in the figures' alt text",
        "four equations": "the chapter's eqs. (33) to (36)",
        "three rules": "eqs. (33), (34) and (36), each just shown",
        "four decimals": "how r4 rounds, not a result",
        "target (1, 0)": "the target y, an input",
        "should be 0": "the target y_2, an input",
        "checked twice": "the two checks the next sentences name",
    },
    "lessons.md": {
        "four equations": "the chapter's eqs. (33) to (36)",
        "Three factors": "the three the sentence lists",
        "near 0 or near 1": "the range of the sigmoid",
        "whose target is 0": "the target y_2 of the worked example, an input",
        "below one half": "where steps_to_learn calls an output right",
        "Four marked": "the figure's MARKED biases",
        "8 × 8": "the image size, √64",
        "Two 8 by 8": "the figure's two panels of the 8 × 8 images",
        "three hidden layers": "the network DEEP of backprop.lessons",
        "Three plots": "the figure's three panels",
        "five seeds": "range(5) in the example's code",
        "three epochs": "the example's SGD(..., 3, ...) argument",
    },
}

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty",
]  # fmt: skip
_TENS = ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# Number words, as the digits an example would print. "one" is not among them:
# the pages use it as a pronoun ("the one into the other"); digits are checked
# whatever their meaning.
WORDS = {
    **{w: str(n) for n, w in enumerate(_UNITS) if w != "one"},
    **{w: str(10 * n) for n, w in enumerate(_TENS, start=3)},
    "hundred": "100",
    "thousand": "1,000",
    "million": "1,000,000",
    "twice": "2",
    "half": "0.5",
    "tenth": "0.1",
    "hundredth": "0.01",
    "thousandth": "0.001",
}
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
WORD = r"\b(" + "|".join(WORDS) + r")s?\b"
NOTATION = r"[A-Za-z]+(?:[\^_](?:\{[^}]*\}|\([^)]*\)|\w+))+"  # z^2_2, W^1, y_2
REFERENCE = (
    r"\b(?:[Ee]qs?\.|[Ll]ayers?|[Nn]eurons?) \(?\d+\)?(?:(?:,| and| to) \(?\d+\)?)*"
)


def _outputs(page: str) -> str:
    """The expected outputs of the page's >>> examples: the lines after the prompts."""
    found = []
    for block in re.findall(r"```pycon\n(.*?)```", page, flags=re.S):
        for line in block.splitlines():
            text = line.strip()
            if text and not text.startswith((">>>", "...")):
                found.append(text)
    return "\n".join(found)


def _stated(page: str, structural: dict[str, str]) -> list[str]:
    """Every number the prose and alt text state, outside code and math, as digits.

    Equation, layer and neuron numbers, symbols such as z^2_2, link targets and
    the `structural` phrases are left out; number words count, as their digits.
    """
    prose = re.sub(r"```.*?```", "", page, flags=re.S)
    prose = re.sub(r"\$\$.*?\$\$", "", prose, flags=re.S)
    prose = re.sub(r"\$[^$]*\$", "", prose)
    prose = re.sub(r"\]\([^)]*\)|\]\[[^\]]*\]", "]", prose)
    prose = re.sub(r"\s+", " ", prose)
    for phrase in sorted(structural, key=len, reverse=True):
        assert phrase in prose, f"allowed phrase {phrase!r} is not on the page"
        prose = prose.replace(phrase, "")
    prose = re.sub(REFERENCE, "", prose)
    prose = re.sub(NOTATION, "", prose)
    words = [WORDS[w.lower()] for w in re.findall(WORD, prose, flags=re.I)]
    return re.findall(NUMBER, prose) + words


def test_the_number_check_reads_digits_words_and_alt_text() -> None:
    page = (
        "By eq. (34), layer 2 of the 2-2-2 network, $\\eta = 0.5$, z^2_2 = 0.68:\n"
        "![it falls by a factor of twenty, to 0.15](figures/x/y.svg)\n"
        "```pycon\n>>> 3\n0.68\n```\n"
    )
    assert _stated(page, {"2-2-2 network": "shape"}) == ["0.68", "0.15", "20"]
    assert _outputs(page) == "0.68"
    with pytest.raises(AssertionError, match="not on the page"):
        _stated(page, {"3-3-3 network": "shape"})


@pytest.mark.parametrize("name", ["by-hand.md", "lessons.md"])
def test_numbers_in_the_prose_are_the_examples_outputs(name: str) -> None:
    """Every number the prose or alt text of these pages states, but for the few
    STRUCTURAL phrases, must be one the examples print (and so one the tests check)."""
    page = (DOCS / name).read_text(encoding="utf-8")
    printed = set(re.findall(NUMBER, _outputs(page)))
    stated = _stated(page, STRUCTURAL[name])
    assert stated, "the check found no numbers to compare"
    missing = sorted({n for n in stated if n not in printed})
    assert not missing, f"{name} states {missing}, which no example prints"
