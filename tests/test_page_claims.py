"""What a page says about a figure or about the package, tied to its source.

A page's examples check the numbers they print; these tests check what no
example can: that the entries an example reads are the ones its figure
highlights, that a faster form the performance page shows computes the same
numbers as the plain one the chapters show, that the numbers and the words the
prose gives about the speed, compiler and gradient-cost records are the
records', and that a page reading a record which waits to be run again says so.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop.activations import sigmoid, sigmoid_into
from backprop.figures.network import NEURON, WEIGHT

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RESULTS = ROOT / "benchmarks" / "results"

Record = dict[str, Any]  # a benchmark record, as its JSON reads
Case = dict[str, Any]  # one case of a record: its sizes, batch and times


def test_network_page_reads_the_weight_and_bias_its_figure_highlights() -> None:
    page = (DOCS / "network.md").read_text(encoding="utf-8")
    l, j, k = WEIGHT
    nl, nj = NEURON
    # The example names the entries by index, then prints them.
    assert f">>> l, j, k = {l}, {j}, {k}\n" in page
    assert f"\nw^{l}_{j}{k} = " in page
    assert f">>> l, j = {nl}, {nj}\n" in page
    assert f"\nb^{nl}_{nj} = " in page
    # The sentence before it and the figure's alt text name the same ones.
    assert f"$w^{l}_{{{j}{k}}}$ and $b^{nl}_{nj}$" in page
    alt = re.search(r"!\[([^\]]*)\]\(figures/network/diagram\.svg\)", page)
    assert alt, "no diagram on the network page"
    assert f"from neuron {k} of layer {l - 1} to neuron {j} of layer {l}" in alt[1]
    if nj == 1:  # the alt text calls neuron 1 of its layer the top one
        assert f"the top {'hidden' if nl == 1 else ''} neuron is highlighted" in alt[1]
    else:
        assert f"neuron {nj} of layer {nl}" in alt[1]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([np.float64, np.float32]).flatmap(
        lambda dtype: arrays(
            dtype,
            st.tuples(st.integers(1, 6), st.integers(1, 6)),
            elements=st.floats(-800, 800, width=32),
        )
    )
)
def test_sigmoid_into_is_the_plain_sigmoid_to_the_last_bit(z: np.ndarray) -> None:
    """The performance page's in-place sigmoid and the chapters' one, equal exactly."""
    expected = sigmoid(z)
    written = sigmoid_into(z, np.empty_like(z))
    assert written.dtype == expected.dtype == z.dtype
    np.testing.assert_array_equal(written, expected)
    same = z.copy()
    assert sigmoid_into(same, same) is same
    np.testing.assert_array_equal(same, expected)


def _speed_record() -> tuple[Record, list[Case], list[Case]]:
    record = json.loads((RESULTS / "speed.json").read_text(encoding="utf-8"))
    quiet, busy = (timed["cases"] for timed in record["conditions"].values())
    return record, quiet, busy


def _prose(page: str) -> str:
    """The page's text with its line breaks and bold marks gone, as one line."""
    text = (DOCS / page).read_text(encoding="utf-8").replace("**", "")
    return " ".join(text.split())


def _ms(case: Case, row: str, which: str = "median") -> float:
    return float(1e3 * case["times"][row][which])


def _shown(case: Case, row: str, which: str = "median") -> str:
    """A time as the page writes it: in ms, to 3 decimals below 10 ms, else to 1."""
    ms = _ms(case, row, which)
    return f"{ms:.3f}" if ms < 10 else f"{ms:.1f}"


def _missing(page: str, claims: list[str]) -> list[str]:
    text = _prose(page)
    return [claim for claim in claims if claim not in text]


def test_the_performance_page_states_the_speed_record() -> None:
    """Every number the performance page writes in prose about the speed record,
    made again from the record: a new record fails this test until the prose
    follows it, and the failure shows the sentence as the record now has it."""
    record, quiet, busy = _speed_record()
    small, b100, large = quiet
    busy_small, busy_b100, busy_large = busy
    t = _shown

    def ratio(case: Case, slower: str, faster: str) -> float:
        return _ms(case, slower) / _ms(case, faster)

    loop = [ratio(case, "loop", "literal-f64") for case in (small, b100)]
    literal = [ratio(case, "literal-f64", "trainer-f64") for case in quiet]
    torch = [
        min(ratio(case, "torch-f64", "trainer-f64") for case in cases)
        for cases in (quiet, busy)
    ]
    peak = record["gemm_gflops"]["float64"] * 1e9
    share = large["flop_per_step"] / large["times"]["trainer-f64"]["median"] / peak
    one_core = 2 * large["flop_per_step"] / peak
    chosen = max(
        _ms(case, "trainer-f64")
        / min(_ms(case, row) for row in case["times"] if row.endswith("t"))
        for case in quiet + busy
    )
    every_count = sorted(
        {
            t(case, row)
            for case in (small, busy_small)
            for row in case["times"]
            if row.startswith("trainer-f64")
        }
    )
    claims = [
        f"The literal step is {loop[0]:.1f} and {loop[1]:.1f} times as fast as the"
        " essay's loop",
        f"The trainer is {min(literal):.1f} to {max(literal):.1f} times as fast as"
        " the literal step",
        f"quiet (by {torch[0]:.2f} times or more) and with one core busy"
        f" (by {torch[1]:.2f} times or more)",
        f"{t(small, 'trainer-f64')} against {t(small, 'numpy-f64')} ms for its NumPy"
        f" step at the smallest, {t(b100, 'trainer-f64')} against"
        f" {t(b100, 'numpy-f64')} ms at batch 100, {t(large, 'trainer-f64')} against"
        f" {t(large, 'numpy-f64')} ms at the largest quiet, and"
        f" {t(busy_large, 'trainer-f64')} against {t(busy_large, 'numpy-f64')} ms"
        " there with one core busy",
        f"{t(small, 'jax-f64')} against {t(small, 'trainer-f64')} ms at the smallest,"
        f" {t(b100, 'jax-f64')} against {t(b100, 'trainer-f64')} ms at batch 100,"
        f" {t(large, 'jax-f64')} against {t(large, 'trainer-f64')} ms at the largest",
        f"({t(busy_small, 'jax-f64')} against {t(busy_small, 'trainer-f64')} ms,"
        f" {t(busy_b100, 'jax-f64')} against {t(busy_b100, 'trainer-f64')} ms)",
        f"{t(busy_large, 'jax-f64')} against {t(busy_large, 'trainer-f64')} ms,"
        " the second miss",
        f"OpenBLAS's two threads lose ({t(busy_large, 'trainer-f64-2t')} ms)",
        f"would take {1e3 * one_core:.0f} ms for the step's arithmetic alone",
        f"the trainer's repeats there ran from {t(large, 'trainer-f64', 'min')} to"
        f" {t(large, 'trainer-f64', 'max')} ms, and JAX's from"
        f" {t(large, 'jax-f64', 'min')} to {t(large, 'jax-f64', 'max')}",
        f"the trainer reaches {share:.2f} of the square product's float64 speed",
        f"never more than {100 * (chosen - 1):.1f} % slower than the best fixed count",
        f"({t(b100, 'trainer-f64-2t')} against {t(b100, 'trainer-f64-1t')} ms at"
        f" batch 100, {t(large, 'trainer-f64-2t')} against"
        f" {t(large, 'trainer-f64-1t')} ms at the largest size), and the trainer"
        f" chooses them ({t(b100, 'trainer-f64')} and {t(large, 'trainer-f64')} ms)",
        f"at batch 100 two fixed threads take {t(busy_b100, 'trainer-f64-2t')} ms and"
        f" one takes {t(busy_b100, 'trainer-f64-1t')}, at the largest size"
        f" {t(busy_large, 'trainer-f64-2t')} against"
        f" {t(busy_large, 'trainer-f64-1t')} ms",
        f"({t(busy_b100, 'trainer-f64')} and {t(busy_large, 'trainer-f64')} ms)",
        f"every count takes {' or '.join(every_count)} ms",
    ]
    missing = _missing("performance.md", claims)
    assert not missing, (
        "performance.md no longer says, as the record does:\n" + "\n".join(missing)
    )


def test_the_performance_pages_words_agree_with_the_speed_record() -> None:
    """What the performance page says in words, without a number, about who is
    faster where, and the implementation page's rounded ratios."""
    _, quiet, busy = _speed_record()
    text = _prose("performance.md")

    def faster(cases: list[Case], row: str, than: str) -> list[bool]:
        """Where `row` is faster than `than`, case by case."""
        return [_ms(case, row) < _ms(case, than) for case in cases]

    assert "The compiled step is the faster of the trainer's two at every size" in text
    assert all(faster(quiet + busy, "trainer-f64", "numpy-f64"))
    assert "JAX is slower quiet at every size" in text
    assert all(faster(quiet, "trainer-f64", "jax-f64"))
    assert "the trainer is faster at the two smaller sizes" in text
    assert "a margin under 1 % there" in text  # JAX against the trainer, largest, quiet
    assert _ms(quiet[-1], "jax-f64") / _ms(quiet[-1], "trainer-f64") < 1.01
    assert faster(busy, "trainer-f64", "jax-f64") == [True, True, False]
    assert "faster than PyTorch in float64 at every size" in text
    assert all(faster(quiet + busy, "trainer-f64", "torch-f64"))
    words = {5: "five", 12: "twelve"}  # what the implementation page rounds to
    gains = [round(_ms(c, "loop") / _ms(c, "literal-f64")) for c in quiet[:2]]
    assert (
        f"here {words.get(gains[0], gains[0])} times at a batch of 10 and"
        f" {words.get(gains[1], gains[1])} times at a batch of 100"
        in _prose("implementation.md")
    )


def test_the_performance_page_states_the_gradient_cost_record() -> None:
    """The numbers and words the performance page gives about
    benchmarks/results/gradient_cost.json in prose and in its figure's
    description, made again from the record."""
    record = json.loads((RESULTS / "gradient_cost.json").read_text(encoding="utf-8"))
    cases = record["cases"]
    k = [case["backprop_in_forward_passes"] for case in cases]
    k_glibc = [case["glibc_default"]["backprop_in_forward_passes"] for case in cases]
    faults = [case["glibc_default"]["backprop_faults"] for case in cases]
    sized = list(zip((case["parameters"] for case in cases), k, strict=True))
    small = [k_p for P_p, k_p in sized if P_p <= 23_860]
    large = [k_p for P_p, k_p in sized if P_p >= 79_510]
    odd = next(i for i, case in enumerate(cases) if case["parameters"] == 79_510)
    widest = cases[-1]
    P, k_w = widest["parameters"], k[-1]
    backprop_ms = 1e3 * widest["backprop_seconds"]["median"]
    hours = widest["finite_differences"]["central"]["seconds"] / 3600
    kept_faults = widest["backprop_seconds"]["faults"]
    claims = [
        f"a backprop call costs {min(small):.2f} to {max(small):.2f} forward passes",
        f"Closer to the count from $P$ = 79,510 on, {min(large):.2f} to"
        f" {max(large):.2f} forward passes",
        f"about {2 * P / k_w / 1e6:.1f} million times faster than central differences,"
        f" and about {(P + 1) / k_w / 1e6:.1f} million times faster than forward"
        f" differences: one gradient in {backprop_ms:.0f} ms against about"
        f" {hours:.0f} hours",
        f"a backprop call costs {k_w:.2f} forward passes here",
        f"filled points between {min(k):.2f} and {max(k):.2f}",
        f"where a call costs {k_glibc[odd]:.2f} forward passes and the ratio falls",
        f"a backprop call costs {k_glibc[odd]:.2f} forward passes instead of"
        f" {k[odd]:.2f}, and takes {faults[odd]:.0f} page faults",
        f"faults, {kept_faults:,.0f} and {faults[-1]:,.0f} a call, on gradients of"
        f" {8 * P / 1e6:.0f} MB, against {backprop_ms:.0f} ms of arithmetic",
    ]
    missing = _missing("performance.md", claims)
    assert not missing, (
        "performance.md no longer says, as the record does:\n" + "\n".join(missing)
    )
    # The words: the essay's "ten million times" holds for central differences at
    # the widest network; with glibc's defaults the ratio falls to about half the
    # count's at one size, and no call faults at any other below ten million.
    assert 2 * P / k_w >= 1e7
    assert 0.4 < cases[odd]["counted_backprop_in_forward_passes"] / k_glibc[odd] < 0.6
    assert not any(faults[:-1][:odd] + faults[:-1][odd + 1 :])
    assert max(k) < 2  # what the home page says


def test_the_pages_name_the_records_that_wait_to_be_run_again() -> None:
    """A page that reads a record timed on older code says so, in its paragraph
    about the records that wait (benchmarks/fingerprint.py, WAITING)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from fingerprint import WAITING

    for page in ("performance.md", "calculus.md", "index.md"):
        text = _prose(page)
        read = set(re.findall(r'(?:results/|record\(")([a-z_]+\.json)"', text))
        paragraphs = (DOCS / page).read_text(encoding="utf-8").split("\n\n")
        said = {
            name
            for paragraph in paragraphs
            if "run again" in paragraph and "wait" in paragraph
            for name in re.findall(r"`([a-z_]+\.json)`", paragraph)
        }
        assert said == read & set(WAITING), page


def test_the_performance_page_states_the_compiler_record() -> None:
    """The numbers the section on the compiler writes in prose, made again from
    benchmarks/results/compiler.json, and the order its words claim."""
    record = json.loads((RESULTS / "compiler.json").read_text(encoding="utf-8"))
    medians = {
        name.split(":")[0]: (1e6 * t["slow"]["median"], 1e6 * t["fast"]["median"])
        for name, t in record["results"].items()
    }
    numpy_passes, fused = medians["fusion"]
    libm, own = medians["a vectorised exp"]
    three_passes, one_product = medians["update"]
    claims = [
        f"the fused pass is {numpy_passes / fused:.1f} times as fast as NumPy's five,"
        " but only because of the last trick",
        f"library's `exp` takes {libm / own:.1f} times as long as with the step's own,"
        f" the fifth line of the table, and {libm / numpy_passes:.1f} times as long"
        " as NumPy's five passes",
        f"the one product take {one_product:.1f} µs, the three passes"
        f" {three_passes:.1f} µs",
    ]
    missing = _missing("performance.md", claims)
    assert not missing, (
        "performance.md no longer says, as the record does:\n" + "\n".join(missing)
    )
    # "only because of the last trick": fused with the C library's exp, the pass
    # is slower than NumPy's five.
    assert libm > numpy_passes
    assert list(record["results"])[4].startswith("a vectorised exp")  # "fifth line"
