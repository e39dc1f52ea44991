"""The runner the Run buttons use in Pyodide (docs/javascripts/examples_runner.py), here in CPython."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

RUNNER = (
    Path(__file__).resolve().parents[1] / "docs" / "javascripts" / "examples_runner.py"
)


@pytest.fixture
def runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("examples_runner", RUNNER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_blocks_share_one_namespace_and_compare_as_doctest_does(
    runner: ModuleType,
) -> None:
    assert runner.run_block(">>> x = [1.0, 2.0]\n") == [
        {
            "source": "x = [1.0, 2.0]\n",
            "want": "",
            "got": "",
            "printed": "",
            "ok": True,
            "exception": None,
            "local_only": None,
        }
    ]
    # ELLIPSIS and NORMALIZE_WHITESPACE, as the pages' doctests use them.
    [result] = runner.run_block(">>> print(x, '  end')\n[1.0, ...]   end\n")
    assert result["ok"]
    assert result["got"] == "[1.0, 2.0]   end\n"
    [wrong] = runner.run_block(">>> sum(x)\n4.0\n")
    assert not wrong["ok"]
    assert (wrong["want"], wrong["got"]) == ("4.0\n", "3.0\n")
    runner.reset()
    [gone] = runner.run_block(">>> x\n")
    assert gone["exception"] == "NameError: name 'x' is not defined\n"
    assert not gone["ok"]


def test_an_expected_exception_matches_on_its_type_and_message(
    runner: ModuleType,
) -> None:
    text = ">>> 1 / 0\nTraceback (most recent call last):\n  ...\nZeroDivisionError: division by zero\n"
    [result] = runner.run_block(text)
    assert result["ok"]
    [other] = runner.run_block(text.replace("division by zero", "something else"))
    assert not other["ok"]
    assert other["got"].endswith("ZeroDivisionError: division by zero\n")


def test_a_missing_package_is_named_and_so_are_the_names_it_left_undefined(
    runner: ModuleType,
) -> None:
    text = ">>> import sklearn_is_not_here as sk\n>>> sk.load()\n"
    error = ModuleNotFoundError("No module named 'sklearn'", name="sklearn")
    assert runner._local_only(error) == runner.LOCAL_ONLY["sklearn"]
    wrapped = ImportError("backprop.figures needs matplotlib")
    assert runner._local_only(wrapped) == runner.LOCAL_ONLY["matplotlib"]
    assert runner._local_only(ValueError("matplotlib")) is None
    runner.missing.append(runner.LOCAL_ONLY["matplotlib"])
    results = runner.run_block(text)
    assert results[1]["local_only"].startswith("it uses a name from an earlier example")


def test_a_docstring_starts_from_its_module_namespace(runner: ModuleType) -> None:
    runner.reset("backprop.graph.Var.gradient")
    [result] = runner.run_block(">>> Var(2.0).value\n2.0\n")  # Var is not imported
    assert result["ok"]
    runner.reset()
    [result] = runner.run_block(">>> Var\n")
    assert result["exception"].startswith("NameError")


def test_an_explorable_calls_a_package_function_on_checked_files(
    runner: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.bin").write_bytes(b"digits")
    good = {"data.bin": hashlib.sha256(b"digits").hexdigest()}
    cases = runner.start_call(
        "backprop.performance.gradient_costs",
        {"hidden": [1], "rounds": 1, "budget": 0.001},
        good,
    )
    assert [case["parameters"] for case in cases] == [805]
    with pytest.raises(ValueError, match=r"data\.bin has sha256"):
        runner.start_call(
            "backprop.performance.gradient_costs", {}, {"data.bin": "0" * 64}
        )
    with pytest.raises(ValueError, match="only the package's own functions"):
        runner.start_call("os.system", {"command": "true"}, {})
