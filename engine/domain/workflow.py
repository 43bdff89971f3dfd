"""Declarative, versioned cycle definitions: phases, the commands they allow, transitions, gates.

Definitions are TOML files (see workflows/). They are loaded and checked once, at start-up;
a malformed file is refused with a message that names the file and the fault.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from engine.domain.catalogue import Text
from engine.domain.cycle import Cycle
from engine.domain.errors import DefinitionError, Reason
from engine.domain.gates import CORE_GATES

COMMANDS = frozenset(
    {
        "add_theme",
        "remove_theme",
        "record_assessment",
        "record_finding",
        "withdraw_finding",
        "set_priorities",
        "set_goal",
        "revise_goal",
        "plan_measure",
        "revise_measure",
        "change_measure_status",
        "record_indicator_value",
        "review_goal",
        "record_lesson",
        "record_feedback",
        "attach_evidence",
        "remove_attachment",
        "add_comment",
    }
)
"""Every cycle command a phase can allow (phase changes are transitions, not commands)."""


@dataclass(frozen=True)
class Phase:
    """One phase of a cycle and the commands it allows."""

    id: str
    title_de: str
    title_en: str
    allows: frozenset[str]
    terminal: bool = False


@dataclass(frozen=True)
class Transition:
    """A permitted move between phases; 'advance' checks gates, 'reopen' needs a reason."""

    source: str
    target: str
    kind: str
    gates: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkflowDefinition:
    """A versioned cycle definition."""

    id: str
    version: int
    title_de: str
    title_en: str
    phases: tuple[Phase, ...]
    transitions: tuple[Transition, ...]
    source: str

    @property
    def first_phase(self) -> str:
        """The phase a new cycle starts in."""
        return self.phases[0].id

    def phase(self, phase_id: str) -> Phase | None:
        """The phase with this id, or None."""
        return next((p for p in self.phases if p.id == phase_id), None)

    def allows(self, phase_id: str, command: str) -> bool:
        """Whether ``command`` may run in ``phase_id``."""
        phase = self.phase(phase_id)
        return phase is not None and command in phase.allows

    def transition(self, source: str, target: str) -> Transition | None:
        """The transition from ``source`` to ``target``, or None."""
        return next(
            (t for t in self.transitions if t.source == source and t.target == target), None
        )

    def next_transition(self, source: str) -> Transition | None:
        """The forward transition out of ``source`` (there is at most one)."""
        return next(
            (t for t in self.transitions if t.source == source and t.kind == "advance"), None
        )

    def gate_reasons(
        self, transition: Transition, cycle: Cycle, theme_titles: Mapping[str, Text]
    ) -> list[Reason]:
        """Every reason the core gates of ``transition`` give against ``cycle``."""
        reasons: list[Reason] = []
        for gate_name in transition.gates:
            reasons.extend(CORE_GATES[gate_name](cycle, theme_titles))
        return reasons

    def passed_transitions(self, phase_id: str) -> list[Transition]:
        """The forward transitions a cycle in ``phase_id`` has gone through."""
        passed: list[Transition] = []
        current = self.first_phase
        while current != phase_id:
            step = self.next_transition(current)
            if step is None:
                break
            passed.append(step)
            current = step.target
        return passed

    def as_dict(self) -> dict[str, Any]:
        """Plain data for pages and the API."""
        return {
            "id": self.id,
            "version": self.version,
            "title": {"de": self.title_de, "en": self.title_en},
            "phases": [
                {
                    "id": p.id,
                    "title": {"de": p.title_de, "en": p.title_en},
                    "allows": sorted(p.allows),
                    "terminal": p.terminal,
                }
                for p in self.phases
            ],
            "transitions": [
                {"from": t.source, "to": t.target, "kind": t.kind, "gates": list(t.gates)}
                for t in self.transitions
            ],
        }


class WorkflowRegistry:
    """All known definitions, by id and version."""

    def __init__(self, definitions: Iterable[WorkflowDefinition] = ()) -> None:
        self._definitions: dict[tuple[str, int], WorkflowDefinition] = {}
        for definition in definitions:
            self.add(definition)

    def add(self, definition: WorkflowDefinition) -> None:
        """Register a definition; the same id and version twice is a fault."""
        key = (definition.id, definition.version)
        if key in self._definitions:
            other = self._definitions[key].source
            msg = (
                f"{definition.source}: workflow {definition.id} version {definition.version} "
                f"is already defined in {other}"
            )
            raise DefinitionError(msg)
        self._definitions[key] = definition

    def get(self, workflow_id: str, version: int) -> WorkflowDefinition | None:
        """The definition with this id and version, or None."""
        return self._definitions.get((workflow_id, version))

    def latest(self, workflow_id: str) -> WorkflowDefinition | None:
        """The newest version of a workflow, or None."""
        versions = [v for (i, v) in self._definitions if i == workflow_id]
        return self._definitions[(workflow_id, max(versions))] if versions else None

    def all(self) -> list[WorkflowDefinition]:
        """Every definition, ordered by id and version."""
        return [self._definitions[key] for key in sorted(self._definitions)]


def builtin_definitions() -> list[WorkflowDefinition]:
    """The definitions shipped in the workflows/ package."""
    folder = resources.files("workflows")
    return [
        parse_definition(entry.read_text(encoding="utf-8"), f"workflows/{entry.name}")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    ]


def load_definition_file(path: Path) -> WorkflowDefinition:
    """Load one definition file."""
    return parse_definition(path.read_text(encoding="utf-8"), str(path))


def parse_definition(text: str, source: str) -> WorkflowDefinition:
    """Parse and check a definition; raise DefinitionError naming ``source`` and the fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DefinitionError(f"{source}: not valid TOML: {error}") from None
    try:
        return _build(data, source)
    except (KeyError, TypeError, ValueError) as error:
        raise DefinitionError(f"{source}: {_describe(error)}") from None
    except _Fault as fault:
        raise DefinitionError(f"{source}: {fault}") from None


class _Fault(Exception):
    pass


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing key {error.args[0]!r}"
    return str(error)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Fault(f"{where} must be a non-empty string")
    return value


def _build(data: dict[str, Any], source: str) -> WorkflowDefinition:
    workflow_id = _text(data["id"], "id")
    version = data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Fault("version must be a positive whole number")
    phases = tuple(_build_phase(i, p) for i, p in enumerate(_tables(data, "phase")))
    ids = [p.id for p in phases]
    if len(phases) < 2 or len(set(ids)) != len(ids):
        raise _Fault("needs at least two [[phase]] tables with distinct ids")
    transitions = tuple(
        _build_transition(i, t, set(ids)) for i, t in enumerate(_tables(data, "transition"))
    )
    definition = WorkflowDefinition(
        id=workflow_id,
        version=version,
        title_de=_text(data["title"]["de"], "title.de"),
        title_en=_text(data["title"]["en"], "title.en"),
        phases=phases,
        transitions=transitions,
        source=source,
    )
    _check_path(definition)
    return definition


def _tables(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    tables = data[key]
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise _Fault(f"{key} must be an array of tables ([[{key}]])")
    return tables


def _build_phase(index: int, table: dict[str, Any]) -> Phase:
    where = f"phase {index + 1}"
    allows = table.get("allows", [])
    if not isinstance(allows, list):
        raise _Fault(f"{where}: allows must be a list of command names")
    unknown = sorted(set(allows) - COMMANDS)
    if unknown:
        raise _Fault(f"{where}: unknown commands {unknown}; known: {sorted(COMMANDS)}")
    terminal = table.get("terminal", False)
    if not isinstance(terminal, bool):
        raise _Fault(f"{where}: terminal must be true or false")
    return Phase(
        id=_text(table["id"], f"{where}: id"),
        title_de=_text(table["title"]["de"], f"{where}: title.de"),
        title_en=_text(table["title"]["en"], f"{where}: title.en"),
        allows=frozenset(allows),
        terminal=terminal,
    )


def _build_transition(index: int, table: dict[str, Any], phase_ids: set[str]) -> Transition:
    where = f"transition {index + 1}"
    source, target = table["from"], table["to"]
    for end in (source, target):
        if end not in phase_ids:
            raise _Fault(f"{where}: unknown phase {end!r}")
    kind = table.get("kind", "advance")
    if kind not in ("advance", "reopen"):
        raise _Fault(f"{where}: kind must be 'advance' or 'reopen'")
    gates = table.get("gates", [])
    if not isinstance(gates, list):
        raise _Fault(f"{where}: gates must be a list of gate names")
    unknown = sorted(set(gates) - set(CORE_GATES))
    if unknown:
        raise _Fault(f"{where}: unknown gates {unknown}; known: {sorted(CORE_GATES)}")
    if kind == "reopen" and gates:
        raise _Fault(f"{where}: a reopening transition has no gates (it needs a reason)")
    return Transition(source=source, target=target, kind=kind, gates=tuple(gates))


def _check_path(definition: WorkflowDefinition) -> None:
    """Each non-terminal phase has exactly one way forward; the forward path reaches the end."""
    if not definition.phases[-1].terminal:
        raise _Fault("the last phase must be terminal (terminal = true)")
    index = {p.id: i for i, p in enumerate(definition.phases)}
    for phase in definition.phases:
        forward = [
            t for t in definition.transitions if t.source == phase.id and t.kind == "advance"
        ]
        if phase.terminal and forward:
            raise _Fault(f"terminal phase {phase.id!r} cannot advance")
        if not phase.terminal and len(forward) != 1:
            raise _Fault(f"phase {phase.id!r} needs exactly one advancing transition")
    for t in definition.transitions:
        forwards = index[t.target] > index[t.source]
        if (t.kind == "advance") != forwards:
            raise _Fault(
                f"transition {t.source}->{t.target}: 'advance' must go forward, "
                "'reopen' backward (in the order of the [[phase]] tables)"
            )
