"""The Qualizyklus engine: event-sourced cycles, workflows, audit; no Flask, no theme by name.

Plugin authors import from here: ``hookimpl`` to mark hook implementations, and the
catalogue types their themes are made of.
"""

from engine.domain.catalogue import (
    Criterion,
    Level,
    Scale,
    Template,
    Text,
    Theme,
    field_labels,
    numeric_scale,
    two_level_standard,
)
from engine.domain.contributions import (
    Chart,
    FieldProblem,
    Figure,
    Insight,
    ReportSection,
    Series,
    Table,
)
from engine.domain.errors import Reason
from engine.extensions.manager import hookimpl

__all__ = [
    "Chart",
    "Criterion",
    "FieldProblem",
    "Figure",
    "Insight",
    "Level",
    "Reason",
    "ReportSection",
    "Scale",
    "Series",
    "Table",
    "Template",
    "Text",
    "Theme",
    "field_labels",
    "hookimpl",
    "numeric_scale",
    "two_level_standard",
]
