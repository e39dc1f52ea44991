"""What a page says about a figure or about the package, tied to its source.

A page's examples check the numbers they print; these tests check what no
example can: that the entries an example reads are the ones its figure
highlights, and that a faster form the performance page shows computes the same
numbers as the plain one the chapters show.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop.activations import sigmoid, sigmoid_into
from backprop.figures.network import NEURON, WEIGHT

DOCS = Path(__file__).resolve().parent.parent / "docs"


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
