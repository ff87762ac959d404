"""Dependencies point one way: companies builds on forums only (and on the audit log, which every
app may use and which uses none), and forums knows nothing of companies (the Organisation admin
is registered by companies, merges find relations by themselves)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FIRST_PARTY = {"accounts", "companies", "forums", "workshops", "registrations", "feedback"}
FIRST_PARTY |= {"reports", "demo", "outbox", "config", "audit"}


def first_party_imports(app: str) -> set[str]:
    """The project apps that `app`'s modules (its migrations included) import."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & FIRST_PARTY
    return found


def test_companies_imports_only_forums():
    assert first_party_imports("companies") == {"audit", "companies", "forums"}


def test_the_audit_log_and_the_outbox_import_no_other_app():
    assert first_party_imports("audit") == {"audit"}
    assert first_party_imports("outbox") == {"outbox"}


def test_forums_does_not_import_companies():
    assert "companies" not in first_party_imports("forums")
