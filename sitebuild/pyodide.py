"""Pre-build step: what the pages' Run buttons need, under ``docs/pyodide/``.

The ```pycon examples on the pages run in the reader's browser with Pyodide
(CPython compiled to WebAssembly), loaded only when a Run button is pressed
(docs/javascripts/run-examples.js). Everything comes from the site itself:

* the Pyodide runtime, from the npm package ``pyodide`` pinned in package.json:
  ``pyodide.js``, its WebAssembly, the standard library and the lock file;
* NumPy's wheel for that runtime, vendored in ``vendor/pyodide/``. It is taken
  only if its sha256 equals the numpy entry of the runtime's lock file, and
  Pyodide checks the same hash again when it loads it;
* a wheel of this repository's ``backprop`` package, built from the working
  tree by ``pip wheel`` with the project's own build backend (hatchling), and a
  zip of the files that pages' examples read (the benchmark records);
* ``manifest.json``: versions and file names, for the worker.
* ``digits.npz``: the handwritten digits that the lab page's Train button
  trains on: the package's own file ``backprop/digits.npz``
  (which the browser does not load); the manifest holds its sha256, which the
  page checks before use.

Every file is a function of its inputs alone: the wheel is built with
``SOURCE_DATE_EPOCH`` fixed, and the zip's entries carry a fixed date, so two
builds give the same bytes. ``write(out_dir)`` writes the files into any
folder; ``python -m sitebuild.pyodide OUT_DIR`` runs it alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sitebuild.files import ROOT, BuildError, cache_folder, mirror, source_hash

PYODIDE = ROOT / "node_modules" / "pyodide"
VENDOR = ROOT / "vendor" / "pyodide"
# The runtime's files that the browser fetches (no source maps, no typings).
RUNTIME = [
    "pyodide.js",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
]
# Packages served beside the runtime from vendor/, by their name in the lock.
VENDORED = ["numpy"]
# Folders of the repository whose files the examples read (relative paths, as
# the tests run with the repository as the working directory).
DATA = ["benchmarks/results"]
# The digits for the lab page (backprop.lab), by the name the page asks for.
DIGITS = "digits.npz"
# The folder of docs/ (and of the site) the files go to.
FOLDER = "pyodide"
# The date of every zip entry: the earliest a zip can hold; and the same date
# as SOURCE_DATE_EPOCH, in seconds, for the wheel's build backend.
EPOCH = (1980, 1, 1, 0, 0, 0)
SOURCE_DATE_EPOCH = "315532800"


def _zip(files: dict[str, bytes]) -> bytes:
    """A zip of `files` (path -> bytes), the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def wheel_sources() -> list[Path]:
    """What the wheel of ``backprop/`` is built from: the package and its metadata."""
    package = [
        path
        for path in (ROOT / "backprop").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    return [
        *package,
        *(ROOT / name for name in ("pyproject.toml", "README.md", "LICENSE")),
    ]


def build_wheel(out_dir: Path) -> None:
    """Build the wheel of ``backprop/`` into `out_dir` with ``pip wheel``."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",  # hatchling is pinned in requirements/docs.txt
            "--wheel-dir",
            str(out_dir),
            str(ROOT),
        ],
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BuildError(f"pip wheel could not build backprop:\n{done.stderr}")


def backprop_wheel() -> tuple[str, bytes]:
    """The wheel of ``backprop/`` (pure Python): its file name and bytes.

    Building it takes a few seconds, so it is kept in
    ``.build-cache/wheel/<key>/``, keyed by a hash of :func:`wheel_sources`.
    """
    folder = cache_folder("wheel", source_hash(wheel_sources()), build_wheel)
    (wheel,) = folder.glob("*.whl")
    return wheel.name, wheel.read_bytes()


def example_data() -> bytes:
    """The files under DATA, zipped with their paths in the repository."""
    return _zip(
        {
            path.relative_to(ROOT).as_posix(): path.read_bytes()
            for folder in DATA
            for path in sorted((ROOT / folder).rglob("*"))
            if path.is_file()
        }
    )


def digits() -> bytes:
    """The package's handwritten digits, the file the lab page trains on."""
    return (ROOT / "backprop" / DIGITS).read_bytes()


def checked_wheel(lock: dict[str, object], package: str) -> tuple[str, bytes]:
    """A vendored wheel whose sha256 equals the lock's entry; refused otherwise."""
    packages = lock["packages"]
    assert isinstance(packages, dict)
    entry = packages[package]
    wheel = VENDOR / entry["file_name"]
    shown = wheel.relative_to(ROOT) if wheel.is_relative_to(ROOT) else wheel
    if not wheel.is_file():
        raise BuildError(
            f"{shown} is missing: this Pyodide wants {package} "
            f"{entry['version']}; vendor/pyodide/README.md says where it comes from"
        )
    data = wheel.read_bytes()
    found = hashlib.sha256(data).hexdigest()
    if found != entry["sha256"]:
        raise BuildError(
            f"{shown} has sha256 {found}, but the pyodide-lock.json "
            f"of node_modules/pyodide records {entry['sha256']}: refusing it"
        )
    return entry["file_name"], data


def assets() -> dict[str, bytes]:
    """Every file of the folder: relative name -> bytes."""
    if not (PYODIDE / "pyodide-lock.json").is_file():
        raise BuildError(
            "Pyodide is not in node_modules: run `npm ci` (`make install` does)"
        )
    lock = json.loads((PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    files = {name: (PYODIDE / name).read_bytes() for name in RUNTIME}
    for package in VENDORED:
        name, data = checked_wheel(lock, package)
        files[name] = data
    wheel, files[wheel] = backprop_wheel()
    files["example-data.zip"] = example_data()
    # Files a page's explorable asks for by name, fetched only then.
    files[DIGITS] = digits()
    manifest = {
        "pyodide": lock["info"]["version"],
        "python": lock["info"]["python"],
        "packages": VENDORED,
        "versions": {p: lock["packages"][p]["version"] for p in VENDORED},
        "backprop": wheel,
        "data": "example-data.zip",
        "sha256": {DIGITS: hashlib.sha256(files[DIGITS]).hexdigest()},
    }
    files["manifest.json"] = (json.dumps(manifest, indent=1) + "\n").encode()
    return files


def write(out_dir: Path) -> None:
    """Make `out_dir` hold exactly the files of :func:`assets`."""
    mirror(out_dir, assets())


def pyodide(docs: Path) -> None:
    """The pre-build step: the files under ``docs/pyodide/``."""
    write(docs / FOLDER)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m sitebuild.pyodide OUT_DIR")
    try:
        write(Path(sys.argv[1]))
    except BuildError as error:
        sys.exit(f"pyodide assets: {error}")
