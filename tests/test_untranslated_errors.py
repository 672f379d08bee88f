"""No user-facing error, hint or printed line is a bare English literal.

An AST walk over ``src/routeplan`` finds every call of a :mod:`routeplan.errors` error class
(``RouteplanError`` and its subclasses), of ``Problem`` (its message) and of ``click.echo`` /
``secho`` / ``console.print``, and every ``hint=`` argument. A string literal or f-string with
English words passed there (directly, or through a local variable such as ``msg = "..."``)
fails: it must go through ``_()`` / ``ngettext`` / ``translate(N_(...))`` instead. Literals with
no words (``f"{path}: {message}"``, ``f"  {line}"``) pass: there is nothing to translate.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator

import pytest
from helpers.i18n_tools import REPO

from routeplan import errors

PACKAGE = REPO / "src" / "routeplan"

ERROR_CLASSES = frozenset(
    name
    for name, value in vars(errors).items()
    if inspect.isclass(value) and issubclass(value, errors.RouteplanError)
)
"""``RouteplanError``, ``InputError``, ``ConfigError``, ``StoreError``, ``InfeasibleError`` …"""

PRINTS = frozenset({"echo", "secho"})
"""``click.echo`` / ``click.secho``; ``console.print`` is matched as an attribute call."""

ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        # A packaging check for developers: an asset URL the maps load that no npm package in
        # map_assets.CDN_PACKAGES serves. Users never see it (the shipped maps are complete).
        ("maps/assets.py", "cannot inline {} asset(s) for offline use"),
        ("maps/assets.py", "add their npm package to map_assets.CDN_PACKAGES"),
    }
)
"""(module, start of the text with ``{}`` for each f-string field) left in English."""

_WORD = re.compile(r"[A-Za-z]{2,}")


def _allowed(module: str, text: str) -> bool:
    return any(module == m and text.startswith(start) for m, start in ALLOWED)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _text(node: ast.expr) -> str | None:
    """The literal text of a str constant or f-string (``{}`` per field); None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is not None or right is not None:
            return (left or "{}") + (right or "{}")
    return None


def _shown(call: ast.Call) -> list[ast.expr]:
    """The arguments of ``call`` that a user reads."""
    name = _name(call.func)
    shown = [k.value for k in call.keywords if k.arg == "hint"]
    if name in ERROR_CLASSES or name in PRINTS:
        shown += call.args[:1] + [k.value for k in call.keywords if k.arg == "message"]
    elif name == "print" and isinstance(call.func, ast.Attribute):  # console.print(...)
        shown += call.args[:1]
    elif name == "Problem":
        shown += call.args[1:2] + [k.value for k in call.keywords if k.arg == "message"]
    return shown


def _assignments(scope: ast.AST, *, top_level: bool) -> dict[str, list[ast.expr]]:
    """Values assigned to each plain name in ``scope`` (only outside functions if top level)."""
    nodes = (
        [n for stmt in scope.body for n in _outside_functions(stmt)]  # type: ignore[attr-defined]
        if top_level
        else list(ast.walk(scope))
    )
    assigned: dict[str, list[ast.expr]] = {}
    for node in nodes:
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(node.value)
    return assigned


def _outside_functions(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        return
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _outside_functions(child)


def _calls(node: ast.AST, scope: ast.AST) -> Iterator[tuple[ast.Call, ast.AST]]:
    """Every call with its innermost enclosing function (or the module)."""
    for child in ast.iter_child_nodes(node):
        inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else scope
        if isinstance(child, ast.Call):
            yield child, scope
        yield from _calls(child, inner)


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) of every bare English literal a user would read in ``source``."""
    tree = ast.parse(source)
    module = _assignments(tree, top_level=True)
    local: dict[int, dict[str, list[ast.expr]]] = {}
    found: dict[tuple[int, str], None] = {}
    for call, scope in _calls(tree, tree):
        if scope is not tree and id(scope) not in local:
            local[id(scope)] = _assignments(scope, top_level=False)
        names = local.get(id(scope), {})
        for arg in _shown(call):
            values = [arg]
            if isinstance(arg, ast.Name):
                values = names.get(arg.id) or module.get(arg.id, [])
            for value in values:
                text = _text(value)
                if text is not None and _WORD.search(text.replace("{}", "")):
                    found[(value.lineno, text)] = None
    return sorted(found)


def test_the_check_finds_bare_literals_and_passes_translated_ones() -> None:
    source = """
def f(path, n):
    raise RouteplanError(f"{path}: not found", hint="check the path")
def g(path):
    msg = "file is empty"
    raise InputError([Problem(str(path), msg)], hint=_("add rows"))
def h(path):
    click.echo(_("{path} written", path=path))
    raise ConfigError(_("bad key {key}", key=path), hint=f"{path}")
"""
    assert sorted(text for _line, text in untranslated(source)) == [
        "check the path",
        "file is empty",
        "{}: not found",
    ]


def test_no_user_facing_error_or_hint_is_a_bare_english_literal() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for line, text in untranslated(path.read_text(encoding="utf-8")):
            if not _allowed(module, text):
                problems.append(f"{module}:{line}: {text[:70]!r}")
    assert not problems, "wrap these in _() and translate them:\n" + "\n".join(problems)


def test_the_allow_list_has_no_stale_entries() -> None:
    seen = [
        (path.relative_to(PACKAGE).as_posix(), text)
        for path in PACKAGE.rglob("*.py")
        for _line, text in untranslated(path.read_text(encoding="utf-8"))
    ]
    for module, start in ALLOWED:
        assert any(m == module and text.startswith(start) for m, text in seen), (module, start)


def test_errors_and_hints_read_in_the_chosen_language() -> None:
    from routeplan.capacity.scenario import parse_reps
    from routeplan.config import settings_from_dict
    from routeplan.i18n import use_language

    bad_day = {"workday": {"day_start": "18:00", "day_end": "08:00"}}
    with use_language("es"), pytest.raises(errors.ConfigError) as config_error:
        settings_from_dict(bad_day)
    assert config_error.value.message == (
        "routeplan.toml: clave 'workday': day_end 08:00 debe ser posterior a day_start 18:00"
    )
    with use_language("pt-BR"), pytest.raises(errors.RouteplanError) as reps_error:
        parse_reps("muitos")
    assert reps_error.value.message == "--reps 'muitos' não é um número de representantes"
    assert (
        reps_error.value.hint
        == "use uma quantidade (--reps 5) ou uma mudança (--reps +2, --reps -1)"
    )
    with pytest.raises(errors.ConfigError, match="day_end 08:00 must be after day_start 18:00"):
        settings_from_dict(bad_day)
