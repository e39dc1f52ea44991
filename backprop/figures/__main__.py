"""Write every figure of the site as SVG: ``python -m backprop.figures DIR RECORDS``.

RECORDS is the folder of benchmark records (``benchmarks/results/`` of the
repository) that the performance page's figures are drawn from.
"""

import sys
from pathlib import Path

from backprop.figures import write_all
from backprop.figures.performance import read_records

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m backprop.figures DIR RECORDS")
    for path in write_all(Path(sys.argv[1]), read_records(Path(sys.argv[2]))):
        print(path)
