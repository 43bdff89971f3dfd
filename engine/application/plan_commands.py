"""Plan and implementation commands: goals, measures, statuses, indicators, reviews, lessons."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import UUID

from engine.application.store import MAX_NAME, Store
from engine.domain import validation as check
from engine.domain.cycle import FEEDBACK_SOURCES, GOAL_VERDICTS, MEASURE_STATUSES, Cycle
from engine.domain.errors import (
    Forbidden,
    InvalidInput,
    NotAllowedInPhase,
)
from engine.domain.organisation import Organisation


class PlanCommands(Store):
    """Set goals, plan and track measures, record indicator values, review goals."""

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
            item=("goal", fields),
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
            item=("goal", fields),
            change=lambda c, o: c.revise_goal(actor_id=actor_id, reason=reason, **fields),
        )

    def _measure_fields(self, measure: Mapping[str, Any]) -> dict[str, Any]:
        theme_id = measure.get("theme_id")
        theme = None if theme_id is None else self._theme(theme_id, "theme_id")
        start = check.optional_date("start", measure.get("start"))
        due = check.optional_date("due", measure.get("due"))
        check.date_order("due", start, due)
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
            item=("measure", fields),
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
            item=("measure", fields),
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

    def import_plan(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        goals: Sequence[Mapping[str, Any]],
        measures: Sequence[Mapping[str, Any]],
        expected_version: int | None = None,
    ) -> int:
        """Set several goals and plan several measures at once (all or none), e.g. a plan read
        from a file. Items are dicts like the keyword arguments of set_goal and plan_measure;
        a refusal names the item, e.g. ``measures.2.due``."""
        prepared: list[tuple[str, str, dict[str, Any]]] = []
        for kind, items, keys in (("goal", goals, GOAL_KEYS), ("measure", measures, MEASURE_KEYS)):
            for n, item in enumerate(items):
                where = f"{kind}s.{n}"
                with _naming(where):
                    fields = _known(item, keys, f"{kind}_id")
                    item_id = check.item_id(f"{kind}_id", item.get(f"{kind}_id"))
                    details = (
                        self._goal_fields(fields)
                        if kind == "goal"
                        else self._measure_fields(fields)
                    )
                prepared.append((kind, where, {f"{kind}_id": item_id, **details}))

        def change(cycle: Cycle, organisation: Organisation) -> None:
            definition = self._definition(cycle)
            for command in ("set_goal", "plan_measure"):
                if not definition.allows(cycle.phase, command):
                    raise NotAllowedInPhase(command, cycle.phase)
            for kind, where, fields in prepared:
                with _naming(where):
                    self._validate_item(kind, fields, cycle.phase)
                    if kind == "goal":
                        cycle.set_goal(actor_id=actor_id, **fields)
                    else:
                        _check_responsible(organisation, fields["responsible_member_id"])
                        cycle.plan_measure(actor_id=actor_id, **fields)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="plan",
            command=None,
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

    def record_feedback(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        source: str,
        text: str,
        theme_id: str | None = None,
        attrs: Mapping[str, Any] | None = None,
        feedback_id: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Record feedback from parents, practitioners, partners or politics."""
        theme = None if theme_id is None else self._theme(theme_id, "theme_id")
        fields = {
            "feedback_id": check.item_id("feedback_id", feedback_id),
            "source": check.one_of("source", source, FEEDBACK_SOURCES),
            "theme_id": theme.id if theme else None,
            "text": check.text("text", text),
            "attrs": check.attrs(attrs, theme.feedback_schema if theme else None),
        }
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="report-progress",
            command="record_feedback",
            expected_version=expected_version,
            item=("feedback", fields),
            change=lambda c, o: c.record_feedback(actor_id=actor_id, **fields),
        )

    def attach_evidence(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        sha256: str,
        filename: str,
        media_type: str,
        size: int,
        subject: str = "cycle",
        attachment_id: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Record an evidence document whose content the caller has stored under its hash."""
        if not isinstance(sha256, str) or not SHA256.match(sha256):
            raise InvalidInput("sha256", "ist kein SHA-256-Hash", "is not a SHA-256 hash")
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise InvalidInput("size", "muss eine positive Zahl sein", "must be positive")
        fields: dict[str, Any] = {
            "attachment_id": check.item_id("attachment_id", attachment_id),
            "sha256": sha256,
            "filename": check.text("filename", filename, max_length=255),
            "media_type": check.text("media_type", media_type, max_length=255),
            "size": size,
            "subject": check.text("subject", subject, max_length=200),
        }

        def change(cycle: Cycle, organisation: Organisation) -> None:
            _check_subject(cycle, fields["subject"])
            cycle.attach(actor_id=actor_id, **fields)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="report-progress",
            command="attach_evidence",
            expected_version=expected_version,
            change=change,
        )

    def remove_attachment(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        attachment_id: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Withdraw an attachment (a reason is required; the file stays for the history)."""
        reason = check.reason(reason)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="remove_attachment",
            expected_version=expected_version,
            change=lambda c, o: c.remove_attachment(
                actor_id=actor_id, attachment_id=attachment_id, reason=reason
            ),
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


SHA256 = re.compile(r"^[0-9a-f]{64}$")
GOAL_KEYS = frozenset(
    {"theme_id", "title", "indicator", "unit", "baseline", "target", "due", "attrs"}
)
MEASURE_KEYS = frozenset(
    {"title", "goal_id", "theme_id", "responsible_member_id", "start", "due", "resources", "attrs"}
)


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
        "attachment": cycle.attachments,
        "lesson": cycle.lessons,
        "feedback": cycle.feedback,
        "criterion": cycle.assessments,
    }.get(kind)
    if items is None or item not in items:
        raise InvalidInput(
            "subject",
            "Unbekannter Bezug (cycle, goal:ID, measure:ID, finding:ID, lesson:ID).",
            "Unknown subject (cycle, goal:ID, measure:ID, finding:ID, lesson:ID).",
        )


def _known(item: Mapping[str, Any], known: frozenset[str], id_key: str) -> dict[str, Any]:
    """The item's fields without its own id (and without ``row``, a file's line number)."""
    fields = {k: v for k, v in item.items() if k not in (id_key, "row")}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise InvalidInput(unknown[0], "unbekanntes Feld", "unknown field")
    return fields


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """Prefix the field of a refusal with the item it concerns."""
    try:
        yield
    except InvalidInput as error:
        raise InvalidInput(f"{where}.{error.field}", error.field_de, error.field_en) from None
