"""The pre-build step behind the in-browser examples (sitebuild/pyodide.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sitebuild import pyodide
from sitebuild.files import ROOT, BuildError

pytestmark = pytest.mark.skipif(
    not (pyodide.PYODIDE / "pyodide-lock.json").is_file(),
    reason="Pyodide is not in node_modules (npm ci)",
)


def lock() -> dict[str, dict[str, dict[str, str]]]:
    text = (pyodide.PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, dict[str, str]]] = json.loads(text)
    return data


def test_the_vendored_numpy_wheel_is_the_one_the_lock_file_names() -> None:
    entry = lock()["packages"]["numpy"]
    wheel = pyodide.VENDOR / entry["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    assert (
        (pyodide.VENDOR / "numpy-LICENSE.txt")
        .read_text()
        .startswith("Copyright (c) 2005-2024, NumPy Developers.")
    )


def test_a_wheel_whose_hash_differs_from_the_lock_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = lock()["packages"]["numpy"]
    data = bytearray((pyodide.VENDOR / entry["file_name"]).read_bytes())
    data[1000] ^= 1  # one bit
    (tmp_path / entry["file_name"]).write_bytes(bytes(data))
    monkeypatch.setattr(pyodide, "VENDOR", tmp_path)
    with pytest.raises(BuildError, match=r"sha256 .* records .*refusing it"):
        pyodide.assets()
    (tmp_path / entry["file_name"]).unlink()
    with pytest.raises(BuildError, match="is missing"):
        pyodide.assets()


def test_the_site_folder_holds_the_runtime_the_wheels_and_a_manifest(
    tmp_path: Path,
) -> None:
    pyodide.write(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    entry = lock()["packages"]["numpy"]
    expected = {
        *pyodide.RUNTIME,
        entry["file_name"],
        manifest["backprop"],
        manifest["data"],
        *manifest["sha256"],
        "manifest.json",
    }
    assert {path.name for path in tmp_path.iterdir()} == expected
    for name, sha256 in manifest["sha256"].items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == sha256
    assert (
        manifest["pyodide"]
        == json.loads((pyodide.PYODIDE / "package.json").read_text())["version"]
    )
    for name in pyodide.RUNTIME:
        assert (tmp_path / name).read_bytes() == (pyodide.PYODIDE / name).read_bytes()
    records = zipfile.ZipFile(tmp_path / manifest["data"]).namelist()
    assert sorted(records) == sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "benchmarks" / "results").rglob("*")
        if path.is_file()
    )


def test_the_backprop_wheel_is_reproducible_complete_and_importable(
    tmp_path: Path,
) -> None:
    # Two builds of the same sources, made apart, give the same bytes.
    for folder in ("one", "two"):
        pyodide.build_wheel(tmp_path / folder)
    (one,), (two,) = (sorted((tmp_path / f).glob("*.whl")) for f in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()
    name, data = pyodide.backprop_wheel()
    assert (name, data) == (one.name, one.read_bytes())
    archive = zipfile.ZipFile(io.BytesIO(data))
    modules = {
        path.relative_to(ROOT).as_posix() for path in (ROOT / "backprop").rglob("*.py")
    }
    assert modules <= set(archive.namelist())
    # Every file's hash in RECORD is right, as installers check.
    record = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
    for line in archive.read(record).decode().splitlines():
        path, digest, size = line.split(",")
        if path == record:
            continue
        content = archive.read(path)
        expected = base64.urlsafe_b64encode(hashlib.sha256(content).digest())
        assert digest == "sha256=" + expected.rstrip(b"=").decode()
        assert int(size) == len(content)
    # Imported from the wheel alone, the package is this one.
    wheel = tmp_path / name
    wheel.write_bytes(data)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); import backprop.graph;"
            " print(backprop.graph.__file__, backprop.__version__)",
            str(wheel),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    where, version = done.stdout.split()
    assert where.startswith(str(wheel))
    assert name.endswith(f"-{version}-py3-none-any.whl")
