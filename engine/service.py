"""The Qualizyklus application: commands in, events out; queries return plain data.

Every command checks its input, then that the caller's role allows it (a non-member learns
nothing, not even that the cycle exists), that the caller saw the current version (if they
say which) and that the cycle's phase allows it; only then are events triggered and saved,
all of them or none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    RecordConflictError,
    Transcoding,
)
from eventsourcing.utils import Environment, EnvType

from engine import validation as check
from engine.catalogue import Theme
from engine.cycle import FINDING_KINDS, GOAL_VERDICTS, MEASURE_STATUSES, Cycle
from engine.errors import (
    Conflict,
    Forbidden,
    GateRefused,
    InvalidInput,
    NotAllowedInPhase,
    NotFound,
    Reason,
)
from engine.organisation import LAENDER, SLUG_PATTERN, Organisation, organisation_id_for
from engine.plugins import LoadedPlugins
from engine.profiles import ProfileStore
from engine.sealing import QualizyklusSnapshot, SealedAggregate
from engine.settings import SNAPSHOT_INTERVAL, Settings
from engine.workflow import Transition, WorkflowDefinition, WorkflowRegistry, builtin_definitions

SYSTEM_ACTOR = "system"
"""The actor of installation-level commands (command line, administrators)."""

DEFAULT_WORKFLOW = "standard"

A = TypeVar("A", bound=SealedAggregate)


class DateAsISO(Transcoding):
    """Stores ``datetime.date`` values as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """Encode a date."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """Decode a date."""
        return date.fromisoformat(data)


class Qualizyklus(Application[UUID]):
    """The engine: organisations and their cycles, persisted as sealed events."""

    name = "Qualizyklus"
    snapshotting_intervals = {Cycle: SNAPSHOT_INTERVAL, Organisation: SNAPSHOT_INTERVAL}  # noqa: RUF012
    snapshot_class = QualizyklusSnapshot

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        create_tables: bool = False,
        themes: Mapping[str, Theme] | None = None,
        workflows: WorkflowRegistry | None = None,
    ) -> None:
        self.settings = settings or Settings.from_environ()
        super().__init__(self.settings.eventsourcing_env(create_tables=create_tables))
        self.themes: dict[str, Theme] = dict(themes or {})
        self.workflows = workflows or WorkflowRegistry(builtin_definitions())
        self.profiles = self._construct_profile_store()
        self.plugins: LoadedPlugins | None = None
        if create_tables:
            self.profiles.create_table()

    # Infrastructure ------------------------------------------------------------------------

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Configure from the given settings only, never from stray environment variables."""
        return Environment(name, dict(env or {}))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add dates to the library's UUID, Decimal and datetime transcodings."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def _construct_profile_store(self) -> ProfileStore:
        datastore = getattr(self.factory, "datastore", None)
        if datastore is None:
            msg = "the persistence module has no datastore for profiles"
            raise RuntimeError(msg)
        if self.settings.is_sqlite:
            return ProfileStore(datastore, placeholder="?")
        return ProfileStore(datastore, placeholder="%s", schema=getattr(datastore, "schema", ""))

    def _save(self, *aggregates: SealedAggregate) -> None:
        try:
            self.save(*aggregates)
        except (IntegrityError, RecordConflictError):
            raise Conflict(None, None) from None

    def _load(self, aggregate_class: type[A], aggregate_id: UUID, *, for_change: bool) -> A:
        aggregate: object
        try:
            aggregate = self.repository.get(aggregate_id, deepcopy_from_cache=for_change)
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, aggregate_class):
            raise NotFound("Nicht gefunden.", "Not found.")
        return aggregate

    # Organisations -------------------------------------------------------------------------

    def register_organisation(
        self, *, name: str, slug: str, land: str, coordinator_id: str, actor_id: str = SYSTEM_ACTOR
    ) -> UUID:
        """Register an organisation with its first coordinator (an installation command)."""
        name = check.text("name", name, max_length=MAX_NAME)
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            raise InvalidInput("slug", "nur a-z, 0-9 und -", "only a-z, 0-9 and -")
        land = check.one_of("land", land, LAENDER)
        coordinator_id = check.text("coordinator_id", coordinator_id, max_length=100)
        organisation = Organisation.register(actor_id=actor_id, name=name, slug=slug, land=land)
        organisation.grant_role(actor_id=actor_id, member_id=coordinator_id, role="coordinator")
        try:
            self.save(organisation)
        except (IntegrityError, RecordConflictError):
            raise InvalidInput(
                "slug", "Diese Kennung ist schon vergeben.", "This slug is taken."
            ) from None
        return organisation.id

    def grant_role(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        member_id: str,
        role: str,
        reason: str = "",
        expected_version: int | None = None,
        as_administrator: bool = False,
    ) -> int:
        """Give a person a role in the organisation (coordinators, or administrators)."""
        member_id = check.text("member_id", member_id, max_length=100)
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_organisation(
            organisation_id,
            actor_id,
            expected_version,
            as_administrator,
            lambda o: o.grant_role(
                actor_id=actor_id, member_id=member_id, role=role, reason=reason
            ),
        )

    def revoke_role(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        member_id: str,
        reason: str = "",
        expected_version: int | None = None,
        as_administrator: bool = False,
    ) -> int:
        """Remove a person from the organisation."""
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_organisation(
            organisation_id,
            actor_id,
            expected_version,
            as_administrator,
            lambda o: o.revoke_role(actor_id=actor_id, member_id=member_id, reason=reason),
        )

    def rename_organisation(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        name: str,
        expected_version: int | None = None,
        as_administrator: bool = False,
    ) -> int:
        """Change an organisation's display name."""
        name = check.text("name", name, max_length=MAX_NAME)
        return self._change_organisation(
            organisation_id,
            actor_id,
            expected_version,
            as_administrator,
            lambda o: o.rename(actor_id=actor_id, name=name),
        )

    def _change_organisation(
        self,
        organisation_id: UUID,
        actor_id: str,
        expected_version: int | None,
        as_administrator: bool,
        change: Callable[[Organisation], None],
    ) -> int:
        organisation = self._load(Organisation, organisation_id, for_change=True)
        _check_version(organisation, expected_version)
        if not as_administrator:
            organisation.require(actor_id, "manage-members")
        change(organisation)
        self._save(organisation)
        return organisation.version

    def organisation_by_slug(self, slug: str) -> dict[str, Any]:
        """An organisation's state, found by its slug."""
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            raise NotFound("Organisation nicht gefunden.", "Organisation not found.")
        return self._load(Organisation, organisation_id_for(slug), for_change=False).as_dict()

    def organisation(self, organisation_id: UUID, *, actor_id: str | None = None) -> dict[str, Any]:
        """An organisation's state; with ``actor_id``, only for its members."""
        organisation = self._load(Organisation, organisation_id, for_change=False)
        if actor_id is not None:
            organisation.require(actor_id, "read")
        return organisation.as_dict()

    def organisation_ids(self) -> list[UUID]:
        """Every registered organisation, in order of registration."""
        return [
            n.originator_id
            for n in self._notifications(topics=[Organisation.OrganisationRegistered.TOPIC])
        ]

    def memberships(self, member_id: str) -> list[dict[str, Any]]:
        """The organisations a person belongs to, with their role."""
        found = []
        for organisation_id in self.organisation_ids():
            organisation = self._load(Organisation, organisation_id, for_change=False)
            role = organisation.role_of(member_id)
            if role is not None:
                found.append(
                    {
                        "organisation_id": str(organisation.id),
                        "slug": organisation.slug,
                        "name": organisation.name,
                        "role": role,
                    }
                )
        return found

    def _notifications(self, topics: list[str]) -> Iterable[Any]:
        start = 1
        while True:
            page = self.recorder.select_notifications(start, 500, topics=topics)
            yield from page
            if len(page) < 500:
                return
            start = page[-1].id + 1

    # Cycles: start, read -------------------------------------------------------------------

    def start_cycle(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        title: str,
        themes: list[str],
        period_start: date | str,
        period_end: date | str,
        workflow_id: str = DEFAULT_WORKFLOW,
        workflow_version: int | None = None,
        follows: UUID | str | None = None,
        expected_version: int | None = None,
    ) -> UUID:
        """Start a cycle; a follow-up takes over the measures its predecessor carried over."""
        organisation = self._load(Organisation, organisation_id, for_change=True)
        _check_version(organisation, expected_version)
        organisation.require(actor_id, "moderate")
        definition = self._definition_for_start(workflow_id, workflow_version)
        fields: dict[str, Any] = {
            "organisation_id": organisation.id,
            "title": check.text("title", title, max_length=MAX_NAME),
            "themes": self._check_themes(themes),
            "workflow_id": definition.id,
            "workflow_version": definition.version,
            "first_phase": definition.first_phase,
            "period_start": check.a_date("period_start", period_start),
            "period_end": check.a_date("period_end", period_end),
        }
        check.date_order("period_start", fields["period_start"], fields["period_end"])
        fields["theme_versions"] = {t: self.themes[t].version for t in fields["themes"]}
        previous = self._previous_cycle(organisation, follows)
        fields["follows"] = previous.id if previous else None
        cycle = Cycle.start(actor_id=actor_id, **fields)
        if previous is not None:
            _carry_over_measures(previous, cycle, actor_id)
        organisation.register_cycle(actor_id=actor_id, cycle_id=cycle.id)
        self._save(organisation, cycle)
        return cycle.id

    def _definition_for_start(self, workflow_id: str, version: int | None) -> WorkflowDefinition:
        definition = (
            self.workflows.latest(workflow_id)
            if version is None
            else self.workflows.get(workflow_id, version)
        )
        if definition is None:
            raise InvalidInput(
                "workflow_id", "Unbekannter Ablauf oder Version.", "Unknown workflow or version."
            )
        return definition

    def _check_themes(self, themes: object) -> list[str]:
        if not isinstance(themes, list) or not themes:
            raise InvalidInput(
                "themes", "Mindestens ein Thema wählen.", "Choose at least one theme."
            )
        if len(set(themes)) != len(themes):
            raise InvalidInput(
                "themes", "Ein Thema ist doppelt gewählt.", "A theme is chosen twice."
            )
        for theme_id in themes:
            self._theme(theme_id, "themes")
        return list(themes)

    def _theme(self, theme_id: object, field: str) -> Theme:
        theme = self.themes.get(theme_id) if isinstance(theme_id, str) else None
        if theme is None:
            raise InvalidInput(
                field, f"Das Thema {theme_id!r} ist nicht installiert.", f"No theme {theme_id!r}."
            )
        return theme

    def _previous_cycle(
        self, organisation: Organisation, follows: UUID | str | None
    ) -> Cycle | None:
        if follows is None:
            return None
        previous_id = check.a_uuid("follows", follows)
        if previous_id not in organisation.cycles:
            raise InvalidInput(
                "follows",
                "Der vorherige Zyklus gehört nicht zu dieser Organisation.",
                "The previous cycle does not belong to this organisation.",
            )
        return self._load(Cycle, previous_id, for_change=False)

    def cycle(self, cycle_id: UUID, *, actor_id: str | None = None) -> dict[str, Any]:
        """A cycle's current state; with ``actor_id``, only for members of its organisation."""
        cycle = self._load(Cycle, cycle_id, for_change=False)
        if actor_id is not None:
            self._organisation_of(cycle).require(actor_id, "read")
        return cycle.as_dict()

    def cycles_of(
        self, organisation_id: UUID, *, actor_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Summaries of an organisation's cycles, newest first."""
        organisation = self._load(Organisation, organisation_id, for_change=False)
        if actor_id is not None:
            organisation.require(actor_id, "read")
        summaries = []
        for cycle_id in organisation.cycles:
            cycle = self._load(Cycle, cycle_id, for_change=False)
            summaries.append(
                {
                    "id": str(cycle.id),
                    "title": cycle.title,
                    "phase": cycle.phase,
                    "themes": list(cycle.themes),
                    "period_start": cycle.period_start,
                    "period_end": cycle.period_end,
                    "version": cycle.version,
                    "follows": str(cycle.follows) if cycle.follows else None,
                }
            )
        return sorted(summaries, key=lambda s: (s["period_start"], s["title"]), reverse=True)

    def definition_of(self, cycle_id: UUID) -> WorkflowDefinition:
        """The workflow definition (at its version) that governs a cycle."""
        return self._definition(self._load(Cycle, cycle_id, for_change=False))

    def next_step(self, cycle_id: UUID) -> dict[str, Any]:
        """The phase a cycle can move on to and every reason that still stands in the way."""
        cycle = self._load(Cycle, cycle_id, for_change=False)
        definition = self._definition(cycle)
        transition = definition.next_transition(cycle.phase)
        if transition is None:
            return {"phase": cycle.phase, "next": None, "reasons": []}
        reasons = self._gate_reasons(definition, transition, cycle)
        return {
            "phase": cycle.phase,
            "next": transition.target,
            "closes": bool(definition.phase(transition.target).terminal),  # type: ignore[union-attr]
            "reasons": [r.as_dict() for r in reasons],
        }

    def _organisation_of(self, cycle: Cycle) -> Organisation:
        return self._load(Organisation, cycle.organisation_id, for_change=False)

    def _definition(self, cycle: Cycle) -> WorkflowDefinition:
        definition = self.workflows.get(cycle.workflow_id, cycle.workflow_version)
        if definition is None:
            msg = f"workflow {cycle.workflow_id} v{cycle.workflow_version} is not installed"
            raise NotFound(f"Ablauf fehlt: {msg}", msg)
        return definition

    def _gate_reasons(
        self, definition: WorkflowDefinition, transition: Transition, cycle: Cycle
    ) -> list[Reason]:
        titles = {theme_id: theme.title.de for theme_id, theme in self.themes.items()}
        return definition.gate_reasons(transition, cycle, titles)

    # Cycles: commands ----------------------------------------------------------------------

    def _change_cycle(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        permission: str,
        command: str | None,
        expected_version: int | None,
        change: Callable[[Cycle, Organisation], None],
    ) -> int:
        cycle = self._load(Cycle, cycle_id, for_change=True)
        organisation = self._organisation_of(cycle)
        organisation.require(actor_id, permission)
        _check_version(cycle, expected_version)
        if command is not None and not self._definition(cycle).allows(cycle.phase, command):
            raise NotAllowedInPhase(command, cycle.phase)
        change(cycle, organisation)
        self._save(cycle)
        return cycle.version

    def add_theme(
        self, cycle_id: UUID, *, actor_id: str, theme_id: str, expected_version: int | None = None
    ) -> int:
        """Add an installed theme to the cycle."""
        theme = self._theme(theme_id, "theme_id")
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="add_theme",
            expected_version=expected_version,
            change=lambda c, o: c.add_theme(
                actor_id=actor_id, theme_id=theme.id, theme_version=theme.version
            ),
        )

    def remove_theme(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        theme_id: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Remove a theme from the cycle (a reason is required)."""
        reason = check.reason(reason)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="remove_theme",
            expected_version=expected_version,
            change=lambda c, o: c.remove_theme(actor_id=actor_id, theme_id=theme_id, reason=reason),
        )

    def record_assessment(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        theme_id: str,
        criterion_id: str,
        value: float | str,
        rater_id: str | None = None,
        note: str = "",
        attrs: Mapping[str, Any] | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Record a rating; contributors rate as themselves, coordinators for any member."""
        theme = self._theme(theme_id, "theme_id")
        criterion = theme.criterion(criterion_id) if isinstance(criterion_id, str) else None
        if criterion is None:
            raise InvalidInput("criterion_id", "Unbekanntes Kriterium.", "Unknown criterion.")
        try:
            value = criterion.scale.validate(value)
        except ValueError as error:
            raise InvalidInput("value", str(error)) from None
        fields: dict[str, Any] = {
            "theme_id": theme.id,
            "criterion_id": criterion.id,
            "rater_id": actor_id if rater_id is None else rater_id,
            "value": value,
            "note": check.optional_text("note", note),
            "attrs": check.attrs(attrs, theme.assessment_schema),
        }

        def change(cycle: Cycle, organisation: Organisation) -> None:
            _check_rater(organisation, actor_id, fields["rater_id"])
            cycle.record_assessment(actor_id=actor_id, **fields)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="rate",
            command="record_assessment",
            expected_version=expected_version,
            change=change,
        )

    def record_finding(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        kind: str,
        text: str,
        theme_id: str | None = None,
        criterion_id: str | None = None,
        finding_id: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Record a strength or a need, optionally tied to a theme and criterion."""
        fields = {
            "finding_id": check.item_id("finding_id", finding_id),
            "kind": check.one_of("kind", kind, FINDING_KINDS),
            "text": check.text("text", text),
            "theme_id": None if theme_id is None else self._theme(theme_id, "theme_id").id,
            "criterion_id": self._criterion_or_none(theme_id, criterion_id),
        }
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="record_finding",
            expected_version=expected_version,
            change=lambda c, o: c.record_finding(actor_id=actor_id, **fields),
        )

    def _criterion_or_none(self, theme_id: str | None, criterion_id: str | None) -> str | None:
        if criterion_id is None:
            return None
        if theme_id is None or self._theme(theme_id, "theme_id").criterion(criterion_id) is None:
            raise InvalidInput("criterion_id", "Unbekanntes Kriterium.", "Unknown criterion.")
        return criterion_id

    def withdraw_finding(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        finding_id: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Withdraw a finding (a reason is required)."""
        reason = check.reason(reason)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="withdraw_finding",
            expected_version=expected_version,
            change=lambda c, o: c.withdraw_finding(
                actor_id=actor_id, finding_id=finding_id, reason=reason
            ),
        )

    def set_priorities(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        finding_ids: list[str],
        reason: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Choose the needs to work on, most important first."""
        if not isinstance(finding_ids, list) or not all(isinstance(f, str) for f in finding_ids):
            raise InvalidInput("finding_ids", "muss eine Liste sein", "must be a list")
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="set_priorities",
            expected_version=expected_version,
            change=lambda c, o: c.set_priorities(
                actor_id=actor_id, finding_ids=finding_ids, reason=reason
            ),
        )

    def _goal_fields(self, goal: Mapping[str, Any]) -> dict[str, Any]:
        theme_id = goal.get("theme_id")
        theme = None if theme_id is None else self._theme(theme_id, "theme_id")
        return {
            "theme_id": theme.id if theme else None,
            "title": check.text("title", goal.get("title"), max_length=MAX_NAME),
            "indicator": check.optional_text("indicator", goal.get("indicator"), max_length=1_000),
            "unit": check.optional_text("unit", goal.get("unit"), max_length=50),
            "baseline": check.optional_number("baseline", goal.get("baseline")),
            "target": check.optional_number("target", goal.get("target")),
            "due": check.optional_date("due", goal.get("due")),
            "attrs": check.attrs(goal.get("attrs"), theme.goal_schema if theme else None),
        }

    def set_goal(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        goal_id: str | None = None,
        expected_version: int | None = None,
        **goal: Any,
    ) -> int:
        """Set a goal: title, indicator, unit, baseline, target, due, theme_id, attrs."""
        self._refuse_unknown(goal, GOAL_KEYS)
        fields = {"goal_id": check.item_id("goal_id", goal_id), **self._goal_fields(goal)}
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="plan",
            command="set_goal",
            expected_version=expected_version,
            change=lambda c, o: c.set_goal(actor_id=actor_id, **fields),
        )

    def revise_goal(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        goal_id: str,
        reason: str = "",
        expected_version: int | None = None,
        **goal: Any,
    ) -> int:
        """Replace a goal's editable fields."""
        self._refuse_unknown(goal, GOAL_KEYS)
        fields = {"goal_id": goal_id, **self._goal_fields(goal)}
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="plan",
            command="revise_goal",
            expected_version=expected_version,
            change=lambda c, o: c.revise_goal(actor_id=actor_id, reason=reason, **fields),
        )

    def _measure_fields(self, measure: Mapping[str, Any]) -> dict[str, Any]:
        theme_id = measure.get("theme_id")
        theme = None if theme_id is None else self._theme(theme_id, "theme_id")
        start = check.optional_date("start", measure.get("start"))
        due = check.optional_date("due", measure.get("due"))
        check.date_order("start", start, due)
        responsible = measure.get("responsible_member_id")
        return {
            "title": check.text("title", measure.get("title"), max_length=MAX_NAME),
            "goal_id": measure.get("goal_id"),
            "theme_id": theme.id if theme else None,
            "responsible_member_id": (
                None
                if responsible in (None, "")
                else check.text("responsible_member_id", responsible, max_length=100)
            ),
            "start": start,
            "due": due,
            "resources": check.optional_text(
                "resources", measure.get("resources"), max_length=2_000
            ),
            "attrs": check.attrs(measure.get("attrs"), theme.measure_schema if theme else None),
        }

    def plan_measure(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        measure_id: str | None = None,
        expected_version: int | None = None,
        **measure: Any,
    ) -> int:
        """Plan a measure: title, goal_id, theme_id, responsible_member_id, start, due, ..."""
        self._refuse_unknown(measure, MEASURE_KEYS)
        fields = {
            "measure_id": check.item_id("measure_id", measure_id),
            **self._measure_fields(measure),
        }

        def change(cycle: Cycle, organisation: Organisation) -> None:
            _check_responsible(organisation, fields["responsible_member_id"])
            cycle.plan_measure(actor_id=actor_id, **fields)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="plan",
            command="plan_measure",
            expected_version=expected_version,
            change=change,
        )

    def revise_measure(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        measure_id: str,
        reason: str = "",
        expected_version: int | None = None,
        **measure: Any,
    ) -> int:
        """Replace a measure's editable fields."""
        self._refuse_unknown(measure, MEASURE_KEYS)
        fields = {"measure_id": measure_id, **self._measure_fields(measure)}
        reason = check.optional_text("reason", reason, max_length=2_000)

        def change(cycle: Cycle, organisation: Organisation) -> None:
            _check_responsible(organisation, fields["responsible_member_id"])
            cycle.revise_measure(actor_id=actor_id, reason=reason, **fields)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="plan",
            command="revise_measure",
            expected_version=expected_version,
            change=change,
        )

    def change_measure_status(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        measure_id: str,
        status: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Move a measure on; blocking or dropping needs a reason; contributors move their own."""
        status = check.one_of("status", status, MEASURE_STATUSES)
        reason = (
            check.reason(reason)
            if status in ("blocked", "dropped")
            else check.optional_text("reason", reason, max_length=2_000)
        )

        def change(cycle: Cycle, organisation: Organisation) -> None:
            _check_own_measure(organisation, cycle, actor_id, measure_id)
            cycle.change_measure_status(
                actor_id=actor_id, measure_id=measure_id, status=status, reason=reason
            )

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="report-progress",
            command="change_measure_status",
            expected_version=expected_version,
            change=change,
        )

    def record_indicator_value(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        goal_id: str,
        value: float,
        measured_on: date | str,
        source: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Record a measured value of a goal's indicator."""
        fields = {
            "goal_id": goal_id,
            "value": check.number("value", value),
            "measured_on": check.a_date("measured_on", measured_on),
            "source": check.optional_text("source", source, max_length=1_000),
        }
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="report-progress",
            command="record_indicator_value",
            expected_version=expected_version,
            change=lambda c, o: c.record_indicator_value(actor_id=actor_id, **fields),
        )

    def review_goal(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        goal_id: str,
        verdict: str,
        evidence: str,
        reason: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Judge a goal: reached, partly or not, with the evidence."""
        fields = {
            "goal_id": goal_id,
            "verdict": check.one_of("verdict", verdict, GOAL_VERDICTS),
            "evidence": check.text("evidence", evidence),
        }
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="review_goal",
            expected_version=expected_version,
            change=lambda c, o: c.review_goal(actor_id=actor_id, reason=reason, **fields),
        )

    def record_lesson(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        text: str,
        theme_id: str | None = None,
        lesson_id: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Record a lesson learned."""
        fields = {
            "lesson_id": check.item_id("lesson_id", lesson_id),
            "text": check.text("text", text),
            "theme_id": None if theme_id is None else self._theme(theme_id, "theme_id").id,
        }
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="record_lesson",
            expected_version=expected_version,
            change=lambda c, o: c.record_lesson(actor_id=actor_id, **fields),
        )

    def add_comment(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        text: str,
        subject: str = "cycle",
        comment_id: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Comment on the cycle ('cycle') or an item ('goal:ID', 'measure:ID', ...)."""
        fields = {
            "comment_id": check.item_id("comment_id", comment_id),
            "subject": check.text("subject", subject, max_length=200),
            "text": check.text("text", text),
        }

        def change(cycle: Cycle, organisation: Organisation) -> None:
            _check_subject(cycle, fields["subject"])
            cycle.add_comment(actor_id=actor_id, **fields)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="comment",
            command="add_comment",
            expected_version=expected_version,
            change=change,
        )

    # Cycles: phases ------------------------------------------------------------------------

    def advance_phase(
        self, cycle_id: UUID, *, actor_id: str, expected_version: int | None = None
    ) -> int:
        """Move to the next phase if every gate passes; else refuse with every reason."""

        def change(cycle: Cycle, organisation: Organisation) -> None:
            definition = self._definition(cycle)
            transition = _forward(definition, cycle)
            if definition.phase(transition.target).terminal:  # type: ignore[union-attr]
                raise InvalidInput(
                    "phase",
                    "Der letzte Schritt ist der Abschluss (mit Zusammenfassung).",
                    "The last step is closing the cycle (with a summary).",
                )
            _require_gates(self._gate_reasons(definition, transition, cycle))
            cycle.advance(actor_id=actor_id, to_phase=transition.target)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command=None,
            expected_version=expected_version,
            change=change,
        )

    def close_cycle(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        summary: str,
        follow_up: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Close the cycle after its review, with a summary and what follows."""
        summary = check.text("summary", summary)
        follow_up = check.optional_text("follow_up", follow_up)

        def change(cycle: Cycle, organisation: Organisation) -> None:
            definition = self._definition(cycle)
            transition = _forward(definition, cycle)
            if not definition.phase(transition.target).terminal:  # type: ignore[union-attr]
                raise NotAllowedInPhase("close_cycle", cycle.phase)
            _require_gates(self._gate_reasons(definition, transition, cycle))
            cycle.close(
                actor_id=actor_id, to_phase=transition.target, summary=summary, follow_up=follow_up
            )

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command=None,
            expected_version=expected_version,
            change=change,
        )

    def reopen_phase(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        to_phase: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Go back to an earlier phase, as the definition permits, for a stated reason."""
        reason = check.reason(reason)

        def change(cycle: Cycle, organisation: Organisation) -> None:
            transition = self._definition(cycle).transition(cycle.phase, to_phase)
            if transition is None or transition.kind != "reopen":
                raise InvalidInput(
                    "to_phase",
                    f"Von „{cycle.phase}“ geht es nicht zurück nach „{to_phase}“.",
                    f"Cannot reopen '{to_phase}' from '{cycle.phase}'.",
                )
            cycle.reopen(actor_id=actor_id, to_phase=to_phase, reason=reason)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command=None,
            expected_version=expected_version,
            change=change,
        )

    def migrate_workflow(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        to_version: int,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Move a running cycle to a newer definition, if the cycle fits it."""
        reason = check.reason(reason)

        def change(cycle: Cycle, organisation: Organisation) -> None:
            target = self.workflows.get(cycle.workflow_id, to_version)
            if target is None or to_version <= cycle.workflow_version:
                raise InvalidInput(
                    "to_version",
                    "Es gibt keine solche neuere Version des Ablaufs.",
                    "There is no such newer version of the workflow.",
                )
            _require_gates(self._migration_reasons(cycle, target))
            cycle.migrate_workflow(actor_id=actor_id, to_version=to_version, reason=reason)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command=None,
            expected_version=expected_version,
            change=change,
        )

    def _migration_reasons(self, cycle: Cycle, target: WorkflowDefinition) -> list[Reason]:
        if target.phase(cycle.phase) is None:
            return [
                Reason(
                    "phase-missing",
                    f"Die neue Version kennt die Phase „{cycle.phase}“ nicht.",
                    f"The new version has no phase '{cycle.phase}'.",
                )
            ]
        reasons: list[Reason] = []
        for transition in target.passed_transitions(cycle.phase):
            reasons.extend(self._gate_reasons(target, transition, cycle))
        return reasons

    @staticmethod
    def _refuse_unknown(given: Mapping[str, Any], known: frozenset[str]) -> None:
        unknown = sorted(set(given) - known)
        if unknown:
            raise InvalidInput(unknown[0], "unbekanntes Feld", "unknown field")


MAX_NAME = 300
GOAL_KEYS = frozenset(
    {"theme_id", "title", "indicator", "unit", "baseline", "target", "due", "attrs"}
)
MEASURE_KEYS = frozenset(
    {"title", "goal_id", "theme_id", "responsible_member_id", "start", "due", "resources", "attrs"}
)


def _check_version(aggregate: SealedAggregate, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != aggregate.version:
        raise Conflict(expected_version, aggregate.version)


def _forward(definition: WorkflowDefinition, cycle: Cycle) -> Transition:
    transition = definition.next_transition(cycle.phase)
    if transition is None:
        raise NotAllowedInPhase("advance_phase", cycle.phase)
    return transition


def _require_gates(reasons: list[Reason]) -> None:
    if reasons:
        raise GateRefused(reasons)


def _check_rater(organisation: Organisation, actor_id: str, rater_id: str) -> None:
    if rater_id != actor_id and organisation.role_of(actor_id) != "coordinator":
        raise Forbidden(
            "Nur die Netzwerkkoordination erfasst Einschätzungen für andere.",
            "Only coordinators record ratings on behalf of others.",
        )
    if organisation.role_of(rater_id) is None:
        raise InvalidInput("rater_id", "ist kein Mitglied der Organisation", "is not a member")


def _check_responsible(organisation: Organisation, member_id: str | None) -> None:
    if member_id is not None and organisation.role_of(member_id) is None:
        raise InvalidInput(
            "responsible_member_id", "ist kein Mitglied der Organisation", "is not a member"
        )


def _check_own_measure(
    organisation: Organisation, cycle: Cycle, actor_id: str, measure_id: str
) -> None:
    measure = cycle.measures.get(measure_id)
    if (
        measure is not None
        and organisation.role_of(actor_id) != "coordinator"
        and measure["responsible_member_id"] != actor_id
    ):
        raise Forbidden(
            "Sie können nur Maßnahmen fortschreiben, für die Sie verantwortlich sind.",
            "You can only report on measures you are responsible for.",
        )


def _check_subject(cycle: Cycle, subject: str) -> None:
    if subject == "cycle":
        return
    kind, _, item = subject.partition(":")
    items = {
        "goal": cycle.goals,
        "measure": cycle.measures,
        "finding": cycle.findings,
        "lesson": cycle.lessons,
        "criterion": cycle.assessments,
    }.get(kind)
    if items is None or item not in items:
        raise InvalidInput(
            "subject",
            "Unbekannter Bezug (cycle, goal:ID, measure:ID, finding:ID, lesson:ID).",
            "Unknown subject (cycle, goal:ID, measure:ID, finding:ID, lesson:ID).",
        )


def _carry_over_measures(previous: Cycle, cycle: Cycle, actor_id: str) -> None:
    for measure_id, measure in previous.measures.items():
        if measure["status"] != "carried-over":
            continue
        cycle.plan_measure(
            actor_id=actor_id,
            reason="Übernommen aus dem vorherigen Zyklus / carried over from the previous cycle",
            measure_id=measure_id,
            title=measure["title"],
            goal_id=None,
            theme_id=measure["theme_id"] if measure["theme_id"] in cycle.themes else None,
            responsible_member_id=measure["responsible_member_id"],
            start=None,
            due=None,
            resources=measure["resources"],
            attrs=dict(measure["attrs"]),
            carried_from_cycle=previous.id,
            carried_from_measure=measure_id,
        )
