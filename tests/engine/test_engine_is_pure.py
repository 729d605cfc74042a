"""The engine is plain Python: no Django, no clock, no environment, no floats; and the
example in its module docstring runs as written."""

import ast
import doctest
import subprocess
import sys
from pathlib import Path

import pytest

import programs.engine

ENGINE = Path(programs.engine.__file__).parent
MODULES = sorted(ENGINE.glob("*.py"))
ALLOWED_IMPORTS = {
    "collections",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "functools",
    "re",
    "types",
    "typing",
}


def parsed(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_importing_the_engine_loads_no_django_module():
    code = (
        "import sys, programs.engine\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    root = ENGINE.parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_engine_modules_import_only_the_standard_library_and_each_other(path):
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in ALLOWED_IMPORTS, f"{path.name} imports {name}"
            assert not name.startswith("django")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_engine_never_reads_the_clock_or_uses_floats(path):
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in {"now", "today", "utcnow", "getenv"}, path.name
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"float", "open", "input"}, path.name
        if isinstance(node, ast.Constant):
            assert not isinstance(node.value, float), f"float literal in {path.name}"


def test_module_docstring_documents_the_entry_points_with_a_runnable_example():
    doc = programs.engine.__doc__ or ""
    for name in (
        "plan_next_week",
        "check_within_cap",
        "evaluate_exit_criteria",
        "time_contingent_quotas",
        "project",
        "acwr",
    ):
        assert name in doc
    results = doctest.testmod(programs.engine, verbose=False)
    assert results.attempted > 0
    assert results.failed == 0
