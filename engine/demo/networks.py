"""A realistic demo: two networks, each with a cycle closed in 2024 and one running since 2025.

The demo knows no theme by name: it uses whatever themes are installed, rates every criterion
on its own scale and plans goals and measures from the themes' templates. It is idempotent:
an organisation that exists already is left alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from engine.application.service import Qualizyklus
from engine.domain.catalogue import Scale, Template, Theme
from engine.domain.errors import NotFound
from engine.infrastructure.passwords import hash_password

DEMO_PASSWORD = "qualizyklus-demo"
"""The password of every demo account (a demo installation only; never in production)."""

DEMO_ADMIN = ("demo-administration", "Demo-Administration", "admin@qualizyklus.example")
"""The demo's installation administrator: id, name, e-mail address."""


@dataclass(frozen=True)
class DemoPerson:
    """A demo member: role, profile and a stable id."""

    key: str
    role: str
    display_name: str
    email: str

    def person_id(self, slug: str) -> str:
        """A stable id, so that loading the demo twice finds the same people."""
        return str(uuid5(NAMESPACE_URL, f"https://qualizyklus.de/demo/{slug}/{self.key}"))


@dataclass(frozen=True)
class DemoOrganisation:
    """A demo network and its people."""

    slug: str
    name: str
    land: str
    people: tuple[DemoPerson, ...]


DEMO_ORGANISATIONS = (
    DemoOrganisation(
        "lk-musterland",
        "Landkreis Musterland",
        "NI",
        (
            DemoPerson("koordination", "coordinator", "Anna Becker", "a.becker@musterland.example"),
            DemoPerson("hebamme", "contributor", "Jana Wolff", "j.wolff@musterland.example"),
            DemoPerson("beratung", "contributor", "Mehmet Yilmaz", "m.yilmaz@musterland.example"),
            DemoPerson("ausschuss", "viewer", "Petra König", "p.koenig@musterland.example"),
        ),
    ),
    DemoOrganisation(
        "beispielstadt",
        "Stadt Beispielstadt",
        "NW",
        (
            DemoPerson(
                "koordination", "coordinator", "Lukas Schmidt", "l.schmidt@beispiel.example"
            ),
            DemoPerson(
                "kinderarzt", "contributor", "Dr. Sarah Neumann", "s.neumann@beispiel.example"
            ),
            DemoPerson(
                "familienzentrum", "contributor", "Olga Petrova", "o.petrova@beispiel.example"
            ),
            DemoPerson("steuerung", "viewer", "Thomas Wagner", "t.wagner@beispiel.example"),
        ),
    ),
)


def load_demo(app: Qualizyklus, *, progress: Callable[[str], None] = lambda _: None) -> list[str]:
    """Load the demo organisations that do not exist yet; return the slugs loaded."""
    themes = sorted(app.themes.values(), key=lambda t: t.id)
    if not themes:
        msg = "no theme is installed; the demo needs at least one theme plugin"
        raise RuntimeError(msg)
    _demo_account(app, *DEMO_ADMIN, is_admin=True)
    loaded = []
    for index, demo in enumerate(DEMO_ORGANISATIONS):
        try:
            app.organisation_by_slug(demo.slug)
            progress(f"{demo.slug}: vorhanden / exists")
            continue
        except NotFound:
            pass
        _DemoNetwork(app, demo, themes, random.Random(index)).build()
        progress(f"{demo.slug}: geladen / loaded")
        loaded.append(demo.slug)
    return loaded


class _DemoNetwork:
    """Builds one demo organisation through the service's commands."""

    def __init__(
        self, app: Qualizyklus, demo: DemoOrganisation, themes: list[Theme], rng: random.Random
    ) -> None:
        self.app = app
        self.demo = demo
        self.themes = themes
        self.rng = rng
        self.ids = {person.key: person.person_id(demo.slug) for person in demo.people}
        self.coordinator = self.ids[demo.people[0].key]
        self.raters = [self.ids[p.key] for p in demo.people if p.role != "viewer"]
        self.contributors = [self.ids[p.key] for p in demo.people if p.role == "contributor"]

    def build(self) -> None:
        """Organisation, people, the closed 2024 cycle and the running 2025 cycle."""
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

    # The cycle closed in 2024 ------------------------------------------------------------

    def _closed_cycle(self) -> UUID:
        cycle_id = self.app.start_cycle(
            self.organisation_id,
            actor_id=self.coordinator,
            title=f"Qualitätszyklus 2024 – {self.demo.name}",
            themes=[t.id for t in self.themes],
            period_start=date(2024, 1, 1),
            period_end=date(2024, 12, 31),
            workflow_version=1,
        )
        self._analyse(cycle_id, year=2024, bias=-1)
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        goals, measures = self._plan(cycle_id, year=2024)
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        statuses = ["done", "done", "dropped", "carried-over"]
        for measure_id, status in zip(measures, statuses * len(measures), strict=False):
            self._move(cycle_id, measure_id, "running")
            self._move(cycle_id, measure_id, status)
        self._indicator_values(cycle_id, goals, year=2024)
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        verdicts = ["reached", "partly", "not"]
        for goal_id, verdict in zip(goals, verdicts * len(goals), strict=False):
            self.app.review_goal(
                cycle_id,
                actor_id=self.coordinator,
                goal_id=goal_id,
                verdict=verdict,
                evidence="Auswertung der Indikatorwerte in der Steuerungsgruppe im Dezember 2024.",
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
            follow_up="Nicht abgeschlossene Maßnahmen werden in den Zyklus 2025 übernommen.",
        )
        return cycle_id

    # The cycle running since 2025 --------------------------------------------------------

    def _running_cycle(self, previous: UUID) -> UUID:
        cycle_id = self.app.start_cycle(
            self.organisation_id,
            actor_id=self.coordinator,
            title=f"Qualitätszyklus 2025/26 – {self.demo.name}",
            themes=[t.id for t in self.themes],
            period_start=date(2025, 1, 1),
            period_end=date(2026, 12, 31),
            follows=previous,
        )
        self._analyse(cycle_id, year=2025, bias=0)
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        goals, measures = self._plan(cycle_id, year=2025)
        self.app.advance_phase(cycle_id, actor_id=self.coordinator)
        plan = ["running", "done", "blocked", "dropped", "carried-over", "planned"]
        for measure_id, status in zip(measures, plan * len(measures), strict=False):
            if status != "planned":
                self._move(cycle_id, measure_id, "running")
            if status not in ("planned", "running"):
                self._move(cycle_id, measure_id, status)
        self._indicator_values(cycle_id, goals, year=2025)
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

    def _plan(self, cycle_id: UUID, *, year: int) -> tuple[list[str], list[str]]:
        goals: list[str] = []
        measures: list[str] = []
        for theme in self.themes:
            goal_templates = _templates(theme, "goal")[:1]
            for template in goal_templates:
                baseline = float(self.rng.randint(1, 4))
                goal_id = f"ziel-{year}-{len(goals) + 1}"
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
                    due=date(year, 11, 30),
                    attrs=dict(template.attrs),
                )
                goals.append(goal_id)
            for template in _templates(theme, "measure")[:2]:
                measure_id = f"massnahme-{year}-{len(measures) + 1}"
                self.app.plan_measure(
                    cycle_id,
                    actor_id=self.coordinator,
                    measure_id=measure_id,
                    title=template.title.de,
                    goal_id=goals[-1] if goal_templates else None,
                    theme_id=theme.id,
                    responsible_member_id=self.raters[len(measures) % len(self.raters)],
                    start=date(year, 3, 1),
                    due=date(year, 10, 31),
                    resources="10 Stunden Netzwerkkoordination, Sachmittel 500 €",
                    attrs=dict(template.attrs),
                )
                measures.append(measure_id)
        if not goals:
            self.app.set_goal(
                cycle_id,
                actor_id=self.coordinator,
                goal_id=f"ziel-{year}-1",
                title="Netzwerkarbeit verbindlich gestalten",
                indicator="Partner mit Vereinbarung",
                unit="Anzahl",
                baseline=3.0,
                target=8.0,
                due=date(year, 11, 30),
            )
            goals.append(f"ziel-{year}-1")
        if not measures:
            self.app.plan_measure(
                cycle_id,
                actor_id=self.coordinator,
                measure_id=f"massnahme-{year}-1",
                title="Netzwerkkonferenz",
                responsible_member_id=self.coordinator,
                due=date(year, 10, 31),
            )
            measures.append(f"massnahme-{year}-1")
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

    def _indicator_values(self, cycle_id: UUID, goals: list[str], *, year: int) -> None:
        state = self.app.cycle(cycle_id)
        for goal_id in goals:
            baseline = state["goals"][goal_id]["baseline"] or 0.0
            for month, gain in ((5, 1.0), (9, 2.0)):
                self.app.record_indicator_value(
                    cycle_id,
                    actor_id=self.contributors[0],
                    goal_id=goal_id,
                    value=baseline + gain + self.rng.randint(0, 1),
                    measured_on=date(year, month, 15),
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

FEEDBACK = (
    (
        "parents",
        "Elterncafé im Familienzentrum: Die Angebote sind bekannter geworden; "
        "Termine am Abend wären hilfreicher.",
    ),
    ("practitioners", "Die Fallberatung im Netzwerk wird als entlastend erlebt."),
)

LESSONS = (
    "Frühzeitige Einbindung des Jugendhilfeausschusses beschleunigt Beschlüsse.",
    "Rückmeldungen von Eltern brauchen feste Termine und niedrigschwellige Formate.",
)
