"""aiscaffold: production-ready AI project skeletons from Copier templates."""

__version__ = "0.2.0.dev2"
