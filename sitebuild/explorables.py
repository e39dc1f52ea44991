"""Pre-build step: the drawing library and the numbers of the explorable figures.

An explorable figure is a block ``<div class="explorable" data-explorable="NAME">``
on a page, placed after the static figure it extends. The loader
(``docs/javascripts/explorables.js``) fetches three things when one comes near
the viewport: the drawing library, the numbers ``explorables/NAME.json`` and the
script ``javascripts/explorables/NAME.js`` that draws them. This step writes the
first two:

* ``docs/assets/explorables/``: Observable Plot and d3, the versions pinned in
  package-lock.json. Each file is read from the npm package's tarball in npm's
  cache (where ``npm ci`` put it), after the tarball's sha512 is checked against
  the ``integrity`` that package-lock.json records, and refused otherwise.
* ``docs/explorables/NAME.json``: every number an explorable shows, computed by
  the package (``backprop.*``) for every value its controls can take. The
  script in the page only looks numbers up and draws them; no formula of the
  site is written in JavaScript.

The numbers are computed in a fresh interpreter (``python -m
sitebuild.explorables OUT``, so that ``mkdocs serve`` sees edits to
``backprop/``) and cached under ``.build-cache/explorables/<key>/``, the key a
hash of the package's source and of this file; the library is cached by a hash
of package-lock.json.

Adding an explorable: write a function returning a JSON-ready dict and add it
to :data:`DATA` under the explorable's name (CONTRIBUTING.md, "Adding an
explorable", goes through the smallest one).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from backprop.activations import sigmoid_prime
from backprop.data import load_digits
from backprop.descent import LineFit, momentum_path
from backprop.graph import Tally, Var
from backprop.lessons import weight_gradient_norms
from backprop.network import Network
from backprop.worked import (
    backward_table,
    cost_sum,
    example,
    forward_table,
    hidden_delta_sum,
    output_delta_sum,
    r4,
    weight_gradient_sum,
    work,
)
from sitebuild.files import (
    ROOT,
    BuildError,
    cache_folder,
    mirror,
    package_sources,
    source_hash,
)

# The library's files: npm package, its file, the name it is served under.
LIBRARY = [
    ("d3", "dist/d3.min.js", "d3.min.js"),
    ("d3", "LICENSE", "d3-LICENSE.txt"),
    ("@observablehq/plot", "dist/plot.umd.min.js", "plot.umd.min.js"),
    ("@observablehq/plot", "LICENSE", "plot-LICENSE.txt"),
]
LOCK = ROOT / "package-lock.json"
# Numbers are written with this many significant digits: far below what a
# reader can see, and what the tests compare with (rtol 1e-5).
DIGITS = 7

Json = dict[str, Any]


def _round(value: Any) -> Any:
    """Floats (and arrays of them) rounded to DIGITS significant digits, for JSON."""
    if isinstance(value, dict):
        return {key: _round(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_round(item) for item in value]
    if isinstance(value, np.ndarray):
        return _round(value.tolist())
    if isinstance(value, float | np.floating):
        return float(f"{float(value):.{DIGITS}g}")
    if isinstance(value, np.integer):
        return int(value)
    return value


# -- 1. By hand: nudge one parameter, and the worked step, number by number ----------

# The nudges Δp a reader can choose: 0, then ±0.001 to ±3 in a 1-2-5 sequence.
NUDGES = sorted(
    {0.0}
    | {s * m * 10.0**e for s in (-1, 1) for e in (-3, -2, -1, 0) for m in (1, 2, 5)}
    | {-3.0, 3.0}
)
# The curve C(p) is drawn over p0 - 3 to p0 + 3.
CURVE = np.linspace(-3.0, 3.0, 121)


def _parameters(net: Network) -> list[tuple[str, str, int, int, int]]:
    """Every parameter: name, kind, layer index, row, column (the page's order)."""
    found = []
    for i, W in enumerate(net.weights):
        for j, k in np.ndindex(W.shape):
            found.append((f"w^{i + 1}_{j + 1}{k + 1}", "w", i, j, k))
        for j in range(net.biases[i].shape[0]):
            found.append((f"b^{i + 1}_{j + 1}", "b", i, j, 0))
    return found


def _cost_at(kind: str, i: int, j: int, k: int, dp: float) -> float:
    """C of the worked example with one parameter moved by dp, by backprop.worked."""
    net, x, y = example()
    (net.weights if kind == "w" else net.biases)[i][j, k] += dp
    return work(net, x, y).cost


def nudge() -> Json:
    """For each of the 12 parameters p: C(p0 + Δp), backprop's ∂C/∂p, ΔC and (∂C/∂p)Δp."""
    net, x, y = example()
    ex = work(net, x, y)
    parameters = []
    for name, kind, i, j, k in _parameters(net):
        p0 = float((net.weights if kind == "w" else net.biases)[i][j, k])
        slope = float((ex.nabla_w if kind == "w" else ex.nabla_b)[i][j, k])
        actual = [_cost_at(kind, i, j, k, dp) - ex.cost for dp in NUDGES]
        parameters.append(
            {
                "name": name,
                "p0": p0,
                "slope": slope,
                "curve": {
                    "p": [p0 + d for d in CURVE],
                    "cost": [_cost_at(kind, i, j, k, d) for d in CURVE],
                },
                "tangent": {
                    "p": [p0 + CURVE[0], p0 + CURVE[-1]],
                    "cost": [ex.cost + slope * CURVE[0], ex.cost + slope * CURVE[-1]],
                },
                "actual": actual,
                "predicted": [slope * dp for dp in NUDGES],
                "gap": [
                    abs(slope * dp - a) / abs(a) if a != 0.0 else None
                    for dp, a in zip(NUDGES, actual, strict=True)
                ],
            }
        )
    return {"cost": ex.cost, "nudges": NUDGES, "parameters": parameters}


def worked_steps() -> Json:
    """The worked step in the order a reader computes it, each number with its sum.

    Forward: z^l_j and a^l_j neuron by neuron (the rows of forward_table), the
    cost; backward: δ^l_j top layer first (its written-out sum), then each
    ∂C/∂w^l_jk (eq. 36). Each step names the cell of the table it fills.
    """
    net, x, y = example()
    ex = work(net, x, y)
    forward_rows = forward_table(ex).splitlines()[1:]
    steps: list[Json] = []
    row = 0
    for l in range(1, len(ex.zs) + 1):
        for j in range(1, ex.zs[l - 1].shape[0] + 1):
            text = forward_rows[row]
            row += 1
            steps.append(
                {
                    "pass": "forward",
                    "cell": f"z{l}{j}",
                    "symbol": f"z^{l}_{j}",
                    "value": float(ex.zs[l - 1][j - 1, 0]),
                    "shown": r4(ex.zs[l - 1][j - 1, 0]),
                    "sum": text.split(maxsplit=2)[2].rsplit(maxsplit=1)[0],
                }
            )
            steps.append(
                {
                    "pass": "forward",
                    "cell": f"a{l}{j}",
                    "symbol": f"a^{l}_{j}",
                    "value": float(ex.activations[l][j - 1, 0]),
                    "shown": r4(ex.activations[l][j - 1, 0]),
                    "sum": f"a^{l}_{j} = σ({r4(ex.zs[l - 1][j - 1, 0])})"
                    f" = {r4(ex.activations[l][j - 1, 0])}",
                }
            )
    steps.append(
        {
            "pass": "forward",
            "cell": "C",
            "symbol": "C",
            "value": ex.cost,
            "shown": r4(ex.cost),
            "sum": " ".join(line.strip() for line in cost_sum(ex).splitlines()),
        }
    )
    L = len(ex.zs)
    for l in range(L, 0, -1):
        for j in range(1, ex.zs[l - 1].shape[0] + 1):
            written = output_delta_sum(ex, j) if l == L else hidden_delta_sum(ex, l, j)
            steps.append(
                {
                    "pass": "backward",
                    "cell": f"d{l}{j}",
                    "symbol": f"δ^{l}_{j}",
                    "value": float(ex.deltas[l - 1][j - 1, 0]),
                    "shown": r4(ex.deltas[l - 1][j - 1, 0]),
                    "sum": " ".join(line.strip() for line in written.splitlines()),
                }
            )
            for k in range(1, ex.nabla_w[l - 1].shape[1] + 1):
                steps.append(
                    {
                        "pass": "backward",
                        "cell": f"w{l}{j}{k}",
                        "symbol": f"∂C/∂w^{l}_{j}{k}",
                        "value": float(ex.nabla_w[l - 1][j - 1, k - 1]),
                        "shown": r4(ex.nabla_w[l - 1][j - 1, k - 1]),
                        "sum": weight_gradient_sum(ex, l, j, k),
                    }
                )
    return {
        "forward_table": forward_table(ex),
        "backward_table": backward_table(ex),
        "layers": L,
        "inputs": int(ex.x.shape[0]),
        "neurons": [int(z.shape[0]) for z in ex.zs],
        "steps": steps,
    }


# -- 2. Graphs: e = (a + b)(b + 1), both modes step by step ---------------------------

GRAPH_INPUTS = [float(v) for v in np.arange(-3.0, 3.01, 0.5)]


def _graph(a_value: float, b_value: float) -> tuple[Var, list[Var]]:
    """The page's graph e = c · d with c = a + b and d = b + 1, and its inputs."""
    a, b = Var(a_value, name="a"), Var(b_value, name="b")
    c = (a + b).named("c")
    d = (b + 1).named("d")
    return (c * d).named("e"), [a, b]


def graph() -> Json:
    """Values, local derivatives, tangents per input, adjoints and pass counts."""
    e, _ = _graph(2.0, 1.0)
    order = e.nodes()
    names = [str(node.name) for node in order]
    # The positions of the page's figure: (column, row) of every node.
    from backprop.figures.graphs import layout

    position = layout(e)
    nodes = [
        {
            "name": str(node.name),
            "rule": node.rule.format(*(str(p.name) for p, _ in node.edges)),
            "column": position[node][0],
            "row": position[node][1],
        }
        for node in order
    ]
    edges = [
        {"from": str(parent.name), "to": str(node.name)}
        for node in order
        for parent, _ in node.edges
    ]
    # The steps: forward mode, one pass per input, node after node from the
    # inputs; reverse mode, one pass, node after node from the output.
    steps: list[Json] = []
    inputs = [str(leaf.name) for leaf in e.inputs()]
    for seed in inputs:
        steps += [
            {"mode": "forward", "seed": seed, "node": n, "last": n == names[-1]}
            for n in names
        ]
    steps += [
        {"mode": "reverse", "seed": names[-1], "node": n, "last": n == names[0]}
        for n in reversed(names)
    ]
    points: dict[str, Json] = {}
    for a_value in GRAPH_INPUTS:
        for b_value in GRAPH_INPUTS:
            e, leaves = _graph(a_value, b_value)
            order = e.nodes()
            forward_tally, reverse_tally = Tally(), Tally()
            tangents, counts = {}, []
            for leaf in leaves:
                t = e.tangents(leaf, tally=forward_tally)
                tangents[str(leaf.name)] = {str(n.name): t[n] for n in order}
                counts.append([forward_tally.passes, forward_tally.multiply_adds])
            adjoint = e.backward(tally=reverse_tally)
            points[f"{a_value:g},{b_value:g}"] = {
                "values": {str(n.name): n.value for n in order},
                "locals": [local for n in order for _, local in n.edges],
                "tangents": tangents,
                "adjoints": {str(n.name): adjoint[n] for n in order},
                "forward_counts": counts,
                "reverse_counts": [[reverse_tally.passes, reverse_tally.multiply_adds]],
            }
    return {
        "inputs": GRAPH_INPUTS,
        "start": {"a": 2.0, "b": 1.0},
        "nodes": nodes,
        "edges": edges,
        "steps": steps,
        "points": points,
    }


# -- 3. Descent: learning rate, momentum and mini-batch size on the line fit ----------

ETA_FRACTIONS = [0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.04, 1.1]
MOMENTA = [0.0, 0.5, 0.8, 0.9]
BATCHES = [1, 5, 10, 25, 100]
DESCENT_STEPS = 40
CLOUD_SEEDS = 10
START = [-0.5, 2.5]  # the page's start v
BOX = (-1.5, 4.5, -3.5, 3.5)  # w from, w to, b from, b to: the page's figure
CONTOUR_GRID = 41


def descent() -> Json:
    """Paths of momentum SGD for every η, μ and m, the cloud of their ends, the contours."""
    problem = LineFit.sample()
    limit = problem.largest_stable_eta()
    start = np.array(START)
    w = np.linspace(BOX[0], BOX[1], CONTOUR_GRID)
    b = np.linspace(BOX[2], BOX[3], CONTOUR_GRID)
    cost = [problem.cost(np.array([wi, bi])) for bi in b for wi in w]
    runs: dict[str, Json] = {}
    for i, fraction in enumerate(ETA_FRACTIONS):
        for j, mu in enumerate(MOMENTA):
            for k, m in enumerate(BATCHES):
                eta = fraction * limit
                path = momentum_path(problem, start, eta, mu, m, DESCENT_STEPS, 0)
                ends = [
                    momentum_path(problem, start, eta, mu, m, DESCENT_STEPS, seed)[-1]
                    for seed in range(1, CLOUD_SEEDS + 1)
                ]
                runs[f"{i},{j},{k}"] = {
                    "path": path,
                    "cloud": ends,
                    "cost": problem.cost(path[-1]),
                    "diverged": problem.cost(path[-1]) > problem.cost(path[0]),
                }
    return {
        "limit": limit,
        "eta": [f * limit for f in ETA_FRACTIONS],
        "fractions": ETA_FRACTIONS,
        "mu": MOMENTA,
        "m": BATCHES,
        "n": problem.n,
        "steps": DESCENT_STEPS,
        "seeds": CLOUD_SEEDS,
        "start": START,
        "minimum": problem.minimum(),
        "lowest": problem.cost(problem.minimum()),
        "box": list(BOX),
        "contours": {
            "w": w,
            "b": b,
            "cost": cost,
            "levels": np.geomspace(min(cost) * 1.05, max(cost), 14),
        },
        "runs": runs,
    }


# -- 4. Lessons: weight scale and depth of a sigmoid network --------------------------

SCALES = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
DEPTHS = [1, 2, 3, 4, 5, 6]
WIDTH = 30
EXAMPLES = 200
BINS = np.linspace(0.0, 0.25, 26)


def lessons_network(scale: float, depth: int) -> Network:
    """64, then `depth` hidden layers of WIDTH, then 10; W^l from N(0, scale²/n_{l−1})."""
    net = Network([64, *[WIDTH] * depth, 10], seed=0)
    net.weights = [W * scale for W in net.weights]
    return net


def lessons() -> Json:
    """‖∂C/∂W^l‖ per layer and the histogram of σ'(z) per layer, for each scale and depth."""
    train, _ = load_digits()
    X, Y = train.X[:, :EXAMPLES], train.Y[:, :EXAMPLES]
    points: dict[str, Json] = {}
    for i, scale in enumerate(SCALES):
        for j, depth in enumerate(DEPTHS):
            net = lessons_network(scale, depth)
            zs, _ = net.forward(X)
            points[f"{i},{j}"] = {
                "norms": weight_gradient_norms(net, X, Y),
                "histogram": [np.histogram(sigmoid_prime(z), bins=BINS)[0] for z in zs],
                "median": [float(np.median(sigmoid_prime(z))) for z in zs],
            }
    every = [norm for point in points.values() for norm in point["norms"]]
    return {
        "norm_range": [
            10.0 ** np.floor(np.log10(min(every))),
            10.0 ** np.ceil(np.log10(max(every))),
        ],
        "scales": SCALES,
        "depths": DEPTHS,
        "width": WIDTH,
        "examples": EXAMPLES,
        "bins": BINS,
        "points": points,
    }


# The explorables with build-time numbers: name -> the function that computes them.
DATA: dict[str, Callable[[], Json]] = {
    "nudge": nudge,
    "worked-steps": worked_steps,
    "graph": graph,
    "descent": descent,
    "lessons": lessons,
}


def compute(folder: Path) -> None:
    """Write NAME.json into `folder` for every explorable of :data:`DATA`."""
    for name, make in DATA.items():
        text = json.dumps(_round(make()), separators=(",", ":"), allow_nan=False)
        (folder / f"{name}.json").write_text(text + "\n", encoding="utf-8")


def _compute_fresh(folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sitebuild.explorables", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise BuildError(f"computing the explorables' numbers failed:\n{done.stderr}")


# -- the library -----------------------------------------------------------------------


def _npm_cache() -> Path:
    """npm's cache folder: $npm_config_cache if set, else ~/.npm (npm's default)."""
    configured = next(
        (
            value
            for key, value in os.environ.items()
            if key.lower() == "npm_config_cache"
        ),
        "",
    )
    return Path(configured) if configured else Path.home() / ".npm"


def tarball(package: str, cache: Path | None = None) -> bytes:
    """The npm tarball of `package` as package-lock.json pins it, hash-checked.

    It is read from npm's content-addressed cache by its ``integrity``; its
    sha512 must equal that integrity, or the build stops.
    """
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    entry = lock["packages"].get(f"node_modules/{package}")
    if entry is None:
        raise BuildError(f"package-lock.json pins no {package}: add it to package.json")
    algorithm, _, encoded = entry["integrity"].partition("-")
    if algorithm != "sha512":
        raise BuildError(f"{package}: integrity {algorithm} is not sha512")
    digest = base64.b64decode(encoded).hex()
    where = (
        (cache or _npm_cache())
        / "_cacache"
        / "content-v2"
        / "sha512"
        / digest[:2]
        / digest[2:4]
        / digest[4:]
    )
    if not where.is_file():
        raise BuildError(
            f"{package} {entry['version']} is not in npm's cache ({where}): "
            "run `npm ci` (`make install` does)"
        )
    data = where.read_bytes()
    found = hashlib.sha512(data).hexdigest()
    if found != digest:
        raise BuildError(
            f"{package}'s tarball has sha512 {found}, but package-lock.json "
            f"records {digest}: refusing it"
        )
    return data


def library(cache: Path | None = None) -> dict[str, bytes]:
    """The drawing library's files, each from its hash-checked tarball."""
    files = {}
    for package in dict.fromkeys(package for package, _, _ in LIBRARY):
        data = io.BytesIO(tarball(package, cache))
        with tarfile.open(fileobj=data, mode="r:gz") as archive:
            for _, inside, name in (f for f in LIBRARY if f[0] == package):
                member = archive.extractfile(f"package/{inside}")
                if member is None:
                    raise BuildError(f"{package}'s tarball has no {inside}")
                files[name] = member.read()
    return files


def _write_library(folder: Path) -> None:
    for name, data in library().items():
        (folder / name).write_bytes(data)


def explorables(docs: Path) -> None:
    """The pre-build step: the library under assets/explorables/, the numbers under explorables/."""
    numbers = cache_folder(
        "explorables",
        source_hash([*package_sources(), Path(__file__)]),
        _compute_fresh,
    )
    mirror(
        docs / "explorables",
        {path.name: path.read_bytes() for path in sorted(numbers.glob("*.json"))},
    )
    kept = cache_folder(
        "explorables-library", source_hash([LOCK, Path(__file__)]), _write_library
    )
    mirror(
        docs / "assets" / "explorables",
        {path.name: path.read_bytes() for path in sorted(kept.iterdir())},
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m sitebuild.explorables OUT_DIR")
    compute(Path(sys.argv[1]))
