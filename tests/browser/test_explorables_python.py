"""Explorables 5 and 6: the package run in the page's Python, on a click only.

The training lab (lab.md) trains a network on the digits in Pyodide, and the
performance page times a forward pass against a backprop call there. Each test
presses the button as a reader would, and checks what is drawn against what the
package computes here, natively, for the same settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from playwright.sync_api import Locator, Page

from backprop.data import load_digits
from backprop.network import Network, multiply_adds

pytestmark = pytest.mark.browser

# Python, NumPy and the package load on the first click; allow for a busy machine.
LOAD = 240_000  # ms

# Read what an explorable drew: the numbers it was handed, as drawn.
LAB_EPOCHS = "element => element.labEpochs"
PERF_CASES = "element => element.perfCases"
# How far the page is wider than the window.
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
# Every value the progress bar takes, recorded from before the click.
WATCH_PROGRESS = """element => {
  const bar = element.querySelector("progress");
  element.progressSeen = [];
  new MutationObserver(() => element.progressSeen.push([bar.value, bar.max]))
    .observe(bar, { attributes: true });
}"""


def mounted(open_page: Callable[[str], Page], path: str, name: str) -> Locator:
    """The explorable `name` of the page at `path`, scrolled to and mounted."""
    page = open_page(path)
    element = page.locator(f'[data-explorable="{name}"]')
    element.scroll_into_view_if_needed()
    element.get_by_role("button", name="Stop").wait_for()
    return element


def progress(element: Locator) -> list[tuple[int, int]]:
    """The (value, max) pairs the progress bar showed, each change once."""
    seen = [tuple(pair) for pair in element.evaluate("element => element.progressSeen")]
    return [pair for i, pair in enumerate(seen) if i == 0 or pair != seen[i - 1]][-5:]


def python_requests(page: Page) -> list[str]:
    """The files of the page's Python (pyodide/) the page has fetched so far."""
    found: list[str] = page.evaluate(
        """() => performance.getEntriesByType("resource")
             .map(entry => entry.name).filter(name => name.includes("/pyodide/"))"""
    )
    return found


def train(lab: Locator, hidden: str, eta: str, batch: str, epochs: str) -> None:
    lab.get_by_label("Hidden layers").fill(hidden)
    lab.get_by_label("Learning rate").fill(eta)
    lab.get_by_label("Mini-batch size").fill(batch)
    lab.get_by_label("Epochs", exact=True).fill(epochs)
    lab.get_by_role("button", name="Train").click()


def wait_for_state(element: Locator, states: str) -> str:
    element.page.wait_for_function(
        f"element => {states!r}.split(' ').includes(element.dataset.run)",
        arg=element.element_handle(),
        timeout=LOAD,
    )
    state: str = element.get_attribute("data-run") or ""
    return state


def test_the_lab_draws_what_the_package_computes(
    open_page: Callable[[str], Page],
) -> None:
    lab = mounted(open_page, "lab/", "lab")
    assert python_requests(lab.page) == [], "Python was fetched before Train"
    lab.evaluate(WATCH_PROGRESS)
    train(lab, "12", "2", "20", "4")
    assert wait_for_state(lab, "done failed") == "done", lab.get_by_role(
        "status"
    ).text_content()
    drawn = lab.evaluate(LAB_EPOCHS)

    training, test = load_digits(test_size=297, seed=0)
    net = Network([64, 12, 10], seed=0)
    history = net.SGD(training.arrays, 4, 20, 2.0, test.labelled, verbose=False)
    assert [d["epoch"] for d in drawn] == [1, 2, 3, 4]
    np.testing.assert_allclose(
        [d["cost"] for d in drawn], [h.cost for h in history], rtol=1e-9
    )
    assert [d["correct"] for d in drawn] == [h.correct for h in history]
    # The table prints what the charts draw.
    rows = lab.locator("table tbody tr")
    assert rows.count() == 4
    for row, h in zip(rows.all(), history, strict=True):
        cells = row.locator("td").all_text_contents()
        assert cells == [str(h.epoch), f"{h.cost:.5f}", f"{h.correct} / {h.total}"]
    assert progress(lab) == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    # The test digits close the run, each with the trained network's answer.
    digits = lab.locator("ol li")
    answers = np.argmax(net.feedforward(test.X[:, : digits.count()]), axis=0)
    assert digits.count() == 12
    assert [int(d.get_attribute("data-answer") or -1) for d in digits.all()] == list(
        answers
    )
    assert [int(d.get_attribute("data-label") or -1) for d in digits.all()] == list(
        test.labels[:12]
    )


# On a phone: the controls, charts and digits fit 390 px without sideways scrolling.
@pytest.mark.parametrize("view", ["phone"])
def test_stop_stops_the_training(open_page: Callable[[str], Page]) -> None:
    lab = mounted(open_page, "lab/", "lab")
    # Slow epochs (1,500 steps of one example each), so that Stop comes mid-run.
    train(lab, "100", "0.5", "1", "100")
    lab.page.wait_for_function(
        "element => element.labEpochs.length >= 1",
        arg=lab.element_handle(),
        timeout=LOAD,
    )
    lab.get_by_role("button", name="Stop").click()
    assert wait_for_state(lab, "stopped done failed") == "stopped"
    assert lab.page.evaluate(SIDEWAYS) <= 0, "the page scrolls sideways"
    epochs = len(lab.evaluate(LAB_EPOCHS))
    assert epochs < 100
    lab.page.wait_for_timeout(2000)
    assert len(lab.evaluate(LAB_EPOCHS)) == epochs, "epochs were drawn after Stop"
    assert lab.get_by_role("button", name="Train").is_enabled()
    assert re.search(
        r"Stopped after \d+ epochs?", lab.get_by_role("status").inner_text()
    )


def test_the_lab_reaches_ninety_percent_within_the_stated_time(
    open_page: Callable[[str], Page],
) -> None:
    lab = mounted(open_page, "lab/", "lab")
    stated = re.search(r"within (\d+) seconds of the click", lab.inner_text())
    assert stated, "the lab page states no time"
    lab.get_by_role("button", name="Train").press("Enter")  # the page's defaults
    assert wait_for_state(lab, "done failed") == "done"
    drawn = lab.evaluate(LAB_EPOCHS)
    assert len(drawn) == 30
    assert drawn[-1]["accuracy"] >= 0.9
    seconds = lab.evaluate("element => element.labSeconds")
    assert seconds <= int(stated.group(1)), f"{seconds:.1f} s from the click"


def test_the_performance_page_times_each_network(
    open_page: Callable[[str], Page],
) -> None:
    perf = mounted(open_page, "performance/", "perf")
    assert python_requests(perf.page) == [], "Python was fetched before the click"
    perf.evaluate(WATCH_PROGRESS)
    perf.get_by_label("Largest network").select_option("30")
    perf.get_by_role("button", name="Time it in your browser").click()
    assert wait_for_state(perf, "done failed") == "done"
    cases = perf.evaluate(PERF_CASES)
    widths = [1, 3, 10, 30]
    assert [c["sizes"] for c in cases] == [[784, h, 10] for h in widths]
    for case, h in zip(cases, widths, strict=True):
        net = Network([784, h, 10])
        P = sum(p.size for p in net.weights + net.biases)
        F, B = multiply_adds(net.sizes, m=10)
        assert case["parameters"] == P
        assert case["counted_central_over_backprop"] == pytest.approx(
            2 * P * F / (F + B)
        )
        k = case["backprop_in_forward_passes"]
        assert case["forward_seconds"] > 0
        assert case["backprop_seconds"] > 0
        assert case["central_over_backprop"] == pytest.approx(2 * P / k)
    assert progress(perf) == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert perf.locator("table tbody tr").count() == 4
