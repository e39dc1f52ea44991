"""The installed distribution and the package agree on who they are."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import yaml

import backprop

ROOT = Path(__file__).resolve().parent.parent

DISTRIBUTION = "backprop-checked"


def test_version_is_the_installed_metadata() -> None:
    # pyproject.toml reads the version from backprop/__init__.py (hatch's dynamic
    # version), so the two can only differ when the installation is stale.
    assert backprop.__version__ == importlib.metadata.version(DISTRIBUTION)
    assert re.fullmatch(r"\d+\.\d+\.\d+", backprop.__version__)


def test_the_classifiers_name_the_python_versions_ci_tests() -> None:
    metadata = importlib.metadata.metadata(DISTRIBUTION)
    classified = {
        c.removeprefix("Programming Language :: Python :: ")
        for c in metadata.get_all("Classifier") or []
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert classified == set(ci["jobs"]["test"]["strategy"]["matrix"]["python"])
    assert metadata["Requires-Python"] == f">={min(classified, key=_version)}"


def test_the_project_urls_point_at_one_repository() -> None:
    urls = dict(
        entry.split(", ", 1)
        for entry in importlib.metadata.metadata(DISTRIBUTION).get_all("Project-URL")
        or []
    )
    repository = urls["Repository"]
    assert urls["Issues"] == f"{repository}/issues"
    assert urls["Changelog"] == f"{repository}/blob/main/CHANGELOG.md"
    assert (ROOT / "CHANGELOG.md").is_file()
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["repository-code"] == repository
    assert citation["url"] == urls["Documentation"]


def test_the_citation_and_the_changelog_know_the_version() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["version"] == backprop.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text()
    # Keep a Changelog: an Unreleased section, then one per release, newest first.
    releases = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.MULTILINE)
    assert releases[0] == "Unreleased"
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in releases[1:])
    assert [_version(v) for v in releases[1:]] == sorted(
        (_version(v) for v in releases[1:]), reverse=True
    )
    for release in releases:  # every heading links somewhere
        assert re.search(rf"^\[{re.escape(release)}\]: https://", changelog, re.M)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_the_lowest_environment_pins_exactly_the_declared_lower_bounds() -> None:
    # make test-lowest installs requirements/lowest.txt; it proves the bounds only
    # while it pins each runtime dependency at the bound pyproject.toml declares.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    declared = {}
    for requirement in project["dependencies"] + extras["figures"] + extras["data"]:
        name, bound = re.fullmatch(r"([\w-]+)>=([\d.]+)", requirement).groups()
        declared[name] = bound
    pinned = dict(
        re.fullmatch(r"([\w-]+)==([\d.]+)", line).groups()
        for line in (ROOT / "requirements" / "lowest.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert set(declared) == {"numpy", "matplotlib", "scikit-learn"}
    for name, bound in declared.items():
        assert _version(pinned[name]) == _version(bound) + (0,) * (
            len(_version(pinned[name])) - len(_version(bound))
        ), name
