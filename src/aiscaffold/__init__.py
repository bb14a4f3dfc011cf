"""aiscaffold: production-ready AI project skeletons from Copier templates."""

__version__ = "0.1.0"
