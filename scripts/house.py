"""Measure the house: modules, import arrows, floors, cycles, upward imports, largest files.

    python scripts/house.py [--json]

A *floor* is a module's height in the import graph of the project's own modules (a module that
imports none of ours is on floor 1). Every import is counted, the lazy ones inside functions
too, since they bind the modules just the same. ``tests/architecture/`` asserts what must hold
(no cycle, no Streamlit in the library); this script prints the numbers for the closing note.
"""

from __future__ import annotations

import ast
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The product's code: the library, the dashboard's plumbing, the pages and the entry file.
PARTS = ("valuechain", "dashboard", "pages")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files() -> list[Path]:
    files = [ROOT / "app.py"] if (ROOT / "app.py").exists() else []
    for part in PARTS:
        files += sorted(p for p in (ROOT / part).rglob("*.py") if "migrations" not in p.parts)
    return files


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The project's modules that ``path`` imports (absolute or relative, at any depth)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            # The deepest module of ours the name reaches: ``a.b.c`` is module a.b when c is a name in it.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> tuple[dict[str, set[str]], dict[str, Path]]:
    paths = {module_name(p): p for p in project_files()}
    modules = set(paths)
    arrows = {name: imports_of(path, modules) for name, path in paths.items()}
    # A package's __init__ importing its own modules is not an arrow between rooms.
    for name in arrows:
        arrows[name] = {t for t in arrows[name] if not (t.startswith(name + ".") and paths[name].name == "__init__.py")}
    return arrows, paths


def cycles(arrows: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in arrows.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in arrows:
        if node not in index:
            visit(node)
    return found


def floors(arrows: dict[str, set[str]]) -> dict[str, int]:
    height: dict[str, int] = {}

    def of(node: str, seen: tuple[str, ...] = ()) -> int:
        if node in height:
            return height[node]
        if node in seen:  # a cycle: counted once, reported by cycles()
            return 0
        height[node] = 1 + max((of(t, (*seen, node)) for t in arrows.get(node, ())), default=0)
        return height[node]

    for node in arrows:
        of(node)
    return height


def room_of(module: str) -> str:
    """The room a module is in: a wing of the library (``valuechain.chain``), a ground-floor
    module of its own (``valuechain.model``), the dashboard's plumbing, the pages, the entry."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "valuechain" else parts[0]


def rooms(arrows: dict[str, set[str]]) -> dict[str, set[str]]:
    """The import graph between rooms (arrows inside one room left out)."""
    between: dict[str, set[str]] = defaultdict(set)
    for module, targets in arrows.items():
        between[room_of(module)] |= {room_of(t) for t in targets if room_of(t) != room_of(module)}
    return dict(between)


def measure() -> dict:
    arrows, paths = graph()
    between = rooms(arrows)
    library_rooms = {
        r: {t for t in a if t.startswith("valuechain")} for r, a in between.items() if r.startswith("valuechain")
    }
    heights = floors(arrows)
    library = {n: a for n, a in arrows.items() if n.startswith("valuechain")}
    library_heights = floors({n: {t for t in a if t in library} for n, a in library.items()})
    sizes = sorted(
        ((len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(ROOT))) for p in paths.values()),
        reverse=True,
    )
    return {
        "modules": len(arrows),
        "arrows": sum(len(a) for a in arrows.values()),
        "floors": max(heights.values(), default=0),
        "library_modules": len(library),
        "library_arrows": sum(len({t for t in a if t in library}) for a in library.values()),
        "library_floors": max(library_heights.values(), default=0),
        "rooms": len(between),
        "room_arrows": sum(len(a) for a in between.values()),
        "room_floors": max(floors(between).values(), default=0),
        "library_rooms": len(library_rooms),
        "library_room_arrows": sum(len(a) for a in library_rooms.values()),
        "library_room_floors": max(floors(library_rooms).values(), default=0),
        "room_cycles": cycles(between),
        "cycles": cycles(arrows),
        "largest_files": [{"lines": n, "file": f} for n, f in sizes[:8]],
    }


def main() -> int:
    result = measure()
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2))
        return 0
    print(f"modules {result['modules']}, import arrows {result['arrows']}, floors {result['floors']}")
    print(
        f"library: modules {result['library_modules']}, arrows {result['library_arrows']}, "
        f"floors {result['library_floors']}"
    )
    print(
        f"rooms {result['rooms']}, arrows between rooms {result['room_arrows']}, floors {result['room_floors']}"
        f" (library: {result['library_rooms']} rooms, {result['library_room_arrows']} arrows, "
        f"{result['library_room_floors']} floors)"
    )
    print(f"cycles: {result['cycles'] or 'none'}; between rooms: {result['room_cycles'] or 'none'}")
    for row in result["largest_files"]:
        print(f"  {row['lines']:>5}  {row['file']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
