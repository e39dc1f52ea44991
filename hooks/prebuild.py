"""MkDocs hook: run the pre-build (sitebuild.prebuild) before every build.

``make site`` runs the pre-build itself before ``mkdocs build``; this hook runs
it again (a second run with nothing changed writes nothing and takes well
under a second) so that ``mkdocs build`` on its own and every rebuild of
``mkdocs serve`` see generated files that match the sources: an edit to
``backprop/`` redraws the figures. It holds no logic of its own; Zensical,
which skips MkDocs hooks, gets the same files from ``make site-zensical``.
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
