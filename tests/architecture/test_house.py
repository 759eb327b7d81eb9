"""The house one can see: wings that import downwards only, a library without Streamlit, pages
that draw, loggers the programs configure.

scripts/house.py measures the import graph (every import, the lazy ones inside functions too);
these tests hold what must stay true of it.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from helpers import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import house  # noqa: E402

# The library's wings, lowest first: a wing may import its own modules and the wings below it,
# never one above. The ground floor holds the data shapes and words every wing uses.
GROUND = (
    "valuechain.model",
    "valuechain.cells",
    "valuechain.vocabulary",
    "valuechain.performance",
    "valuechain.errors",
    "valuechain.incidents",
    "valuechain.words",
)
WINGS = (
    "ground",
    "valuechain.reading",
    "valuechain.workbook",
    "valuechain.accounts",
    "valuechain.chain",
    "valuechain.media",
    "valuechain.store",
    "valuechain.workshop",
    "valuechain.access",
    "valuechain.cli",
)


def wing_of(module: str) -> str | None:
    if module.startswith(GROUND):
        return "ground"
    if module == "valuechain":  # the package's front door: load_paths reads and validates
        return "valuechain.reading"
    if module == "valuechain.__main__":
        return "valuechain.cli"
    return next((wing for wing in WINGS[1:] if module == wing or module.startswith(wing + ".")), None)


def test_no_module_imports_another_that_imports_it_back(arrows):
    assert house.cycles(arrows) == []


def test_every_library_module_is_in_a_wing(arrows):
    assert [m for m in arrows if m.startswith("valuechain") and wing_of(m) is None] == []


def test_a_wing_imports_only_itself_and_the_wings_below_it(arrows):
    upward = []
    for module, targets in arrows.items():
        if not module.startswith("valuechain") or module == "valuechain":
            continue
        floor = WINGS.index(wing_of(module))
        upward += [
            f"{module} → {t}"
            for t in targets
            if t.startswith("valuechain") and t != "valuechain" and WINGS.index(wing_of(t)) > floor
        ]
    assert upward == []


def _imported_names(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_library_imports_neither_streamlit_nor_the_dashboard():
    for path in (ROOT / "valuechain").rglob("*.py"):
        wrong = {n for n in _imported_names(path) if n.split(".")[0] in {"streamlit", "dashboard", "pages"}}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_pages_import_no_other_page_and_the_dashboard_imports_no_page():
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").rglob("*.py")]:
        wrong = {n for n in _imported_names(path) if n.split(".")[0] == "pages"}
        assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_library_loggers_are_named_after_their_module():
    """Every logger is its module's; the package's own logger is named only where the programs
    (CLI, app) give it its handlers (incidents.configure_logging)."""
    for path in (ROOT / "valuechain").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        configuring = {
            id(node)
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef) and function.name == "configure_logging"
            for node in ast.walk(function)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "getLogger" and node.args:
                argument = ast.unparse(node.args[0])
                allowed = {"__name__", "'valuechain'"} if id(node) in configuring else {"__name__"}
                assert argument in allowed, f"{path.relative_to(ROOT)}: getLogger({argument})"


def test_importing_the_whole_library_adds_no_logging_handler_but_a_null_one():
    """The logging guide: a library adds only a NullHandler; the programs (CLI, app) set the rest."""
    probe = (
        "import logging, pkgutil, importlib, valuechain\n"
        "for m in pkgutil.walk_packages(valuechain.__path__, 'valuechain.'):\n"
        "    if '.migrations' not in m.name and m.name != 'valuechain.__main__': importlib.import_module(m.name)\n"
        "print(sorted(type(h).__name__ for h in logging.getLogger('valuechain').handlers),"
        " len(logging.getLogger().handlers))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["['NullHandler']", "0"], done.stdout + done.stderr


def test_query_parameters_are_named_once_in_the_dashboards_state():
    """An address's parameters (?presentation=, ?animateur=, ?code=…) are read and written through
    dashboard/state.py's names: a literal key at ``st.query_params`` elsewhere is a second home."""
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            target = None
            if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("query_params"):
                target = node.slice
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and ast.unparse(node.func.value).endswith("query_params")
                and node.args
            ):
                target = node.args[0]
            if target is not None:
                assert not isinstance(target, ast.Constant), f"{path.relative_to(ROOT)}: query_params[{target.value!r}]"
