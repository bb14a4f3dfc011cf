"""The package: its command line (`cli.py`), settings and logging (`core/`); add its own modules here."""
