"""Entry point for ``python -m aiscaffold``."""

from aiscaffold.cli import main

main()
