"""Run one page's ```pycon examples in Pyodide, as the tests run them natively.

docs/javascripts/run-examples-worker.js loads this file into Pyodide once and calls
:func:`run_block` with a block's text. The rules are those of the site's doctests
(conftest.py): one namespace per page, examples in order, doctest's
``ELLIPSIS | NORMALIZE_WHITESPACE`` comparison, and an expected exception matched
on its type and message. Each example's result goes back to the page as a dict.

The explorables that run the package in the page (the lab's Train button, the
performance page's timing) go through :func:`start_call` instead: a function of
the package, by name, whose results come back one at a time.
"""

from __future__ import annotations

import contextlib
import doctest
import hashlib
import importlib
import io
import sys
import traceback
from collections.abc import Iterator
from typing import Any

OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# Modules the in-browser Python does not load, with the reason shown to the reader.
LOCAL_ONLY = {
    "matplotlib": "it needs matplotlib, which the in-browser Python does not load",
    "sklearn": "it needs scikit-learn, which the in-browser Python does not load",
    "numba": "it needs numba, which compiles to machine code and does not run in the browser",
}

_parser = doctest.DocTestParser()
_checker = doctest.OutputChecker()
namespace: dict[str, Any] = {}
# Why the page's namespace cannot hold what a block needs, once an earlier block
# failed for a module that runs locally only.
missing: list[str] = []


def reset(owner: str | None = None) -> None:
    """A fresh namespace, as for a new page.

    For a docstring's examples (the API reference), `owner` is the documented
    object's dotted path; the namespace then starts as a copy of its module's,
    as doctest makes it.
    """
    namespace.clear()
    namespace["__name__"] = "__main__"
    missing.clear()
    parts = owner.split(".") if owner else []
    for end in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:end]))
        except ImportError as error:
            reason = _local_only(error)
            if reason is not None:
                missing.append(reason)
                return
            continue
        namespace.update(vars(module))
        return


def _local_only(error: BaseException) -> str | None:
    if isinstance(error, ImportError):
        name = (error.name or "").split(".")[0]
        if name in LOCAL_ONLY:
            return LOCAL_ONLY[name]
        # matplotlib 3.8 in Pyodide 0.27 lacks names that newer releases have.
        for module, reason in LOCAL_ONLY.items():
            if module in str(error):
                return reason
        if error.__cause__ is not None:
            return _local_only(error.__cause__)
    return None


def _flags(example: doctest.Example) -> int:
    flags = OPTIONFLAGS
    for flag, on in example.options.items():
        flags = flags | flag if on else flags & ~flag
    return flags


def run_block(text: str, name: str = "<example>") -> list[dict[str, Any]]:
    """Run every example of one block in the page's namespace; one dict each.

    Each dict holds the example's ``source`` and expected output ``want``, what it
    printed (``printed``), that followed by doctest's form of the exception it
    raised if any (``got``), whether ``got`` agrees with ``want`` (``ok``), the
    exception (``exception``, the last line of its traceback) and, when the example
    needs a module the browser does not have, the reason (``local_only``).
    """
    results: list[dict[str, Any]] = []
    for example in _parser.get_examples(text, name):
        flags = _flags(example)
        if flags & doctest.SKIP:
            continue
        out = io.StringIO()
        exception = None
        local_only = None
        try:
            code = compile(example.source, name, "single", dont_inherit=True)
            with contextlib.redirect_stdout(out):
                exec(code, namespace)
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            exception = traceback.format_exception_only(type(error), error)[-1]
            local_only = _local_only(error)
            if local_only is not None:
                missing.append(local_only)
            elif isinstance(error, NameError) and missing:
                local_only = "it uses a name from an earlier example: " + missing[0]
        got = printed = out.getvalue()
        if exception is None:
            ok = example.exc_msg is None and _checker.check_output(
                example.want, got, flags
            )
        else:
            got += "Traceback (most recent call last):\n  ...\n" + exception
            ok = example.exc_msg is not None and _checker.check_output(
                example.exc_msg, exception, flags
            )
        results.append(
            {
                "source": example.source,
                "want": example.want,
                "got": got,
                "printed": printed,
                "ok": bool(ok),
                "exception": exception,
                "local_only": local_only,
            }
        )
        sys.stdout.flush()
    return results


def start_call(
    name: str, kwargs: dict[str, Any], files: dict[str, str]
) -> Iterator[Any]:
    """The results of the package's function `name` (dotted) called with `kwargs`.

    `files` maps each file the call reads (written beside the working directory
    by the worker) to its sha256 from the site's manifest; a file with another
    hash is refused before anything runs.
    """
    for path, sha256 in files.items():
        with open(path, "rb") as file:
            found = hashlib.sha256(file.read()).hexdigest()
        if found != sha256:
            raise ValueError(f"{path} has sha256 {found}, expected {sha256}")
    module, _, function = name.rpartition(".")
    if module.split(".")[0] != "backprop":
        raise ValueError(f"only the package's own functions run here, not {name}")
    results: Iterator[Any] = getattr(importlib.import_module(module), function)(
        **kwargs
    )
    return results


reset()
