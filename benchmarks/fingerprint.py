"""Which code each benchmark times, and a fingerprint of that code.

Every record in results/ stores the fingerprint of the functions it timed:
speed.json one beside each row's times (TIMED), every other record one for the
whole record (RECORDS). tests/test_benchmark_records.py computes the
fingerprints again from today's code: when a timed function changes, the test
fails until the benchmark is run again and its record committed. Only the code
counts: a docstring or a comment can change without touching the record, a
statement cannot. The same test makes each timed call once under a profiler
and fails when it runs a function of the package that its fingerprint leaves
out, so that the lists below cannot fall behind the code.

A name is ``module:qualified.name`` for a function or a method, or ``module``
for every function of a module (the compiled kernels, the thread choice).
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
import inspect
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

#: What every timed call of the package runs: its argument checks and its
#: activation functions, each module whole.
COMMON = ["backprop._checks", "backprop.activations"]
TRAINER = [
    "backprop.training:Trainer.step",
    "backprop.training:Trainer._step",
    "backprop.training:Trainer._any_step",
    "backprop.training:Trainer._compiled_step",
    "backprop.training:Trainer._numpy_step",
    "backprop.training:Trainer._backprop",
    "backprop.training:Trainer._activations",
    "backprop.training:Trainer.workspace",
    "backprop.training:Workspace",
    "backprop.compiled",
    "backprop.threads",
    "backprop.network:commit",
    *COMMON,
]
LITERAL = [
    "backprop.network:Network.update_mini_batch",
    "backprop.network:Network.backprop",
    "backprop.network:Network._batch",
    "backprop.network:Network._forward",
    "backprop.network:weighted_input",
    "backprop.network:commit",
    "backprop.network:output_error",
    "backprop.network:hidden_error",
    "backprop.network:bias_gradient",
    "backprop.network:weight_gradient",
    *COMMON,
]
#: Row name -> the functions it times (the benchmark's own builder included).
TIMED: dict[str, list[str]] = {
    "loop": [
        "backprop.reference:update_mini_batch_loop",
        "backprop.reference:backprop_loop",
        "backprop.reference:backprop_example",
        *COMMON,
        "implementations:build_loop",
    ],
    "literal-f64": [*LITERAL, "implementations:build_literal"],
    "trainer-f64": [*TRAINER, "implementations:build_trainer"],
    "trainer-f32": [*TRAINER, "implementations:build_trainer"],
    "numpy-f64": [*TRAINER, "implementations:build_trainer"],
    "torch-f64": ["implementations:build_torch"],
    "torch-f32": ["implementations:build_torch"],
    "jax-f64": ["implementations:build_jax"],
}


#: Network.backprop and what it calls: the literal step less its update.
BACKPROP = [
    name
    for name in LITERAL
    if name
    not in ("backprop.network:Network.update_mini_batch", "backprop.network:commit")
]
#: Record -> the package's functions that its benchmark times, for the records of
#: one fingerprint (speed.json has one per row, TIMED).
RECORDS: dict[str, list[str]] = {
    "allocation.json": [*BACKPROP, *TRAINER],
    "compiler.json": TRAINER,
    "contraction.json": [
        "backprop.calculus:contract",
        "backprop.calculus:layer_weight_gradient",
        "backprop.calculus:layer_weight_tensor",
        "backprop.calculus:_layer_args",
        *COMMON,
    ],
    "fast_path.json": [*LITERAL, *TRAINER],
    "gradient_cost.json": [
        *BACKPROP,
        "backprop.network:Network.feedforward",
        "backprop.network:Network._inputs",
        "backprop.costs:example_costs",
        "backprop.costs:_outputs_and_targets",
    ],
    "modes.json": ["backprop.modes", "backprop.graph", *COMMON],
}

#: Records timed before a later change to the code they time, waiting to be
#: run again on a quiet machine: record -> what changed. Each page that reads
#: one says so (tests/test_page_claims.py). Empty since 2026-12-06, when the
#: last of them, gradient_cost.json, stood on a Xeon whose steady checks swung
#: 1.07 and 1.06; on the same kind of machine earlier that day it had not stood
#: in 302 tries.
WAITING: dict[str, str] = {}


def _code(node: ast.AST) -> str:
    """The node's code without docstrings, as ast.dump writes it (comments and
    layout are gone already)."""
    for child in ast.walk(node):
        body = getattr(child, "body", None)
        if (
            isinstance(child, ast.FunctionDef | ast.ClassDef | ast.Module)
            and isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            child.body = body[1:] or [ast.Pass()]
    return ast.dump(node, annotate_fields=False)


def source(name: str) -> str:
    """The code of `name` (``module:qualified.name`` or ``module``), docstrings left out."""
    module_name, _, qualified = name.partition(":")
    if not qualified:  # read, not imported: backprop.compiled would import numba
        spec = importlib.util.find_spec(module_name)
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(name)
        return _code(ast.parse(Path(spec.origin).read_text(encoding="utf-8")))
    target: object = importlib.import_module(module_name)
    for part in qualified.split("."):
        target = getattr(target, part)
    text = textwrap.dedent(inspect.getsource(target))  # type: ignore[arg-type]
    return _code(ast.parse(text))


def fingerprint(names: list[str]) -> str:
    """The SHA-256 of the code of `names`, in their order, as 16 hex digits."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + source(name).encode() + b"\0")
    return digest.hexdigest()[:16]


def timed(row: str) -> list[str]:
    """The functions that the row `row` times; ``trainer-f64-2t``, the trainer on a
    fixed 2 threads, times what ``trainer-f64`` does."""
    base = row.rsplit("-", 1)[0] if row.endswith("t") and row[-2].isdigit() else row
    return TIMED[base]


def fingerprints(rows: list[str]) -> dict[str, str]:
    """Row name -> the fingerprint of the code it times."""
    return {row: fingerprint(timed(row)) for row in rows}


def of_record(name: str) -> str:
    """The fingerprint that the record `name` (one of RECORDS) stores."""
    return fingerprint(RECORDS[name])
