"""Without an optional dependency, the error names the extra that brings it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from backprop.data import load_digits


def test_load_digits_needs_no_scikit_learn(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes `import sklearn` fail as if scikit-learn
    # were not installed: the digits ship in the package.
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    train, test = load_digits()
    assert (len(train), len(test)) == (1500, 297)


def test_figures_without_matplotlib_names_the_figures_extra() -> None:
    # In a fresh interpreter, so that no earlier import of matplotlib or
    # backprop.figures can answer from sys.modules.
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None\n"
        "try:\n"
        "    import backprop.figures\n"
        "except ImportError as error:\n"
        "    print(error)\n"
        "    print(type(error.__cause__).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == [
        "backprop.figures needs matplotlib, in the package's figures extra: "
        "pip install 'backprop-checked[figures]' (or pip install matplotlib)",
        "ModuleNotFoundError",
    ]
