"""The site's build, in a form both MkDocs and Zensical can run.

Nothing here is part of the ``backprop`` package; it is the tooling that turns
``docs/`` and the package into the site:

* :mod:`sitebuild.prebuild` writes the generated files into ``docs/`` before
  either builder starts (``python -m sitebuild``): a list of steps, each a
  function of the output folder. Its docstring says how to add one.
* :mod:`sitebuild.figures` is the step that draws the figures.

The repository's root is on ``sys.path`` wherever the site is built: the
development install is editable (``pip install --editable``), which puts the
root there, and ``make site-zensical`` writes a ``.pth`` file that does the same
in Zensical's own environment. Markdown extensions are imported by their dotted
name (``sitebuild.katex``), so this is what lets both builders find them.
"""
