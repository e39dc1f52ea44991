"""Fixtures shared by the tests of the site's sources: the nav."""

from __future__ import annotations

import pytest

from sitebuild.nav import nav_sources


@pytest.fixture(scope="session")
def nav() -> list[str]:
    """The pages of the nav in mkdocs.yml, in order, read the way the pre-build reads them."""
    return nav_sources()
