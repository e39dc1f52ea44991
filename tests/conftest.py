"""Fixtures shared by the tests of the site's sources: the nav, and the equation hook."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sitebuild.nav import nav_sources

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def equations() -> ModuleType:
    """hooks/equations.py, imported as a module."""
    spec = importlib.util.spec_from_file_location(
        "equations_hook", ROOT / "hooks" / "equations.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def nav() -> list[str]:
    """The pages of the nav in mkdocs.yml, in order, read the way the pre-build reads them."""
    return nav_sources()
