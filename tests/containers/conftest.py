"""The container check script, importable by the tests although it has no .py suffix."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from types import ModuleType

import pytest
from support import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "container-check"


@pytest.fixture(scope="session")
def container_check() -> ModuleType:
    """scripts/container-check as a module (registered first: its dataclasses look themselves up)."""
    loader = importlib.machinery.SourceFileLoader("container_check", str(SCRIPT))
    spec = importlib.util.spec_from_loader("container_check", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["container_check"] = module
    loader.exec_module(module)
    return module
