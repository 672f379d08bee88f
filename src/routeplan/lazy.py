"""Lazy public names of a package (PEP 562): each is imported from its module on first use.

A package's ``__init__`` lists its public names and the modules that define them, then sets
``__getattr__ = lazy_getattr(__name__, _LAZY, globals())``: importing the package loads none
of those modules (the CLI's start-up and the field app stay light).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(
    package: str, table: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports the names of ``table`` when first used.

    Parameters
    ----------
    package
        The package's ``__name__`` (for the error of an unknown name).
    table
        Public name → the module that defines it.
    namespace
        The package's ``globals()``: a name, once imported, is kept there, so later uses do
        not come back here.

    Returns
    -------
    callable
        ``__getattr__(name)``: the value, or :class:`AttributeError` for a name not in
        ``table``.

    """

    def attribute(name: str) -> Any:
        if name not in table:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(table[name]), name)
        namespace[name] = value
        return value

    return attribute
