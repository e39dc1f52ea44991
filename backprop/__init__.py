"""backprop: backpropagation from computational graphs to a working neural network.

Each module holds one idea of the site, in the order the site meets them:

* :mod:`backprop.graph`: computational graphs of scalars, forward and reverse mode;
* :mod:`backprop.calculus`: numerical derivatives, the reference for every check;
* :mod:`backprop.figures`: the site's figures, drawn from live objects
  (needs matplotlib).

>>> from backprop import Var
>>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
>>> ((a + b) * (b + 1)).gradient()
{'a': 2.0, 'b': 5.0}
"""

from backprop.graph import Var

__all__ = ["Var", "__version__"]
__version__ = "0.1.0"
