"""The installed distribution and the package agree on who they are."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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
    for requirement in project["dependencies"] + extras["figures"]:
        name, bound = re.fullmatch(r"([\w-]+)>=([\d.]+)", requirement).groups()
        declared[name] = bound
    pinned = dict(
        re.fullmatch(r"([\w-]+)==([\d.]+)", line).groups()
        for line in (ROOT / "requirements" / "lowest.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert set(declared) == {"numpy", "matplotlib", "threadpoolctl"}
    for name, bound in declared.items():
        assert _version(pinned[name]) == _version(bound) + (0,) * (
            len(_version(pinned[name])) - len(_version(bound))
        ), name


def _lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """A hashed lock written by `make lock`: name -> (version, its hashes)."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current = ""
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        pin = re.match(r"([A-Za-z0-9._-]+)==([^ ;\\]+)", line)
        if pin:
            current = canonicalize_name(pin[1])
            pins[current] = (pin[2], [])
        elif hashed := re.fullmatch(r"\s+--hash=sha256:([0-9a-f]{64})\s*\\?", line):
            pins[current][1].append(hashed[1])
    return pins


def _requirements(extras: list[str]) -> list[Requirement]:
    """What pyproject.toml asks for with these extras, its own extras followed."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted, seen, found = list(extras), set(), []
    own = canonicalize_name(project["name"])
    for requirement in map(Requirement, project["dependencies"]):
        found.append(requirement)
    while wanted:
        extra = wanted.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for requirement in map(Requirement, project["optional-dependencies"][extra]):
            if canonicalize_name(requirement.name) == own:
                wanted.extend(requirement.extras)
            else:
                found.append(requirement)
    return found


def test_the_locks_pin_every_requirement_within_its_bounds_with_hashes() -> None:
    # make install installs requirements/lock.txt with --require-hashes and the
    # project with --no-deps, so a requirement the lock lacks would be missing.
    for lock, extras in (("lock.txt", ["docs", "test"]), ("docs.txt", ["docs"])):
        pins = _lock(lock)
        for requirement in _requirements(extras):
            version = pins[canonicalize_name(requirement.name)][0]
            assert version in requirement.specifier, (lock, requirement, version)
        assert all(hashes for _, hashes in pins.values()), lock
    # The deploy's lock is the full lock's subset, at the same versions.
    full, docs = _lock("lock.txt"), _lock("docs.txt")
    assert {name: full[name][0] for name in docs} == {
        name: version for name, (version, _) in docs.items()
    }
    assert "pytest" in full
    assert "pytest" not in docs
