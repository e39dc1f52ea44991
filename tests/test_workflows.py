"""The GitHub workflows: pinned actions, bounded jobs, one run per commit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

WORKFLOWS = sorted(
    (Path(__file__).resolve().parent.parent / ".github" / "workflows").glob("*.yml")
)


def _load(path: Path) -> dict:
    workflow: dict = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version(path: Path) -> None:
    uses = re.findall(r"uses: (\S+)(.*)", path.read_text())
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), (action, comment)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout_and_node_is_a_current_lts(path: Path) -> None:
    workflow = _load(path)
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 90, name
        for step in job["steps"]:
            version = step.get("with", {}).get("node-version")
            if version is not None:  # an even major from 24 on: LTS, not past its end
                assert int(version) >= 24, (name, version)
                assert int(version) % 2 == 0, (name, version)


def test_ci_runs_once_per_commit() -> None:
    ci = _load(next(p for p in WORKFLOWS if p.name == "ci.yml"))
    # Branches are tested through their pull requests; push only for main.
    assert ci["on"]["push"] == {"branches": ["main"]}
    assert "pull_request" in ci["on"]
    assert ci["concurrency"]["cancel-in-progress"] is True
