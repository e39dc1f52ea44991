"""What every pre-build step shares: where things are, writing only what changed, the cache."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# Slow results (figures, the executed notebook) are kept here between builds;
# the reproducibility test points BACKPROP_CACHE at an empty folder. Not in
# .cache/, which is Zensical's and which `zensical build --clean` empties.
CACHE = Path(os.environ.get("BACKPROP_CACHE", ROOT / ".build-cache"))


class BuildError(RuntimeError):
    """A step could not write its files; the message says why."""


def write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that; True if written.

    The new bytes go to a temporary file that then replaces the old one, so a
    reader never sees half a file.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def mirror(folder: Path, files: Mapping[str, bytes]) -> int:
    """Make `folder` hold exactly `files` (relative path -> bytes); the count written.

    Files already holding the right bytes are left alone; files that are not in
    `files` are removed, and so are folders left empty.
    """
    written = sum(write(folder / name, data) for name, data in files.items())
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and name not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written


def source_hash(paths: Iterable[Path], *extra: str) -> str:
    """A short hash of the files' names and bytes, the interpreter, and `extra`."""
    digest = hashlib.sha256(sys.version.encode())
    for text in extra:
        digest.update(text.encode())
    for path in sorted(paths):
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        digest.update(name.as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def package_sources() -> list[Path]:
    """What the package computes from: its source and the benchmark records."""
    return [
        *(ROOT / "backprop").rglob("*.py"),
        *(ROOT / "benchmarks" / "results").glob("*.json"),
    ]


def cache_folder(kind: str, key: str, make: Callable[[Path], None]) -> Path:
    """``CACHE/kind/key``, made by ``make(folder)`` if it does not exist yet.

    `make` fills a fresh temporary folder, which then takes the final name, so
    a failure leaves nothing behind and two builds at once cannot mix their
    files. Older keys of the same kind are removed.
    """
    base = CACHE / kind
    folder = base / key
    if folder.is_dir():
        return folder
    base.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=base, prefix=f".{key}."))
    partial.chmod(0o755)  # mkdtemp's folder is private
    try:
        make(partial)
        partial.rename(folder)
    except OSError:
        if not folder.is_dir():  # not another build's finished folder
            raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    for old in base.iterdir():
        if old.name != folder.name and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return folder
