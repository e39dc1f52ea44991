"""MkDocs hook: "edit this page" leads to the file a generated page is made from.

A notebook's page links to its notebook; the equation index, worked out from
many files, has no edit link. The links appear only when the deploy sets
REPO_URL and EDIT_URI (see mkdocs.yml).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from sitebuild.prebuild import edit_source


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in files.documentation_pages():
        file.edit_uri = edit_source(Path(config.docs_dir), file.src_uri)
    return files
