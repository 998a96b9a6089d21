"""The shape of the code a newcomer relies on: no import circle between our modules, and no
import hidden inside a function to work around one."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("clinic", "clinics", "exercises", "prescriptions")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".")
            base = base[: len(base) - node.level + (1 if is_package else 0)]
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module
        return [target, *(f"{target}.{alias.name}" for alias in node.names)]
    return []


def _top_level_imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        targets = set()
        for node in tree.body:
            for name in _imported(node, module, is_package):
                if name in modules and name != module:
                    targets.add(name)
        graph[module] = targets
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_our_modules_import_each_other_without_a_circle():
    assert _cycle(_top_level_imports(_project_modules())) is None


def test_no_function_imports_one_of_our_modules_except_app_start_up():
    modules = _project_modules()
    hidden = []
    for module, path in modules.items():
        if path.name == "apps.py":
            continue  # AppConfig.ready() is where Django wants late imports
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                names = _imported(node, module, path.name == "__init__.py")
                if any(name.split(".")[0] in PACKAGES for name in names):
                    hidden.append(f"{module}.{function.name}")
    assert hidden == []


def test_the_shared_package_imports_no_app():
    """`clinic/` is what every app builds on (settings, the API's and the admin's shared
    parts); an app that needs something there registers it (the admin's home panels)."""
    apps = {package for package in PACKAGES if package != "clinic"}
    modules = _project_modules()
    leaks = {
        module: sorted(target for target in targets if target.split(".")[0] in apps)
        for module, targets in _top_level_imports(modules).items()
        if module.split(".")[0] == "clinic"
    }
    assert {module: targets for module, targets in leaks.items() if targets} == {}


def test_the_circle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
