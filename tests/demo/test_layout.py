import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


def test_nothing_imports_from_demo():
    folders = [
        folder
        for folder in ROOT.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(".")
        and folder.name not in {"demo", "tests", "var", "node_modules"}
    ]
    importers = sorted(
        str(path.relative_to(ROOT))
        for folder in folders
        for path in folder.glob("**/*.py")
        if any(m == "demo" or m.startswith("demo.") for m in _imported_modules(path))
    )
    assert importers == []
