"""The engine's commands and queries as the hook reference lists them for a theme's tests."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from engine.extensions.doc_text import cell, first_line, markdown


def engine_methods(engine_type: type) -> list[str]:
    """The engine's commands and queries: the arguments after the engine, the first line."""
    groups: dict[str, list[str]] = {"commands": [], "queries": []}
    for name, function in vars(engine_type).items():
        module = getattr(function, "__module__", "") or ""
        if name.startswith("_") or not inspect.isfunction(function):
            continue
        group = _group_of(module)
        if group:
            groups[group].append(
                f"| `{name}` | {cell(_arguments(function))} "
                f"| {cell(markdown(first_line(function)))} |"
            )
    lines = [
        f"Commands and queries of `{engine_type.__name__}` (the engine a fixture gives), "
        "called on that engine with these arguments. Commands write, check the caller's role and "
        "raise `InvalidInput` (naming the field), `GateRefused` (with every reason) or "
        "another refusal, writing nothing; they return the cycle's or organisation's new "
        "version, `start_cycle` and `register_organisation` the new id. Queries return "
        "plain data.",
        "",
    ]
    for group, rows in groups.items():
        lines += [f"| {group} | arguments | what it does |", "|---|---|---|", *rows, ""]
    return lines[:-1]


def _group_of(module: str) -> str:
    """Whether a function of the engine's class is a command, a query or neither ('')."""
    if ".commands." in module:
        return "commands"
    return "queries" if module.endswith("_queries") else ""


def _arguments(function: Callable[..., Any]) -> str:
    """A function's parameters after the first (the engine), by name, with their defaults."""
    parameters = list(inspect.signature(function).parameters.values())[1:]
    written, keyword_only = [], False
    for parameter in parameters:
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
            written.append("*")
            keyword_only = True
        if parameter.kind is parameter.VAR_POSITIONAL:
            keyword_only = True
            written.append(f"*{parameter.name}")
        elif parameter.kind is parameter.VAR_KEYWORD:
            written.append(f"**{parameter.name}")
        elif parameter.default is parameter.empty:
            written.append(parameter.name)
        else:
            written.append(f"{parameter.name}={parameter.default!r}")
    return f"`{', '.join(written)}`" if written else "none"
