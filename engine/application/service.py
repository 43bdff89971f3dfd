"""The Qualizyklus application: commands in, events out; queries return plain data.

Every command checks its input, then that the caller's role allows it (a non-member learns
nothing, not even that the cycle exists), that the caller saw the current version (if they
say which) and that the cycle's phase allows it; only then are events triggered and saved,
all of them or none. The commands are declared in engine/application/commands/ (what each
one differs in) and take one path (``CycleCommand.run``); the class below is the eventsourcing
``Application``: persistence, the aggregate cache, the table of public commands and queries.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    RecordConflictError,
    Recording,
)
from eventsourcing.utils import Environment, EnvType

from engine.application import (
    cycle_queries,
    free_texts,
    organisation_queries,
    rating_session_queries,
    rating_sessions,
)
from engine.application import surveys as survey_commands
from engine.application.auto_checkpoint import AutoCheckpoints
from engine.application.commands import (
    analysis,
    organisations,
    phases,
    plan,
    progress,
    records,
    start,
    values,
)
from engine.application.damage import DAMAGE_FAULTS
from engine.application.evidence_log import create_log_tables
from engine.application.evidence_settings import CheckpointSettings
from engine.application.rating_session_codes import session_codes
from engine.application.recent import Recent
from engine.application.reminders import sent_reminders
from engine.application.state_office import state_office
from engine.application.store import (
    CURRENT_AGGREGATES,
    DEFAULT_WORKFLOW,
    PLAIN_STATES,
    SYSTEM_ACTOR,
    A,
    DateAsISO,
    event_as_data,
)
from engine.application.tokens import is_token_member, token_store
from engine.domain import free_text
from engine.domain.catalogue import Theme
from engine.domain.cycle import Cycle
from engine.domain.errors import Conflict, InvalidInput, NotFound, Reason, StoreDamaged
from engine.domain.organisation import TOKEN_MEMBER_PREFIX, Organisation
from engine.domain.sealing import QualizyklusSnapshot, SealedAggregate
from engine.domain.workflow import (
    Transition,
    WorkflowDefinition,
    WorkflowRegistry,
    builtin_definitions,
)
from engine.extensions.isolation import Extensions
from engine.extensions.manager import LoadedPlugins
from engine.infrastructure.profiles import ProfileStore
from engine.infrastructure.settings import SNAPSHOT_INTERVAL, Settings
from engine.infrastructure.side_tables import open_side_table
from engine.readmodels import create_tables as create_read_model_tables

__all__ = ["DEFAULT_WORKFLOW", "SYSTEM_ACTOR", "DateAsISO", "Qualizyklus"]


class Qualizyklus(free_texts.TextsReadPerBatch, Application[UUID]):
    """The engine: organisations and their cycles, persisted as sealed events."""

    name = "Qualizyklus"
    snapshotting_intervals = {Cycle: SNAPSHOT_INTERVAL, Organisation: SNAPSHOT_INTERVAL}  # noqa: RUF012
    snapshot_class = QualizyklusSnapshot

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Keep the application name (it names the tables) in every subclass."""
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__ or cls.name == cls.__name__:
            cls.name = Qualizyklus.name

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        create_tables: bool = False,
        themes: Mapping[str, Theme] | None = None,
        workflows: WorkflowRegistry | None = None,
        plugins: LoadedPlugins | None = None,
    ) -> None:
        self.settings = settings or Settings.from_environ()
        super().__init__(self.settings.eventsourcing_env(create_tables=create_tables))
        self.themes: dict[str, Theme] = dict(themes or {})
        self.workflows = workflows or WorkflowRegistry(builtin_definitions())
        self.profiles = open_side_table(self, ProfileStore)
        self.plugins = plugins
        self.extensions = Extensions(plugins.manager if plugins else None)
        self._states: Recent[tuple[UUID, int], dict[str, Any]] = Recent(PLAIN_STATES)
        self.computed: Recent[tuple[Any, ...], Any] = Recent(PLAIN_STATES)
        self._current: Recent[tuple[type, UUID, int], Any] = Recent(CURRENT_AGGREGATES)
        self.auto_checkpoints = AutoCheckpoints(self, CheckpointSettings.from_environ())
        if create_tables:
            self._create_tables()

    def _create_tables(self) -> None:
        """Create the tables beside the events (``qualizyklus init``; never the workers)."""
        self.profiles.create_table()
        self.profiles.sessions.create_table()  # sign-in sessions, shared by all workers
        self.profiles.throttle.create_table()  # failed sign-ins
        self.profiles.links.create_table()  # one-time links to set a password
        self.profiles.request_limits.create_table()  # how often a link may be asked for
        token_store(self).create_table()  # API tokens (hashed secrets)
        sent_reminders(self).create_table()  # what reminders went to whom
        state_office(self).create_table()  # state coordinators (LaKo)
        create_read_model_tables(self)  # the read models and their tracking record
        create_log_tables(self)  # the Merkle log's leaves and signed checkpoints
        session_codes(self).create_table()  # rating sessions' short codes
        free_texts.table(self).create_table()  # free texts, erasable (sealed by reference)
        survey_commands.create_tables(self)  # parents' answers waiting; version-1 survey texts

    # Commands: engine/application/commands/ ------------------------------------------------

    register_organisation = organisations.register_organisation
    grant_role = organisations.grant_role
    revoke_role = organisations.revoke_role
    choose_themes = organisations.choose_themes
    set_state_sharing = organisations.set_state_sharing
    rename_organisation = organisations.rename_organisation
    start_cycle = start.start_cycle
    add_theme = analysis.add_theme
    remove_theme = analysis.remove_theme
    record_assessment = analysis.record_assessment
    record_assessments = analysis.record_assessments
    record_finding = analysis.record_finding
    withdraw_finding = analysis.withdraw_finding
    set_priorities = analysis.set_priorities
    set_goal = plan.set_goal
    revise_goal = plan.revise_goal
    plan_measure = plan.plan_measure
    revise_measure = plan.revise_measure
    import_plan = plan.import_plan
    change_records = records.change_records
    change_measure_status = progress.change_measure_status
    record_indicator_value = values.record_indicator_value
    correct_indicator_value = values.correct_indicator_value
    withdraw_indicator_value = values.withdraw_indicator_value
    review_goal = progress.review_goal
    record_lesson = progress.record_lesson
    record_feedback = progress.record_feedback
    attach_evidence = progress.attach_evidence
    remove_attachment = progress.remove_attachment
    add_comment = progress.add_comment
    advance_phase = phases.advance_phase
    close_cycle = phases.close_cycle
    reopen_phase = phases.reopen_phase
    migrate_workflow = phases.migrate_workflow
    open_rating_session = rating_sessions.open_rating_session
    open_rating_round = rating_sessions.open_rating_round
    reveal_session_results = rating_sessions.reveal_session_results
    close_rating_session = rating_sessions.close_rating_session
    find_session = rating_sessions.find_session
    count_join = rating_sessions.count_join
    join_rating_session = rating_sessions.join_rating_session
    rate_in_session = rating_sessions.rate_in_session
    erase_participant_name = rating_sessions.erase_participant_name
    session_results = rating_session_queries.session_results
    participant_view = rating_session_queries.participant_view
    sessions_of_cycle = rating_session_queries.sessions_of_cycle
    named_participants = rating_session_queries.named_participants
    create_survey = survey_commands.create_survey
    close_survey = survey_commands.close_survey
    answer_survey = survey_commands.answer_survey
    erase_survey_text = survey_commands.erase_survey_text

    # Queries: engine/application/{organisation,cycle}_queries.py ----------------------------

    organisation_by_slug = organisation_queries.organisation_by_slug
    organisation = organisation_queries.organisation
    organisation_ids = organisation_queries.organisation_ids
    memberships = organisation_queries.memberships
    organisation_summaries = organisation_queries.organisation_summaries
    organisation_of_cycle = cycle_queries.organisation_of_cycle
    version_of = cycle_queries.version_of
    cycle = cycle_queries.cycle
    organisation_and_cycle = cycle_queries.organisation_and_cycle
    cycles_of = cycle_queries.cycles_of
    definition_of = cycle_queries.definition_of
    next_step = cycle_queries.next_step
    assessment_summary = cycle_queries.assessment_summary
    blind_themes = cycle_queries.blind_themes
    blind_round = cycle_queries.blind_round
    blind_dashboard = cycle_queries.blind_dashboard
    insights = cycle_queries.insights
    report_sections = cycle_queries.report_sections
    question_sets = survey_commands.question_sets
    surveys = survey_commands.surveys
    survey = survey_commands.survey
    survey_to_answer = survey_commands.survey_to_answer
    survey_free_texts = survey_commands.survey_free_texts
    survey_answers = survey_commands.survey_answers

    def display_names(self, actor_ids: Iterable[str]) -> dict[str, str]:
        """What to call each actor: a person's name (a pseudonym once erased), an API token's
        name, or "System" for the installation's own commands."""
        wanted = set(actor_ids)
        tokens = token_store(self)
        names = self.profiles.display_names(
            i for i in wanted if i != SYSTEM_ACTOR and not is_token_member(i)
        )
        for actor in wanted:
            if actor == SYSTEM_ACTOR:
                names[actor] = "System"
            elif is_token_member(actor):
                token = tokens.get(actor.removeprefix(TOKEN_MEMBER_PREFIX))
                names[actor] = f"API-Token „{token.name}“" if token else "API-Token"
        return names

    erase_text = free_texts.erase_text  # the seals stay valid (free_texts.py)
    free_texts_of = free_texts.texts_of_cycle

    def forget_cached_states(self, aggregate_id: UUID) -> None:
        """Drop the aggregate and every plain state this process keeps in memory."""
        self._evict(aggregate_id)
        self._states = Recent(PLAIN_STATES)
        self.computed = Recent(PLAIN_STATES)
        self._current = Recent(CURRENT_AGGREGATES)

    # Infrastructure: the library's hooks ---------------------------------------------------

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, storing free texts beside the events (free_texts.py)."""
        return free_texts.mapper_for(self, super().construct_mapper())

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Write the new events' free texts, then the events; undo the texts if that fails."""
        written = free_texts.write_pending(self, processing_event.events)
        try:
            return super()._record(processing_event)
        except BaseException:
            free_texts.undo_pending(self, written)
            raise

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Configure from the given settings only, never from stray environment variables."""
        return Environment(name, dict(env or {}))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add dates to the library's UUID, Decimal and datetime transcodings."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        """After each commit, tell the plugins' event subscribers."""
        self.extensions.event_committed(event_as_data(r.domain_event) for r in recordings)
        self.auto_checkpoints.after_commit([r.notification.topic for r in recordings])

    def close(self) -> None:
        """Let an automatic checkpoint and a fold of answers under way finish, then close."""
        survey_commands.stop_folder(self)
        self.auto_checkpoints.wait()
        super().close()

    # What commands and queries share (engine/application/store.py, ``Engine``) -------------

    def _save(self, *aggregates: SealedAggregate) -> None:
        try:
            self.save(*aggregates)
        except (IntegrityError, RecordConflictError):
            raise Conflict() from None

    def _load(self, aggregate_class: type[A], aggregate_id: UUID, *, for_change: bool) -> A:
        aggregate: object
        try:
            aggregate = self.repository.get(aggregate_id, deepcopy_from_cache=for_change)
        except AggregateNotFoundError:
            aggregate = None
        except DAMAGE_FAULTS as error:
            raise StoreDamaged(str(error)) from error
        if not isinstance(aggregate, aggregate_class):
            raise NotFound()
        if vars(aggregate).get(free_text.REPLAY_NEEDED):
            return self._replayed(aggregate_id, for_change=for_change)
        return aggregate

    def _replayed(self, aggregate_id: UUID, *, for_change: bool) -> Any:
        """The aggregate replayed afresh after another process erased one of its texts."""
        self._evict(aggregate_id)
        aggregate: Any = self.repository.get(aggregate_id)
        vars(aggregate).pop(free_text.REPLAY_NEEDED, None)
        if self.repository.cache is not None:
            self.repository.cache.put(aggregate_id, aggregate)
        return self.repository.get(aggregate_id, deepcopy_from_cache=for_change)

    def _evict(self, aggregate_id: UUID) -> None:
        """Forget the cached aggregate, if any."""
        if self.repository.cache is not None:
            with contextlib.suppress(KeyError):
                self.repository.cache.get(aggregate_id, evict=True)

    def _log_position(self) -> int:
        """The newest notification of the store: any write anywhere moves it (one indexed query)."""
        return self.recorder.max_notification_id() or 0

    def _load_current(self, aggregate_class: type[A], aggregate_id: UUID, position: int) -> A:
        """An aggregate for reading, current as of ``position`` (from ``_log_position``): writes
        are serialised, so while the log stands there nothing changed, and several reads of one
        request (a cycle and its organisation) or of several ask the store once."""
        return cast(
            A,
            self._current.get(
                (aggregate_class, aggregate_id, position),
                lambda: self._load(aggregate_class, aggregate_id, for_change=False),
            ),
        )

    def _peek(self, aggregate_class: type[A], aggregate_id: UUID) -> A:
        """The cached aggregate as it is (no query for newer events), else a fresh load.

        Only for pre-checks that the real query or command repeats with fresh data.
        """
        cache = self.repository.cache
        if cache is not None:
            try:
                aggregate = cache.get(aggregate_id)
            except KeyError:
                aggregate = None
            if isinstance(aggregate, aggregate_class):
                return aggregate
        return self._load(aggregate_class, aggregate_id, for_change=False)

    def _notifications(self, topics: list[str]) -> Iterable[Any]:
        start = 1
        while True:
            page = self.recorder.select_notifications(start, 500, topics=topics)
            yield from page
            if len(page) < 500:
                return
            start = page[-1].id + 1

    def _theme(self, theme_id: object, field: str) -> Theme:
        theme = self.themes.get(theme_id) if isinstance(theme_id, str) else None
        if theme is None:
            raise InvalidInput(
                field, f"Das Thema {theme_id!r} ist nicht installiert.", f"No theme {theme_id!r}."
            )
        return theme

    def _plain(self, cycle: Cycle) -> dict[str, Any]:
        """The cycle's state as plain data, computed once per version (read-only: share it).

        Pages ask for the same version many times (the state, the next step, the insights);
        a version never changes, so its plain form is kept for the most recent ones.
        """
        return self._states.get((cycle.id, cycle.version), cycle.as_state)

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
        """The core gates the definition names, then every plugin's gate."""
        titles = {theme_id: theme.title for theme_id, theme in self.themes.items()}
        reasons = definition.gate_reasons(transition, cycle, titles)
        reasons += self.extensions.gate_reasons(
            self._plain(cycle), transition.source, transition.target, self.themes
        )
        return reasons

    def _validate_item(self, kind: str, item: Mapping[str, Any], phase: str) -> None:
        """Let the plugins object to a goal, measure or assessment (every objection told)."""
        problems = self.extensions.field_problems(kind, item, phase, self.themes)
        if problems:
            raise InvalidInput.combined(
                [InvalidInput(p.field, p.message.de, p.message.get("en")) for p in problems]
            )
