"""The written interface is the whole interface: every backend implements all of it, and
the app calls nothing on the store that it does not declare (see app/state/backend.py)."""

import ast
import inspect
import pathlib

import pytest

from app.state.backend import StoreBackend

from .conftest import BACKENDS

APP = pathlib.Path(__file__).resolve().parents[2] / "app"
DECLARED = StoreBackend.__abstractmethods__ | set(StoreBackend.__annotations__)


def _public_methods(cls):
    return {
        name
        for name, value in inspect.getmembers(cls)
        if not name.startswith("_") and callable(value)
    }


def _is_store(node):
    """True for an expression that yields the app's store: get_store(),
    extensions["visdom_store"] or extensions.get("visdom_store") (maybe in an if-else)."""
    if isinstance(node, ast.IfExp):
        return _is_store(node.body) or _is_store(node.orelse)
    if isinstance(node, ast.Subscript):
        return getattr(node.slice, "value", None) == "visdom_store"
    if not isinstance(node, ast.Call):
        return False
    if getattr(node.func, "id", None) == "get_store":
        return True
    first = node.args[0] if node.args else None
    return (
        getattr(node.func, "attr", None) == "get" and getattr(first, "value", 0) == "visdom_store"
    )


def _own_nodes(scope):
    """Walk `scope` without entering the functions defined in it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


def _store_attributes(tree):
    """Yield (line, attribute) for each attribute the code reads or sets on the store."""
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    for scope in scopes:
        nodes = list(_own_nodes(scope))
        names = set()
        for node in nodes:
            if isinstance(node, ast.Assign) and _is_store(node.value):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        for node in nodes:
            if isinstance(node, ast.Attribute) and (
                _is_store(node.value) or getattr(node.value, "id", None) in names
            ):
                yield node.lineno, node.attr


def _app_uses():
    uses = {}
    for path in APP.rglob("*.py"):
        if APP / "state" in path.parents:
            continue  # the store itself
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, attr in _store_attributes(tree):
            uses.setdefault(attr, f"{path.relative_to(APP.parent)}:{line}")
    return uses


def test_every_interface_method_says_what_it_guarantees():
    for name in StoreBackend.__abstractmethods__:
        doc = inspect.getdoc(getattr(StoreBackend, name))
        assert doc and len(doc) > 30, f"StoreBackend.{name} has no docstring"


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_each_backend_implements_the_whole_interface(name):
    cls = BACKENDS[name].store_class
    assert issubclass(cls, StoreBackend)
    assert not inspect.isabstract(cls), sorted(cls.__abstractmethods__)
    for method in StoreBackend.__abstractmethods__:
        ours = list(inspect.signature(getattr(cls, method)).parameters)
        theirs = list(inspect.signature(getattr(StoreBackend, method)).parameters)
        assert ours == theirs, f"{cls.__name__}.{method}{ours}: the interface says {theirs}"


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_a_backend_has_no_public_method_the_interface_does_not_declare(name):
    cls = BACKENDS[name].store_class
    extra = _public_methods(cls) - DECLARED
    assert not extra, f"{cls.__name__} has {sorted(extra)}: declare them in StoreBackend"


def test_the_app_calls_only_what_the_interface_declares():
    uses = _app_uses()
    assert {"put_window", "update_window", "env_content", "publish", "close"} <= set(uses)
    undeclared = {attr: where for attr, where in uses.items() if attr not in DECLARED}
    assert not undeclared, f"used on the store but not in StoreBackend: {undeclared}"
