"""No broken link or anchor anywhere on the built site, checked by LinkChecker.

MkDocs' validation (strict build) already checks the links written in the
pages' Markdown; this checks the HTML as served: theme links, stylesheets and
their fonts, scripts, images, equation anchors, the search page. Links to other
hosts are listed by LinkChecker but not followed: the check works offline. The
settings are in ``linkcheckerrc``; LinkChecker starts with the site (conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_no_broken_link_or_anchor(site: Any, link_check: Any) -> None:
    code, report = link_check.verdict()
    assert code == 0, report
    checked = re.search(r"(\d+) links in (\d+) URLs checked", report)
    assert checked is not None, report
    assert int(checked[2]) > len(site.pages), report
