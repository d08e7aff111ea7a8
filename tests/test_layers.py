"""The direction of imports ARCHITECTURE.md promises: pages and the API call the domain, the
domain uses the tables, and nothing lower reaches up. Read from the source, so a new import that
breaks the layering fails here rather than in a circular-import traceback months later."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = ("account", "admin", "api", "articles", "auth", "comments", "embed", "membership", "review")


def imported_modules(path):
    """Every module a file imports, as a dotted name under `service` where it is relative."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def files(folder):
    return sorted((ROOT / folder).rglob("*.py"))


def test_the_import_reader_resolves_relative_imports():
    found = imported_modules(ROOT / "service/domain/accounts/users.py")
    assert "service.models.User" in found and "service.domain.membership.perks.tier_of" in found


@pytest.mark.parametrize("path", files("service/models"), ids=lambda p: p.name)
def test_tables_import_no_domain_and_no_pages(path):
    reached = {m for m in imported_modules(path) if m.startswith("service.")}
    bad = {m for m in reached if m.startswith("service.domain") or m.split(".")[1] in BLUEPRINTS}
    assert not bad, f"{path.name} reaches up into {sorted(bad)}"


@pytest.mark.parametrize(
    "path", files("service/domain") + files("service/background"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_domain_and_background_import_no_pages(path):
    bad = {m for m in imported_modules(path) if m.startswith("service.") and m.split(".")[1] in BLUEPRINTS}
    assert not bad, f"{path.relative_to(ROOT)} imports the page module(s) {sorted(bad)}"


@pytest.mark.parametrize("path", files("moderation"), ids=lambda p: p.name)
def test_the_library_imports_neither_flask_nor_the_service(path):
    bad = {
        m for m in imported_modules(path) if m.split(".")[0] in ("flask", "flask_login", "flask_sqlalchemy", "service")
    }
    assert not bad, f"moderation/{path.name} imports {sorted(bad)}"
