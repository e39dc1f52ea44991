"""Which code each benchmark row times, and a fingerprint of that code.

A record in results/ stores, beside each row's times, the fingerprint of the
functions that row timed. tests/test_benchmark_records.py computes the
fingerprints again from today's code: when a timed function changes, the test
fails until the benchmark is run again and its record committed. Only the code
counts: a docstring or a comment can change without touching the record, a
statement cannot.

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

TRAINER = [
    "backprop.training:Trainer.step",
    "backprop.training:Trainer._step",
    "backprop.training:Trainer._compiled_step",
    "backprop.training:Trainer._numpy_step",
    "backprop.training:Trainer._backprop",
    "backprop.training:Trainer._activations",
    "backprop.compiled",
    "backprop.threads",
    "backprop.network:commit",
]
LITERAL = [
    "backprop.network:Network.update_mini_batch",
    "backprop.network:Network.backprop",
    "backprop.network:Network._forward",
    "backprop.network:commit",
    "backprop.network:output_error",
    "backprop.network:hidden_error",
    "backprop.network:bias_gradient",
    "backprop.network:weight_gradient",
]
#: Row name -> the functions it times (the benchmark's own builder included).
TIMED: dict[str, list[str]] = {
    "loop": [
        "backprop.reference:update_mini_batch_loop",
        "backprop.reference:backprop_example",
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
