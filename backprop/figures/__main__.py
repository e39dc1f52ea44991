"""Write every figure of the site as SVG: ``python -m backprop.figures DIR``."""

import sys
from pathlib import Path

from backprop.figures import write_all

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m backprop.figures DIR")
    for path in write_all(Path(sys.argv[1])):
        print(path)
