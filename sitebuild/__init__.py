"""The site's build, in a form both MkDocs and Zensical can run.

Nothing here is part of the ``backprop`` package; it is the tooling that turns
``docs/`` and the package into the site:

* :mod:`sitebuild.prebuild` writes the generated files into ``docs/`` before
  either builder starts (``python -m sitebuild``): a list of steps, each a
  function of the output folder. Its docstring says how to add one. The steps:
  :mod:`sitebuild.figures` draws the figures into ``docs/figures/``;
  ``sitebuild.katex.katex_assets`` copies KaTeX's stylesheet and fonts;
  :mod:`sitebuild.notebook` runs each notebook and writes its page
  (``docs/lab.md``); ``sitebuild.equations.equation_index`` checks the equation
  numbering and writes ``docs/equations.md``; :mod:`sitebuild.pyodide` copies
  the in-browser Python runtime.
* Markdown extensions, listed in ``markdown_extensions`` of ``mkdocs.yml``:
  ``sitebuild.katex`` typesets the math with KaTeX at build time and anchors
  each numbered equation; ``sitebuild.phone`` gives narrow screens each
  figure's phone layout; ``sitebuild.equations`` links each "eq. (N)" of the
  API reference to the equation.

No MkDocs hook holds site logic: ``hooks/prebuild.py`` only runs the pre-build
before each MkDocs build, so that ``mkdocs serve`` redraws after an edit.

The repository's root is on ``sys.path`` wherever the site is built: the
development install is editable (``pip install --editable``), which puts the
root there, and ``make site-zensical`` writes a ``.pth`` file that does the same
in Zensical's own environment. Markdown extensions are imported by their dotted
name (``sitebuild.katex``), so this is what lets both builders find them.
"""
