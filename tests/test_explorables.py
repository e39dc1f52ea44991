"""The explorables' build-time numbers (sitebuild/explorables.py) against the package.

Each JSON file is written by the pre-build step's own code into a temporary
folder once, read back, and compared with what the package computes here by
another route where it has one: Network.backprop for the worked example's
gradient, a graph built afresh for the live graph, momentum_path and
gradient_descent for descent, weight_gradient_norms for the lessons.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from backprop.activations import sigmoid_prime
from backprop.costs import quadratic_cost
from backprop.data import load_digits
from backprop.descent import LineFit, gradient_descent, momentum_path, sgd_path
from backprop.graph import Var, mode_costs
from backprop.lessons import weight_gradient_norms
from backprop.network import Network
from backprop.worked import example, work
from sitebuild import explorables
from sitebuild.files import ROOT, BuildError

RTOL = 1e-6  # the JSON keeps 7 significant digits

Json = dict[str, Any]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Json]:
    folder = tmp_path_factory.mktemp("explorables")
    explorables.compute(folder)
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in folder.glob("*.json")
    }


def test_every_explorable_with_data_has_its_json_and_its_script(
    written: dict[str, Json],
) -> None:
    assert set(written) == set(explorables.DATA)
    for name in written:
        assert (ROOT / "docs" / "javascripts" / "explorables" / f"{name}.js").is_file()


def _moved_cost(name: str, dp: float) -> float:
    """The worked example's cost with parameter `name` (w^l_jk, b^l_j) moved by dp."""
    net, x, y = example()
    l, rest = int(name[2]), name[4:]
    if name.startswith("w"):
        net.weights[l - 1][int(rest[0]) - 1, int(rest[1]) - 1] += dp
    else:
        net.biases[l - 1][int(rest[0]) - 1, 0] += dp
    return quadratic_cost(net.feedforward(x), y)


def test_nudge_slopes_are_backprops_gradient_and_costs_the_networks(
    written: dict[str, Json],
) -> None:
    data = written["nudge"]
    net, x, y = example()
    nabla_b, nabla_w = net.backprop(x, y)
    slopes = {}
    for l, (gw, gb) in enumerate(zip(nabla_w, nabla_b, strict=True), 1):
        for j, k in np.ndindex(gw.shape):
            slopes[f"w^{l}_{j + 1}{k + 1}"] = gw[j, k]
        for j in range(gb.shape[0]):
            slopes[f"b^{l}_{j + 1}"] = gb[j, 0]
    assert [p["name"] for p in data["parameters"]] == list(slopes)
    base = quadratic_cost(net.feedforward(x), y)
    assert_allclose(data["cost"], base, rtol=RTOL)
    for p in data["parameters"]:
        assert_allclose(p["slope"], slopes[p["name"]], rtol=RTOL)
        actual = [_moved_cost(p["name"], dp) - base for dp in data["nudges"]]
        assert_allclose(p["actual"], actual, rtol=1e-5, atol=1e-12)
        assert_allclose(
            p["predicted"], [slopes[p["name"]] * dp for dp in data["nudges"]], rtol=RTOL
        )
        assert_allclose(
            p["curve"]["cost"],
            [_moved_cost(p["name"], v - p["p0"]) for v in p["curve"]["p"]],
            rtol=1e-5,
        )


def test_nudge_gap_shrinks_with_the_nudge_first_order(written: dict[str, Json]) -> None:
    data = written["nudge"]
    for p in data["parameters"]:
        gaps = [p["gap"][data["nudges"].index(dp)] for dp in (1.0, 0.1, 0.01, 0.001)]
        assert gaps == sorted(gaps, reverse=True), (p["name"], gaps)
        # First order: the gap vanishes at least as fast as Δp (like Δp where
        # C'' is not 0), so each tenth of Δp divides it by about ten or more.
        for big, small in itertools.pairwise(gaps):
            assert big / small > 5, (p["name"], gaps)


def test_worked_steps_are_the_worked_examples_numbers(written: dict[str, Json]) -> None:
    ex = work(*example())
    expected = {}
    for l in range(1, 3):
        for j in range(1, 3):
            expected[f"z{l}{j}"] = ex.zs[l - 1][j - 1, 0]
            expected[f"a{l}{j}"] = ex.activations[l][j - 1, 0]
            expected[f"d{l}{j}"] = ex.deltas[l - 1][j - 1, 0]
            for k in range(1, 3):
                expected[f"w{l}{j}{k}"] = ex.nabla_w[l - 1][j - 1, k - 1]
    expected["C"] = ex.cost
    steps = written["worked-steps"]["steps"]
    assert sorted(s["cell"] for s in steps) == sorted(expected)
    for s in steps:
        assert_allclose(s["value"], expected[s["cell"]], rtol=RTOL)
    # The forward pass first, the cost at its end, then the backward pass.
    passes = [s["pass"] for s in steps]
    assert passes == sorted(passes, key=["forward", "backward"].index)
    assert steps[passes.count("forward") - 1]["cell"] == "C"


def test_graph_numbers_are_those_of_a_graph_built_afresh(
    written: dict[str, Json],
) -> None:
    data = written["graph"]
    assert len(data["points"]) == len(data["inputs"]) ** 2
    for a_value, b_value in [(2.0, 1.0), (-3.0, 0.5), (1.5, -2.5), (0.0, 0.0)]:
        a, b = Var(a_value, name="a"), Var(b_value, name="b")
        c, d = (a + b).named("c"), (b + 1).named("d")
        e = (c * d).named("e")
        point = data["points"][f"{a_value:g},{b_value:g}"]
        nodes = {"a": a, "b": b, "c": c, "d": d, "e": e}
        adjoint = e.backward()
        for name, node in nodes.items():
            assert_allclose(point["values"][name], node.value, rtol=RTOL)
            assert_allclose(point["adjoints"][name], adjoint[node], rtol=RTOL)
            for seed, leaf in (("a", a), ("b", b)):
                assert_allclose(
                    point["tangents"][seed][name], e.tangents(leaf)[node], rtol=RTOL
                )
        forward, reverse = mode_costs(e)
        assert point["forward_counts"][-1] == [forward.passes, forward.multiply_adds]
        assert point["reverse_counts"][-1] == [reverse.passes, reverse.multiply_adds]
        # The local derivatives on the edges, in the order of the edges listed.
        locals_ = {(str(p.name), str(n.name)): v for n in (c, d, e) for p, v in n.edges}
        for edge, local in zip(data["edges"], point["locals"], strict=True):
            assert_allclose(local, locals_[(edge["from"], edge["to"])], rtol=RTOL)


def test_descent_paths_are_the_packages(written: dict[str, Json]) -> None:
    data = written["descent"]
    problem = LineFit.sample()
    assert_allclose(data["limit"], problem.largest_stable_eta(), rtol=RTOL)
    start = np.array(data["start"])
    for i, j, k in [(4, 0, 2), (9, 1, 0), (0, 3, 4), (7, 2, 3)]:
        run = data["runs"][f"{i},{j},{k}"]
        eta, mu, m = data["eta"][i], data["mu"][j], data["m"][k]
        path = momentum_path(problem, start, eta, mu, m, data["steps"], seed=0)
        assert_allclose(run["path"], path, rtol=1e-5, atol=1e-9)
        ends = [
            momentum_path(problem, start, eta, mu, m, data["steps"], seed)[-1]
            for seed in range(1, data["seeds"] + 1)
        ]
        assert_allclose(run["cloud"], ends, rtol=1e-5, atol=1e-9)
        assert_allclose(run["cost"], problem.cost(path[-1]), rtol=1e-5)
    # Without momentum and with the full batch, the path is gradient descent,
    # and without momentum and with batches of 10 it is sgd_path.
    full = data["runs"][f"4,0,{data['m'].index(problem.n)}"]["path"]
    plain = gradient_descent(
        problem.cost_gradient, start, data["eta"][4], data["steps"]
    )
    assert_allclose(full, plain, rtol=1e-5, atol=1e-9)
    batches = data["runs"][f"4,0,{data['m'].index(10)}"]["path"]
    sgd = sgd_path(problem, start, data["eta"][4], 10, data["steps"] // 10, seed=0)
    assert_allclose(batches, sgd, rtol=1e-5, atol=1e-9)


def test_lessons_norms_and_histograms_are_the_networks(
    written: dict[str, Json],
) -> None:
    data = written["lessons"]
    train, _ = load_digits()
    X, Y = train.X[:, : data["examples"]], train.Y[:, : data["examples"]]
    for i, j in [(2, 2), (0, 5), (5, 0), (4, 3)]:
        scale, depth = data["scales"][i], data["depths"][j]
        net = Network([64, *[data["width"]] * depth, 10], seed=0)
        net.weights = [W * scale for W in net.weights]
        point = data["points"][f"{i},{j}"]
        assert_allclose(point["norms"], weight_gradient_norms(net, X, Y), rtol=RTOL)
        zs, _ = net.forward(X)
        for z, counts, median in zip(
            zs, point["histogram"], point["median"], strict=True
        ):
            assert sum(counts) == z.size  # every σ'(z) lies in [0, 1/4]
            assert counts == np.histogram(sigmoid_prime(z), data["bins"])[0].tolist()
            assert_allclose(median, np.median(sigmoid_prime(z)), rtol=RTOL)


def test_the_library_is_read_from_tarballs_whose_hash_is_the_locks() -> None:
    files = explorables.library()
    assert set(files) == {name for _, _, name in explorables.LIBRARY}
    lock = json.loads(explorables.LOCK.read_text(encoding="utf-8"))["packages"]
    assert files["d3.min.js"].startswith(
        f"// https://d3js.org v{lock['node_modules/d3']['version']} ".encode()
    )
    plot = lock["node_modules/@observablehq/plot"]["version"]
    assert files["plot.umd.min.js"].startswith(
        f"// @observablehq/plot v{plot} ".encode()
    )
    for package, inside, name in explorables.LIBRARY:
        installed = ROOT / "node_modules" / package / inside
        if installed.is_file():  # npm ci unpacked the same tarball there
            assert files[name] == installed.read_bytes()


def test_a_tarball_whose_hash_differs_from_the_lock_is_refused(
    tmp_path: Path,
) -> None:
    good = explorables.tarball("d3")
    lock = json.loads(explorables.LOCK.read_text(encoding="utf-8"))
    digest = hashlib.sha512(good).hexdigest()
    assert lock["packages"]["node_modules/d3"]["integrity"].startswith("sha512-")
    where = tmp_path / "_cacache" / "content-v2" / "sha512" / digest[:2] / digest[2:4]
    where.mkdir(parents=True)
    tampered = bytearray(good)
    tampered[len(good) // 2] ^= 1  # one bit
    (where / digest[4:]).write_bytes(bytes(tampered))
    with pytest.raises(BuildError, match=r"sha512 .* records .*refusing it"):
        explorables.tarball("d3", cache=tmp_path)
    shutil.rmtree(tmp_path / "_cacache")
    with pytest.raises(BuildError, match="not in npm's cache"):
        explorables.tarball("d3", cache=tmp_path)
    with tarfile.open(fileobj=io.BytesIO(good), mode="r:gz") as archive:
        assert "package/dist/d3.min.js" in archive.getnames()
