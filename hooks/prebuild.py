"""MkDocs hook: run the pre-build before every build and every rebuild of ``mkdocs serve``.

So an edit to ``backprop/`` redraws the figures; a run with nothing changed
writes nothing. The pipeline is described in sitebuild/README.md.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from sitebuild.files import BuildError
from sitebuild.prebuild import run


def on_pre_build(config: MkDocsConfig) -> None:
    try:
        run(quiet=True)
    except BuildError as error:
        raise PluginError(str(error)) from error
