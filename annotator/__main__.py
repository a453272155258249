"""``python -m annotator``: the same entry point as the ``annotator`` command."""

import sys

from annotator.app import main

sys.exit(main())
