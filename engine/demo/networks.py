"""A realistic demo: networks, each with a cycle closed last year and one running around today.

Its dates are counted from a day (today unless told, :class:`DemoCalendar`): some measures are
due in a few days, some overdue by a few days, and the running cycle's period spans today.
Apart from that day it is deterministic. Five of its networks lie in Lower Saxony, so the state
view (at least five organisations) shows figures to the demo's state coordinator.

The demo knows no theme by name: it uses whatever themes are installed, rates every criterion
on its own scale and plans goals and measures from the themes' templates. It is idempotent:
an organisation that exists already is left alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from uuid import UUID

from engine.application.service import Qualizyklus
from engine.application.state_office import state_office
from engine.demo.calendar import (
    DEMO_REFERENCE_DAY,
    GOALS_DUE_IN,
    MEASURES_STARTED,
    VALUES_MEASURED,
    DemoCalendar,
)
from engine.demo.people import (
    DEMO_ADMIN,
    DEMO_LAND_ORGANISATIONS,
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    DEMO_STATE_COORDINATOR,
    FEEDBACK,
    LESSONS,
    DemoOrganisation,
    DemoPerson,
)
from engine.demo.records import give_records
from engine.domain.catalogue import Scale, Template, Theme
from engine.domain.errors import NotFound
from engine.infrastructure.passwords import hash_password

__all__ = [
    "DEMO_ADMIN",
    "DEMO_LAND_ORGANISATIONS",
    "DEMO_ORGANISATIONS",
    "DEMO_PASSWORD",
    "DEMO_REFERENCE_DAY",
    "DEMO_STATE_COORDINATOR",
    "DemoOrganisation",
    "DemoPerson",
    "load_demo",
]


def load_demo(
    app: Qualizyklus,
    *,
    today: date | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[str]:
    """Load the demo organisations that do not exist yet; return the slugs loaded.

    Their dates are counted from ``today`` (the actual day unless given; tests give
    :data:`DEMO_REFERENCE_DAY`).
    """
    themes = sorted(app.themes.values(), key=lambda t: t.id)
    if not themes:
        msg = "no theme is installed; the demo needs at least one theme plugin"
        raise RuntimeError(msg)
    calendar = DemoCalendar(today or date.today())
    _demo_account(app, *DEMO_ADMIN, is_admin=True)
    lako_id, lako_name, lako_email, land = DEMO_STATE_COORDINATOR
    _demo_account(app, lako_id, lako_name, lako_email)
    office = state_office(app)
    if office.land_of(lako_id) is None:
        office.grant(lako_id, land, actor="demo")
    loaded = []
    for index, demo in enumerate(DEMO_ORGANISATIONS + DEMO_LAND_ORGANISATIONS):
        try:
            app.organisation_by_slug(demo.slug)
            progress(f"{demo.slug}: vorhanden / exists")
            continue
        except NotFound:
            pass
        _DemoNetwork(app, demo, themes, random.Random(index), calendar).build()
        progress(f"{demo.slug}: geladen / loaded")
        loaded.append(demo.slug)
    return loaded


class _DemoNetwork:
    """Builds one demo organisation through the service's commands."""

    def __init__(
        self,
        app: Qualizyklus,
        demo: DemoOrganisation,
        themes: list[Theme],
        rng: random.Random,
        calendar: DemoCalendar,
    ) -> None:
        self.app = app
        self.calendar = calendar
        self.demo = demo
        self.themes = themes
        self.rng = rng
        self.ids = {person.key: person.person_id(demo.slug) for person in demo.people}
        self.coordinator = self.ids[demo.people[0].key]
        self.raters = [self.ids[p.key] for p in demo.people if p.role != "viewer"]
        self.contributors = [self.ids[p.key] for p in demo.people if p.role == "contributor"]

    def build(self) -> None:
        """Organisation, people, the closed cycle of last year and the running cycle."""
        for person in self.demo.people:
            _demo_account(self.app, self.ids[person.key], person.display_name, person.email)
        self.organisation_id = self.app.register_organisation(
            name=self.demo.name,
            slug=self.demo.slug,
            land=self.demo.land,
            coordinator_id=self.coordinator,
        )
        for person in self.demo.people[1:]:
            self.app.grant_role(
                self.organisation_id,
                actor_id=self.coordinator,
                member_id=self.ids[person.key],
                role=person.role,
            )
        closed = self._closed_cycle()
        self._running_cycle(closed)

    # The cycle closed last year -----------------------------------------------------------

    def _closed_cycle(self) -> UUID:
        when = self.calendar
        year = when.closed_year
        cycle_id = self.app.start_cycle(
            self.organisation_id,
            actor_id=self.coordinator,
            title=f"Qualitätszyklus {year} – {self.demo.name}",
            themes=[t.id for t in self.themes],
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            workflow_version=1,
        )
        self._analyse(cycle_id, year=year, bias=-1)
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        goals, measures = self._plan(
            cycle_id,
            key=str(year),
            start=when.closed_day(3, 1),
            due=lambda _: when.closed_day(10, 31),
            goals_due=when.closed_day(11, 30),
        )
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        statuses = ["done", "done", "dropped", "carried-over"]
        for measure_id, status in zip(measures, statuses * len(measures), strict=False):
            self._move(cycle_id, measure_id, "running")
            self._move(cycle_id, measure_id, status)
        self._indicator_values(cycle_id, goals, (when.closed_day(5, 15), when.closed_day(9, 15)))
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        verdicts = ["reached", "partly", "not"]
        for goal_id, verdict in zip(goals, verdicts * len(goals), strict=False):
            self.app.review_goal(
                cycle_id,
                actor_id=self.coordinator,
                goal_id=goal_id,
                verdict=verdict,
                evidence="Auswertung der Indikatorwerte in der Steuerungsgruppe im Dezember "
                f"{year}.",
            )
        for source, text in FEEDBACK:
            self.app.record_feedback(
                cycle_id, actor_id=self.contributors[0], source=source, text=text
            )
        for text in LESSONS:
            self.app.record_lesson(cycle_id, actor_id=self.coordinator, text=text)
        self.app.close_cycle(
            cycle_id,
            actor_id=self.coordinator,
            summary="Die Netzwerkarbeit ist verbindlicher geworden; Eltern wurden erstmals "
            "an der Auswertung beteiligt.",
            follow_up="Nicht abgeschlossene Maßnahmen werden in den Zyklus "
            f"{when.year} übernommen.",
        )
        return cycle_id

    # The cycle running around today -------------------------------------------------------

    def _running_cycle(self, previous: UUID) -> UUID:
        when = self.calendar
        first, last = when.running_period
        cycle_id = self.app.start_cycle(
            self.organisation_id,
            actor_id=self.coordinator,
            title=f"Qualitätszyklus {when.running_label} – {self.demo.name}",
            themes=[t.id for t in self.themes],
            period_start=first,
            period_end=last,
            follows=previous,
        )
        self._analyse(cycle_id, year=when.year, bias=0)
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        goals, measures = self._plan(
            cycle_id,
            key=str(when.year),
            start=when.days(-MEASURES_STARTED),
            due=when.measure_due,
            goals_due=when.days(GOALS_DUE_IN),
        )
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        plan = ["running", "done", "blocked", "dropped", "carried-over", "planned"]
        for measure_id, status in zip(measures, plan * len(measures), strict=False):
            if status != "planned":
                self._move(cycle_id, measure_id, "running")
            if status not in ("planned", "running"):
                self._move(cycle_id, measure_id, status)
        self._indicator_values(cycle_id, goals, tuple(when.days(-d) for d in VALUES_MEASURED))
        self.app.add_comment(
            cycle_id,
            actor_id=self.contributors[0],
            text="Die Elternbefragung startet nach den Sommerferien.",
        )
        return cycle_id

    # Steps -------------------------------------------------------------------------------

    def _analyse(self, cycle_id: UUID, *, year: int, bias: int) -> None:
        for theme in self.themes:
            for criterion in theme.criteria:
                for rater in self.raters:
                    self.app.record_assessment(
                        cycle_id,
                        actor_id=self.coordinator,
                        rater_id=rater,
                        theme_id=theme.id,
                        criterion_id=criterion.id,
                        value=self._rating(criterion.scale, bias),
                    )
            self.app.record_finding(
                cycle_id,
                actor_id=self.coordinator,
                kind="strength",
                theme_id=theme.id,
                text=f"{theme.title.de}: Die Partner arbeiten verlässlich zusammen.",
            )
        needs = []
        for theme in self.themes:
            finding_id = f"bedarf-{theme.id}"[:64]
            self.app.record_finding(
                cycle_id,
                actor_id=self.coordinator,
                kind="need",
                theme_id=theme.id,
                finding_id=finding_id,
                text=f"{theme.title.de}: Hier sehen die Beteiligten Entwicklungsbedarf ({year}).",
            )
            needs.append(finding_id)
        self.app.set_priorities(cycle_id, actor_id=self.coordinator, finding_ids=needs)

    def _rating(self, scale: Scale, bias: int) -> float | str:
        if scale.kind == "levels":
            top = len(scale.levels) - 1
            index = min(top, max(0, self.rng.randint(0, top) + bias))
            return scale.levels[index].id
        steps = int((scale.maximum - scale.minimum) / scale.step)
        step = min(steps, max(0, self.rng.randint(steps // 3, steps) + bias))
        value = scale.minimum + step * scale.step
        return int(value) if float(value).is_integer() else value

    def _plan(
        self,
        cycle_id: UUID,
        *,
        key: str,
        start: date,
        due: Callable[[int], date],
        goals_due: date,
    ) -> tuple[list[str], list[str]]:
        goals: list[str] = []
        measures: list[str] = []
        for theme in self.themes:
            first_goal = len(goals)
            goal_templates = _templates(theme, "goal")[:1]
            for template in goal_templates:
                baseline = float(self.rng.randint(1, 4))
                goal_id = f"ziel-{key}-{len(goals) + 1}"
                self.app.set_goal(
                    cycle_id,
                    actor_id=self.coordinator,
                    goal_id=goal_id,
                    theme_id=theme.id,
                    title=template.title.de,
                    indicator=f"Kennzahl: {template.title.de}",
                    unit="Anzahl",
                    baseline=baseline,
                    target=baseline + 4,
                    due=goals_due,
                    attrs=dict(template.attrs),
                )
                goals.append(goal_id)
            give_records(
                self.app,
                cycle_id,
                actor_id=self.coordinator,
                theme=theme,
                goal_ids=goals[first_goal:],
            )
            for template in _templates(theme, "measure")[:2]:
                measure_id = f"massnahme-{key}-{len(measures) + 1}"
                self.app.plan_measure(
                    cycle_id,
                    actor_id=self.coordinator,
                    measure_id=measure_id,
                    title=template.title.de,
                    goal_id=goals[-1] if goal_templates else None,
                    theme_id=theme.id,
                    responsible_member_id=self.raters[len(measures) % len(self.raters)],
                    start=start,
                    due=due(len(measures)),
                    resources="10 Stunden Netzwerkkoordination, Sachmittel 500 €",
                    attrs=dict(template.attrs),
                )
                measures.append(measure_id)
        if not goals:
            self.app.set_goal(
                cycle_id,
                actor_id=self.coordinator,
                goal_id=f"ziel-{key}-1",
                title="Netzwerkarbeit verbindlich gestalten",
                indicator="Partner mit Vereinbarung",
                unit="Anzahl",
                baseline=3.0,
                target=8.0,
                due=goals_due,
            )
            goals.append(f"ziel-{key}-1")
        if not measures:
            self.app.plan_measure(
                cycle_id,
                actor_id=self.coordinator,
                measure_id=f"massnahme-{key}-1",
                title="Netzwerkkonferenz",
                responsible_member_id=self.coordinator,
                due=due(0),
            )
            measures.append(f"massnahme-{key}-1")
        return goals, measures

    def _move(self, cycle_id: UUID, measure_id: str, status: str) -> None:
        reason = STATUS_REASONS.get(status, "")
        self.app.change_measure_status(
            cycle_id,
            actor_id=self.coordinator,
            measure_id=measure_id,
            status=status,
            reason=reason,
        )

    def _indicator_values(
        self, cycle_id: UUID, goals: list[str], measured: tuple[date, ...]
    ) -> None:
        state = self.app.cycle(cycle_id)
        for goal_id in goals:
            baseline = state["goals"][goal_id]["baseline"] or 0.0
            for day, gain in zip(measured, (1.0, 2.0), strict=True):
                self.app.record_indicator_value(
                    cycle_id,
                    actor_id=self.contributors[0],
                    goal_id=goal_id,
                    value=baseline + gain + self.rng.randint(0, 1),
                    measured_on=day,
                    source="Netzwerkstatistik",
                )


def _demo_account(
    app: Qualizyklus, person_id: str, name: str, email: str, *, is_admin: bool = False
) -> None:
    """A demo profile that can sign in with the demo password (left alone if it exists)."""
    if app.profiles.get(person_id) is not None:
        return
    app.profiles.put(person_id, display_name=name, email=email)
    app.profiles.set_password_hash(person_id, hash_password(DEMO_PASSWORD))
    app.profiles.set_admin(person_id, is_admin)


def _templates(theme: Theme, kind: str) -> list[Template]:
    return [t for t in theme.templates if t.kind == kind]


STATUS_REASONS = {
    "blocked": "Die Finanzierung ist noch nicht bewilligt.",
    "dropped": "Der Jugendhilfeausschuss hat andere Prioritäten gesetzt.",
    "carried-over": "Wird im nächsten Zyklus fortgesetzt.",
}
