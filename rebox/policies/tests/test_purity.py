"""The engine is plain Python: its modules import no Django and no other app's models.

The package also holds the Django side (models, services, codec); those are not listed
here and may import what they need. The engine must never import them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
PURE = ["__init__.py", "types.py", "decision.py", "precedence.py", "law.py", "merchant.py", "fees.py",
        "engine.py", "validation.py", "floor.py", "explain.py", "messages.py", "words.py",
        "statutory/__init__.py", "statutory/model.py", "statutory/days.py"]
PURE_MODULES = {"rebox.policies." + name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
                for name in PURE}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("name", PURE)
def test_engine_module_imports_nothing_from_django_or_the_rest_of_rebox(name):
    for module in imported_modules(PACKAGE / name):
        assert not module.startswith("django"), f"{name} imports {module}"
        if module.startswith("rebox."):
            allowed = module in PURE_MODULES or module in ("rebox.policies", "rebox.core.money")
            assert allowed, f"{name} imports {module}"
