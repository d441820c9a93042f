"""The map of the house, checked: which package may import which, and no cycles.

Every import counts, at module level or inside a function: an import inside a function
still runs, and hiding one there to dodge a cycle is exactly what this test refuses.

The server's packages sit in layers; a package may import its own layer or lower ones,
never a higher one, and the packages of one layer must not import each other in a circle:

    8  app.__main__                              the command line
    7  app (create_app)                          the factory
    6  app.blueprints, app.sockets, app.tensorboard, app.assets  views, the logdir mirror, static files
    5  app.services                              the write path: one function per mutation
    4  app.auth, app.broadcast, app.alerts       who may do what; the pushes to browsers;
                                                 alert rules, their worker and webhooks
    3  app.state                                 the store (its `publish` is injected)
    2  app.jsonio                                JSON for files and sockets
    1  app.panes, app.api_spec                   pure functions over window data; the API's description
    0  app.common, app.config, app.extensions, app.memory

The client (visdom_client) has no import cycle between its modules, and its framework
helpers (visdom_client.integrations) import no framework until one is used.
"""

import ast
import functools
import itertools
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

LAYERS = {
    "app.common": 0,
    "app.config": 0,
    "app.extensions": 0,
    "app.memory": 0,
    "app.worker": 0,
    "app.version": 0,
    "app.panes": 1,
    "app.api_spec": 1,
    "app.jsonio": 2,
    "app.state": 3,
    "app.auth": 4,
    "app.broadcast": 4,
    "app.alerts": 4,
    "app.services": 5,
    "app.blueprints": 6,
    "app.sockets": 6,
    "app.tensorboard": 6,
    "app.assets": 6,
    "app": 7,
    "app.__main__": 8,
}

# Modules that may be this long, each with its reason at its top. Keep it short.
MAX_LINES = 500
SIZE_EXEMPT = ()


def _modules(package):
    """Return {dotted module name: (path, is_package)} for every .py file under `package`."""
    out = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        out[".".join(parts)] = (path, is_package)
    return out


def _targets(modules, name, is_package, node):
    """Return the modules of the package that import statement `node` in `name` loads."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - node.level + 1]
            source = ".".join(base + ([node.module] if node.module else []))
        else:
            source = node.module
        # `from pkg import mod` loads pkg.mod; `from mod import name` loads mod.
        subs = [f"{source}.{alias.name}" for alias in node.names]
        targets = [s for s in subs if s in modules] or [source]
    return [t for t in targets if t in modules or any(m.startswith(t + ".") for m in modules)]


@functools.cache
def _imports(package):
    """Return [(importer, imported, line)] for every import of the package by itself."""
    modules = _modules(package)
    edges = []  # a tuple: the answer is cached and shared by the tests
    for name, (path, is_package) in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(modules, name, is_package, node):
                    if target != name:
                        edges.append((name, target, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return tuple(edges)


def _unit(module):
    """app.services.windows -> app.services; app.common -> app.common; app -> app."""
    return ".".join(module.split(".")[:2])


def _cycles(edges):
    """Return the strongly connected groups of more than one node (Tarjan)."""
    graph = {}
    for a, b, _ in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = itertools.count()

    def visit(v):
        index[v] = low[v] = next(counter)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def _where(edges, group):
    return [f"{a} -> {b} ({at})" for a, b, at in edges if a in group and b in group]


def test_every_server_package_has_a_layer():
    units = {_unit(name) for name in _modules("app")}
    missing = sorted(units - set(LAYERS))
    assert not missing, f"place these in LAYERS (tests/unit/test_layers.py): {missing}"


def test_no_server_package_imports_a_higher_layer():
    wrong = []
    for a, b, at in _imports("app"):
        ua, ub = _unit(a), _unit(b)
        if ua != ub and LAYERS.get(ua, 99) < LAYERS.get(ub, 99):
            wrong.append(
                f"{ua} (layer {LAYERS.get(ua)}) imports {ub} (layer {LAYERS.get(ub)}): {at}"
            )
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle_between_server_packages():
    edges = [(_unit(a), _unit(b), at) for a, b, at in _imports("app") if _unit(a) != _unit(b)]
    cycles = _cycles(edges)
    assert not cycles, "\n".join(line for g in cycles for line in _where(edges, g))


def test_the_services_import_nothing_of_the_views():
    """The write path runs one way: route -> service -> panes/state -> broadcast."""
    for a, b, at in _imports("app"):
        if _unit(a) == "app.services":
            assert _unit(b) not in ("app.sockets", "app.blueprints", "app"), (a, b, at)


def test_one_function_answers_may_this_edit():
    """Only app.auth.access reads READONLY: every other place asks it (may_edit)."""
    readers = []
    for name, (path, _) in _modules("app").items():
        if name in ("app.config", "app.__main__", "app.auth.access"):
            continue  # the setting's default and flag, and the one reader
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value == "READONLY":
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not readers, readers


def test_no_import_cycle_between_client_modules():
    edges = _imports("visdom_client")
    cycles = _cycles(edges)
    assert not cycles, "\n".join(line for g in cycles for line in _where(edges, g))


def test_client_integrations_import_no_framework_until_used():
    code = (
        "import sys\n"
        "import visdom_client.integrations as i\n"
        "i.VisdomLogger, i.VisdomSklearnLogger\n"
        "from visdom_client.loggers import VisdomLogger, VisdomSklearnLogger\n"
        "from visdom_client.pytorch import VisdomLogger as Old\n"
        "assert Old is i.VisdomLogger and VisdomSklearnLogger is i.VisdomSklearnLogger\n"
        "frameworks = {'torch', 'sklearn', 'tensorflow', 'keras', 'lightning', 'xgboost'}\n"
        "print(sorted(frameworks & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_modules_are_short_or_say_why():
    """A module over MAX_LINES lines says why at its top (a "Why this module is long"
    paragraph in its docstring)."""
    long = []
    for package in ("app", "visdom_client"):
        for path, _ in _modules(package).values():
            rel = str(path.relative_to(ROOT))
            if rel.startswith(SIZE_EXEMPT):
                continue
            text = path.read_text(encoding="utf-8")
            doc = ast.get_docstring(ast.parse(text)) or ""
            if text.count("\n") > MAX_LINES and "Why this module is long" not in doc:
                long.append(f"{rel}: {text.count(chr(10))} lines")
    assert not long, long
