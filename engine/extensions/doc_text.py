"""Docstrings as Markdown for the generated references (shared by hookdoc's parts)."""

from __future__ import annotations

import inspect
import re

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``")


def markdown(text: str) -> str:
    """A docstring in Markdown: reST literals and roles become code spans."""
    return _LITERAL.sub(r"`\1`", _ROLE.sub(r"``\1``", text))


def first_line(obj: object) -> str:
    """The first paragraph of an object's docstring as one line ('' when it has none)."""
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n", 1)[0].split())


def cell(text: str) -> str:
    """Text for a Markdown table cell (a pipe would end the cell, even inside code)."""
    return text.replace("|", "\\|")
