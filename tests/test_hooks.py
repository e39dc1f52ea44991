"""Build hooks: the griffe extension shows doctests as console blocks.

The KaTeX extension and the pre-build are tested in test_sitebuild.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

HOOKS = Path(__file__).resolve().parent.parent / "hooks"


def test_doctests_in_docstrings_become_console_blocks() -> None:
    spec = importlib.util.spec_from_file_location(
        "griffe_doctests", HOOKS / "griffe_doctests.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = "Sum:\n\n>>> 1 + 1\n2\n>>> for i in range(2):\n...     print(i)\n0\n1\n\nDone.\n    >>> x\n    3"
    assert module.fence(text) == (
        "Sum:\n\n```pycon\n>>> 1 + 1\n2\n>>> for i in range(2):\n...     print(i)\n0\n1\n```"
        "\n\nDone.\n    ```pycon\n    >>> x\n    3\n    ```"
    )
