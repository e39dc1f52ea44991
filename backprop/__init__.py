"""backprop: backpropagation from computational graphs to a working neural network.

Each module holds one idea of the site, in the order the site meets them:

* :mod:`backprop.graph`: computational graphs of scalars, forward and reverse mode;
* :mod:`backprop.activations`: the sigmoid and its derivative;
* :mod:`backprop.network`: the network, its forward pass, backpropagation and SGD;
* :mod:`backprop.training`: the same SGD steps engineered for speed, asked for
  by name: ``Trainer(net).SGD(...)``;
* :mod:`backprop.storage`: a network saved to a file, loaded back, or copied
  into another dtype;
* :mod:`backprop.costs`: the quadratic cost and its gradient;
* :mod:`backprop.descent`: gradient descent and SGD on a cost of two parameters;
* :mod:`backprop.calculus`: numerical derivatives, and one layer differentiated;
* :mod:`backprop.gradcheck`: backpropagation checked against finite differences;
* :mod:`backprop.worked`: one training step of a 2-2-2 network, every number shown;
* :mod:`backprop.lessons`: what the equations say about learning, measured;
* :mod:`backprop.reference`: the essay's per-example algorithm, the baseline;
* :mod:`backprop.modes`: forward and reverse mode on arrays, for timing;
* :mod:`backprop.data`: digits and MNIST in the network's format (``data`` extra);
* :mod:`backprop.figures`: the site's figures, drawn from live objects
  (``figures`` extra).

Importing the package loads NumPy only.

>>> from backprop import Network, Var
>>> a, b = Var(2.0, name="a"), Var(1.0, name="b")
>>> ((a + b) * (b + 1)).gradient()
{'a': 2.0, 'b': 5.0}
>>> Network([2, 3, 1], seed=0).feedforward([[0.5], [1.0]]).shape
(1, 1)
"""

from backprop.graph import Var
from backprop.network import Network

__all__ = ["Network", "Var", "__version__"]
__version__ = "0.1.0"
