"""MkDocs hook: run the notebooks again only when they or the package change.

mkdocs-jupyter can keep each executed notebook's HTML in a cache, but its key
is made from the notebook file alone: after an edit to ``backprop/`` it would
go on showing outputs that the old package computed. This hook moves that cache
to ``.cache/notebooks/<key>/`` (beside the figures' cache), with the key of the figures (the package's
source, the benchmark records and the interpreter), and deletes the folders of
older keys. A rebuild after editing a page then skips the notebook's run, and
any change that could alter its outputs runs it afresh.
"""

from __future__ import annotations

import shutil

from mkdocs.config.defaults import MkDocsConfig

from sitebuild.figures import key
from sitebuild.files import CACHE as CACHES

CACHE = CACHES / "notebooks"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    folder = CACHE / key()
    for old in CACHE.glob("*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    jupyter = config.plugins["mkdocs-jupyter"].config
    jupyter["cache"] = True
    jupyter["cache_dir"] = str(folder)
    return config
