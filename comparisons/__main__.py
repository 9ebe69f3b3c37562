"""`python -m comparisons`: see comparisons/cli.py."""

import sys

from comparisons.cli import main

sys.exit(main())
