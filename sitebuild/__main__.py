"""``python -m sitebuild [DOCS_FOLDER]``: run the pre-build (see sitebuild.prebuild)."""

import sys

from sitebuild.prebuild import main

sys.exit(main())
