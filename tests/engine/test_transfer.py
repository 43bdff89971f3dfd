"""Export and import: a history moves whole into an empty store, or not at all.

Every refusal is checked against the target store itself: it must hold no event afterwards
(or, for a second import, exactly what it held before).
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from engine.application.audit import verify
from engine.application.service import Qualizyklus
from engine.application.transfer import ImportRefused, export_organisation, import_history
from engine.domain.errors import NotFound
from engine.domain.organisation import organisation_id_for
from engine.domain.sealing import GENESIS_SEAL, compute_seal
from engine.infrastructure.settings import Settings
from tests.conftest import PostgresServer
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.test_set_aside import as_an_older_version

SLUG = "lk-export"


def empty_store_like(
    settings: Settings, directory: Path, request: pytest.FixtureRequest
) -> Settings:
    """A second, empty store of the same kind: a new SQLite file or a new PostgreSQL schema."""
    token = secrets.token_hex(6)
    if settings.is_sqlite:
        directory.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{directory}/target-{token}.db"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        with server.connect() as connection:
            connection.execute(f'CREATE SCHEMA "t_{token}"')
        url = server.url(f"t_{token}")
    target = Settings(database=url)
    Qualizyklus(target, create_tables=True).close()
    return target


@pytest.fixture
def target(
    settings: Settings, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Qualizyklus]:
    """The engine on a second, empty store of the same kind as ``app``'s."""
    application = Qualizyklus(
        empty_store_like(settings, tmp_path / "target", request), themes=SAMPLE_THEMES
    )
    yield application
    application.close()


def event_count(app: Qualizyklus) -> int:
    """How many events the store holds (read through its notification log)."""
    return len(app.recorder.select_notifications(1, 100_000))


def aggregate_state(app: Qualizyklus, aggregate_id: UUID) -> dict[str, Any]:
    """The aggregate's own ``as_dict()``, loaded through the application's repository."""
    return dict(app.repository.get(aggregate_id).as_dict())  # type: ignore[attr-defined]


def build(app: Qualizyklus) -> tuple[UUID, list[UUID]]:
    """An organisation with two cycles: one well under way, one just started."""
    organisation_id = app.register_organisation(
        name="Stadt Beispiel", slug=SLUG, land="HE", coordinator_id="coord"
    )
    app.grant_role(organisation_id, actor_id="coord", member_id="anna", role="contributor")
    first = app.start_cycle(
        organisation_id, actor_id="coord", title="Zyklus 2024", themes=["network", "families"],
        period_start="2024-01-01", period_end="2024-12-31",
    )  # fmt: skip
    for theme_id, criterion_id, value in (
        ("network", "partners-known", 4),
        ("network", "binding-structures", "minimum"),
        ("families", "low-threshold", 2),
    ):
        app.record_assessment(
            first, actor_id="anna", theme_id=theme_id, criterion_id=criterion_id, value=value
        )
    app.record_finding(first, actor_id="coord", finding_id="f1", kind="need", text="Zugang")
    app.set_priorities(first, actor_id="coord", finding_ids=["f1"])
    app.advance_phase(first, actor_id="coord")
    app.set_goal(
        first, actor_id="coord", goal_id="g1", title="Mehr Familien erreichen",
        indicator="Erstkontakte", baseline=10, target=25, due="2024-10-31",
    )  # fmt: skip
    app.plan_measure(
        first, actor_id="coord", measure_id="m1", title="Willkommensbesuche", goal_id="g1",
        theme_id="network", responsible_member_id="anna", due="2024-09-30", attrs={"level": 3},
    )  # fmt: skip
    app.add_comment(first, actor_id="anna", subject="measure:m1", text="Übernehme ich gern.")
    second = app.start_cycle(
        organisation_id, actor_id="coord", title="Zyklus 2025", themes=["families"],
        period_start="2025-01-01", period_end="2025-12-31",
    )  # fmt: skip
    return organisation_id, [first, second]


def export_lines(app: Qualizyklus, slug: str = SLUG) -> list[str]:
    """The export file's lines (each ending with a newline), split as a file splits them."""
    out = io.StringIO()
    export_organisation(app, slug, out)
    return list(io.StringIO(out.getvalue()))


@pytest.fixture
def exported(app: Qualizyklus) -> list[str]:
    """The export of ``build``'s organisation from ``app``'s store."""
    build(app)
    return export_lines(app)


def rows(lines: list[str]) -> list[dict[str, Any]]:
    """Every line of an export, parsed."""
    return [json.loads(line) for line in lines]


def to_lines(rows_: list[dict[str, Any]]) -> list[str]:
    """Lines for header and event rows, with a trailer recomputed as the exporter does."""
    header, *body = rows_
    lines = [_line(header)] + [_line(row) for row in body]
    digest = hashlib.sha256("".join(lines[1:]).encode("utf-8")).hexdigest()
    return [*lines, _line({"events": len(body), "sha256": digest})]


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def reseal(app: Qualizyklus, event_rows: list[dict[str, Any]]) -> None:
    """Recompute every seal in export rows (a forger who knows the algorithm)."""
    seals: dict[str, str] = {}
    for row in event_rows:
        state = app.mapper.transcoder.decode(json.dumps(row["state"]).encode())
        seal = compute_seal(
            seals.get(row["aggregate_id"], GENESIS_SEAL), topic=row["topic"],
            originator_id=UUID(row["aggregate_id"]), originator_version=row["version"],
            state=state,
        )  # fmt: skip
        row["state"]["seal"] = seals[row["aggregate_id"]] = seal


def event_index(body: list[dict[str, Any]], topic_suffix: str) -> int:
    """The position of the first event row whose topic ends with ``topic_suffix``."""
    return next(i for i, row in enumerate(body) if row["topic"].endswith(topic_suffix))


def refused(target: Qualizyklus, lines: list[str]) -> ImportRefused:
    """Import, expecting a refusal; check that nothing was written."""
    with pytest.raises(ImportRefused) as caught:
        import_history(target, lines)
    assert event_count(target) == 0
    assert verify(target).events == 0
    return caught.value


# Round trip ----------------------------------------------------------------------------------


def test_an_import_into_an_empty_store_reproduces_the_organisation_and_every_cycle(
    app: Qualizyklus, target: Qualizyklus
) -> None:
    organisation_id, cycle_ids = build(app)
    lines = export_lines(app)

    report = import_history(target, lines)

    assert report.organisation_slug == SLUG
    assert report.aggregates == 3
    assert report.events == event_count(app) == len(lines) - 2
    assert target.organisation(organisation_id) == app.organisation(organisation_id)
    for cycle_id in cycle_ids:
        assert aggregate_state(target, cycle_id) == aggregate_state(app, cycle_id)
    assert target.organisation_ids() == [organisation_id]
    assert event_count(target) == event_count(app)


def test_an_imported_store_verifies_with_the_same_chain_heads(
    app: Qualizyklus, target: Qualizyklus, exported: list[str]
) -> None:
    import_history(target, exported)

    source, copy = verify(app), verify(target)
    assert copy.ok
    assert copy.events == source.events == len(exported) - 2
    assert copy.heads == source.heads
    assert copy.digest == source.digest


def test_an_imported_history_exports_to_the_same_events(
    target: Qualizyklus, exported: list[str]
) -> None:
    import_history(target, exported)

    again = export_lines(target)
    assert again[1:] == exported[1:]
    assert rows(again)[0]["organisation"] == SLUG


def test_an_imported_cycle_takes_new_commands_and_stays_verifiable(
    app: Qualizyklus, target: Qualizyklus, exported: list[str]
) -> None:
    import_history(target, exported)
    cycle_id = UUID(rows(exported)[-2]["aggregate_id"])

    version = target.add_comment(cycle_id, actor_id="coord", text="Nach dem Umzug")

    assert version == app.cycle(cycle_id)["version"] + 1
    assert verify(target).ok


@pytest.mark.parametrize(
    "text",
    [
        'Absatz\u2028Trenner\u2029Absatz "Zitat" \\ Tab\t Emoji \U0001f642 Ende\r\nZeile',
        # Control characters are refused as input today; an older version wrote them.
        'Absatz\u2028Trenner\x85NEL\x1cFS "Zitat" \\ Tab\t Emoji \U0001f642 Ende',
    ],
    ids=["today", "older-version"],
)
def test_text_with_unusual_line_separators_survives_a_round_trip_through_a_file(
    app: Qualizyklus,
    target: Qualizyklus,
    tmp_path: Path,
    text: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, cycle_ids = build(app)
    if "\x85" in text:
        with as_an_older_version(monkeypatch):
            app.add_comment(cycle_ids[0], actor_id="anna", text=text, comment_id="c-odd")
    else:
        app.add_comment(cycle_ids[0], actor_id="anna", text=text, comment_id="c-odd")
    path = tmp_path / "export.jsonl"
    with path.open("w", encoding="utf-8") as file:
        export_organisation(app, SLUG, file)

    with path.open(encoding="utf-8") as file:
        import_history(target, file)

    assert target.cycle(cycle_ids[0])["comments"]["c-odd"]["text"] == text
    assert aggregate_state(target, cycle_ids[0]) == aggregate_state(app, cycle_ids[0])
    assert verify(target).ok


def test_an_organisation_without_cycles_round_trips(app: Qualizyklus, target: Qualizyklus) -> None:
    organisation_id = app.register_organisation(
        name="Gemeinde Klein", slug="gemeinde-klein", land="BY", coordinator_id="coord"
    )

    report = import_history(target, export_lines(app, "gemeinde-klein"))

    assert (report.aggregates, report.events) == (1, 2)
    assert target.organisation(organisation_id) == app.organisation(organisation_id)


def test_exporting_an_unknown_organisation_is_not_found(app: Qualizyklus) -> None:
    with pytest.raises(NotFound):
        export_organisation(app, "gibt-es-nicht", io.StringIO())


# Refusals: nothing is written ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["das ist kein JSON\n", "\x00\x01\x02\n", "", "[1, 2, 3]\n[4]\n"],
    ids=["text", "binary", "empty", "json-but-no-objects"],
)
def test_a_file_that_is_not_an_export_is_refused(target: Qualizyklus, content: str) -> None:
    refused(target, list(io.StringIO(content)))


def test_a_file_with_a_broken_line_in_the_middle_is_refused(
    target: Qualizyklus, exported: list[str]
) -> None:
    lines = list(exported)
    lines[4] = lines[4][: len(lines[4]) // 2] + "\n"

    error = refused(target, lines)
    assert "line 5" in error.en


@pytest.mark.parametrize("cut", [1, 2, 5])
def test_a_file_missing_its_last_lines_is_refused(
    target: Qualizyklus, exported: list[str], cut: int
) -> None:
    refused(target, exported[:-cut])


def test_a_file_cut_in_the_middle_of_its_last_line_is_refused(
    target: Qualizyklus, exported: list[str]
) -> None:
    text = "".join(exported)
    refused(target, list(io.StringIO(text[: len(text) - 20])))


def test_an_altered_event_is_refused_even_with_a_recomputed_trailer(
    target: Qualizyklus, exported: list[str]
) -> None:
    header, *body, _ = rows(exported)
    index = event_index(body, "Cycle.AssessmentRecorded")
    assert body[index]["state"]["value"] == 4
    body[index]["state"]["value"] = 5

    error = refused(target, to_lines([header, *body]))

    assert body[index]["aggregate_id"] in error.en
    assert f"version {body[index]['version']}" in error.en
    assert "seal" in error.en


def test_an_altered_event_is_refused_by_the_trailer_alone(
    target: Qualizyklus, exported: list[str]
) -> None:
    lines = list(exported)
    index = next(i for i, line in enumerate(lines) if "Cycle.AssessmentRecorded" in line)
    assert '"value":4' in lines[index]
    lines[index] = lines[index].replace('"value":4', '"value":5')

    error = refused(target, lines)
    assert "digest" in error.en


def test_the_first_sealed_aggregate_being_sound_does_not_let_a_later_one_slip_in(
    target: Qualizyklus, exported: list[str]
) -> None:
    header, *body, _ = rows(exported)
    body[-1]["state"]["title"] = "Umbenannt"

    refused(target, to_lines([header, *body]))


@pytest.mark.parametrize("trailer", ["recomputed", "kept"])
def test_a_removed_event_is_refused(target: Qualizyklus, exported: list[str], trailer: str) -> None:
    header, *body, original = rows(exported)
    index = event_index(body, "Cycle.FindingRecorded")
    removed = body.pop(index)
    lines = to_lines([header, *body])
    if trailer == "kept":
        lines[-1] = _line(original)

    error = refused(target, lines)
    if trailer == "recomputed":
        assert removed["aggregate_id"] in error.en
        assert f"version {removed['version']}" in error.en


def test_an_unknown_topic_is_refused_even_with_valid_seals(
    app: Qualizyklus, target: Qualizyklus, exported: list[str]
) -> None:
    header, *body, _ = rows(exported)
    index = event_index(body, "Cycle.FindingRecorded")
    body[index]["topic"] = "qualizyklus:Cycle.SomethingNobodyDefined"
    reseal(app, body)

    error = refused(target, to_lines([header, *body]))
    assert "SomethingNobodyDefined" in error.en


def test_reseal_reproduces_the_exported_seals(app: Qualizyklus, exported: list[str]) -> None:
    """The forger in the test above is a capable one: resealing changes nothing by itself."""
    header, *body, _ = rows(exported)
    reseal(app, body)

    assert to_lines([header, *body]) == exported


def test_a_history_that_does_not_replay_is_refused(
    app: Qualizyklus, target: Qualizyklus, exported: list[str]
) -> None:
    header, *body, _ = rows(exported)
    index = event_index(body, "Cycle.PrioritiesSet")
    del body[index]["state"]["finding_ids"]
    reseal(app, body)

    refused(target, to_lines([header, *body]))


def test_a_file_without_the_organisation_is_refused(
    target: Qualizyklus, exported: list[str]
) -> None:
    header, *body, _ = rows(exported)
    organisation = str(organisation_id_for(SLUG))
    body = [row for row in body if row["aggregate_id"] != organisation]

    refused(target, to_lines([header, *body]))


def test_a_second_import_of_the_same_organisation_is_refused_and_changes_nothing(
    target: Qualizyklus, exported: list[str]
) -> None:
    import_history(target, exported)
    before = export_lines(target)
    count = event_count(target)

    with pytest.raises(ImportRefused):
        import_history(target, exported)

    assert event_count(target) == count
    assert export_lines(target)[1:] == before[1:]
    assert verify(target).ok


def test_an_organisation_is_refused_by_a_store_that_holds_it_but_accepted_by_an_empty_one(
    app: Qualizyklus, target: Qualizyklus, exported: list[str]
) -> None:
    count = event_count(app)

    with pytest.raises(ImportRefused):
        import_history(app, exported)

    assert event_count(app) == count
    import_history(target, exported)
    assert event_count(target) == count


def test_a_file_missing_a_whole_registered_cycle_is_refused(
    target: Qualizyklus, exported: list[str]
) -> None:
    header, *body, _ = rows(exported)
    cycle_id = body[-1]["aggregate_id"]
    assert body[-1]["topic"] == "qualizyklus:Cycle.CycleStarted"
    body = [row for row in body if row["aggregate_id"] != cycle_id]

    refused(target, to_lines([header, *body]))
