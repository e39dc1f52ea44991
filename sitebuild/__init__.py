"""The site's build, in a form both MkDocs and Zensical can run.

Not part of the ``backprop`` package. ``sitebuild/README.md`` describes the
pipeline (the pre-build, the hooks, the Markdown extensions) once, for all.
"""
