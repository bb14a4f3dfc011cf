"""`python -m container_check`: see the package docstring."""

import sys

from container_check.cli import main

sys.exit(main())
