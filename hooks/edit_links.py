"""MkDocs hook: "edit this page" leads to the file a page is made from.

The pre-build writes some pages into ``docs/`` from other sources (see
sitebuild/): a notebook's page ``NAME.md`` from ``NAME.ipynb``, and the equation
index from the pages, docstrings and tests. Those pages are not in the
repository, so an edit link to them would lead nowhere: a notebook's page links
to its notebook, and the equation index has no edit link. The links appear only
when the deploy sets REPO_URL and EDIT_URI (see mkdocs.yml).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from sitebuild.equation_index import PAGE as EQUATION_INDEX


def on_files(files: Files, config: MkDocsConfig) -> Files:
    docs = Path(config.docs_dir)
    for file in files.documentation_pages():
        if file.src_uri == EQUATION_INDEX:
            file.edit_uri = None
        elif (docs / file.src_uri).with_suffix(".ipynb").is_file():
            file.edit_uri = str(Path(file.src_uri).with_suffix(".ipynb").as_posix())
    return files
