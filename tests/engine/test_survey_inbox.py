"""Parents' answers wait in the inbox and are folded onto the cycle: waiting answers count in
results, limit and export; a fold cut short neither doubles nor loses an answer; one folder at
a time holds the lease; answers of version 1 (``sha256:`` texts) stay readable and erasable;
survey texts travel with export and import, and an erased one is gone from file and export."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest

import plugins.parent_participation as parent_participation
from engine.application import survey_inbox
from engine.application.audit import verify
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.application.survey_texts import survey_texts
from engine.application.transfer import ImportRefused, export_organisation, import_history
from engine.domain.cycle import Cycle
from engine.domain.errors import InvalidInput
from engine.domain.surveys import SurveyClosedError
from engine.infrastructure.settings import Settings
from tests.engine.stories import Network, participation_engine, register_network

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 6, 1)


@pytest.fixture
def paused(monkeypatch: pytest.MonkeyPatch) -> None:
    """No background fold while the test runs: answers wait until a query or close folds."""
    monkeypatch.setattr(survey_inbox, "FOLD_INTERVAL", 3600.0)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine with the parent participation theme (its question set)."""
    yield from participation_engine(settings)


@pytest.fixture
def network(engine: Qualizyklus) -> Network:
    """An organisation with a coordinator."""
    return register_network(engine)


@pytest.fixture
def cycle_id(engine: Qualizyklus, network: Network) -> UUID:
    """A cycle on the parent participation theme."""
    return engine.start_cycle(
        network.organisation_id,
        actor_id=network.coordinator,
        title="Zyklus 2025",
        themes=["parent-participation"],
        period_start="2025-01-01",
        period_end="2025-12-31",
    )


def _survey(engine: Qualizyklus, network: Network, cycle_id: UUID, **options: object) -> str:
    return engine.create_survey(
        cycle_id,
        actor_id=network.coordinator,
        title="Elternbefragung",
        question_set_id="parents-good-practice",
        closes_on="2025-07-31",
        **options,  # type: ignore[arg-type]
    )


def _answer(engine: Qualizyklus, cycle_id: UUID, survey_id: str, text: str = "") -> str:
    return engine.answer_survey(
        cycle_id,
        survey_id,
        language="de",
        choices={"heard": ["yes"], "rating": ["4"]},
        texts={"open": text} if text else {},
        today=TODAY,
    )


def _waiting(engine: Qualizyklus, cycle_id: UUID) -> int:
    return survey_inbox.inbox(engine).waiting(str(cycle_id))


def _answered(engine: Qualizyklus, cycle_id: UUID) -> list[str]:
    events = engine.events.get(cycle_id)  # type: ignore[attr-defined]
    batches = [e for e in events if isinstance(e, Cycle.SurveyAnswersRecorded)]
    return [answer["answer_id"] for batch in batches for answer in batch.answers]


@pytest.mark.usefixtures("paused")
def test_waiting_answers_count_in_results_and_export(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    for number in range(5):
        _answer(engine, cycle_id, survey_id, f"Antwort {number}")
    assert _waiting(engine, cycle_id) == 5 and _answered(engine, cycle_id) == []
    parents_view = engine.survey_to_answer(cycle_id, survey_id)
    assert parents_view["answers"] == 0 and _waiting(engine, cycle_id) == 5
    assert "results" not in parents_view and parents_view["questions"]
    survey = engine.survey(cycle_id, survey_id, actor_id=network.coordinator)
    assert survey["answers"] == 5 and survey["results"] is not None
    assert _waiting(engine, cycle_id) == 0
    _answer(engine, cycle_id, survey_id, "die sechste")
    exported = engine.survey_answers(cycle_id, survey_id, actor_id=network.coordinator)
    assert sorted(a["texts"]["open"] for a in exported)[-1] == "die sechste"
    assert len(exported) == 6


@pytest.mark.usefixtures("paused")
def test_the_answer_limit_counts_waiting_answers_and_holds_for_concurrent_posts(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id, max_answers=5)
    taken: list[str] = []
    refused: list[BaseException] = []

    def parent() -> None:
        for _ in range(2):
            try:
                taken.append(_answer(engine, cycle_id, survey_id))
            except SurveyClosedError as error:
                refused.append(error)

    threads = [threading.Thread(target=parent) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(taken), len(refused)) == (5, 7)
    assert _waiting(engine, cycle_id) == 5
    assert engine.survey(cycle_id, survey_id)["answers"] == 5
    assert sorted(_answered(engine, cycle_id)) == sorted(taken)


@pytest.mark.usefixtures("paused")
def test_closing_records_the_answers_taken_in_before_and_refuses_later_ones(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    for _ in range(5):
        _answer(engine, cycle_id, survey_id)
    engine.close_survey(cycle_id, survey_id, actor_id=network.coordinator)
    assert _waiting(engine, cycle_id) == 0
    assert len(_answered(engine, cycle_id)) == 5
    with pytest.raises(SurveyClosedError):
        _answer(engine, cycle_id, survey_id)
    cycle = engine._load(Cycle, cycle_id, for_change=True)
    late = datetime.now(UTC) + timedelta(seconds=1)
    late_answer = {"answer_id": "late", "on_paper": False, "language": "de", "choices": {}}
    refused = cycle.record_answers(
        actor_id="survey-parent",
        survey_id=survey_id,
        answers=[{**late_answer, "received_at": late, "texts": {}}],
    )
    assert refused == ["late"] and cycle.version == engine.cycle(cycle_id)["version"]


@pytest.mark.usefixtures("paused")
def test_a_fold_cut_off_between_saving_and_deleting_doubles_nothing(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    taken = [_answer(engine, cycle_id, survey_id, f"Text {n}") for n in range(7)]
    table = survey_inbox.inbox(engine)
    rows = table.pending(str(cycle_id), limit=4)
    assert survey_inbox._fold_batch(engine, cycle_id, rows) == 4  # saved, the rows still there
    assert _waiting(engine, cycle_id) == 7
    assert survey_inbox.fold(engine, cycle_id) == 3
    assert _waiting(engine, cycle_id) == 0
    assert sorted(_answered(engine, cycle_id)) == sorted(taken)
    assert engine.survey(cycle_id, survey_id)["answers"] == 7
    assert len(engine.survey_free_texts(cycle_id, survey_id, actor_id=network.coordinator)) == 7


@pytest.mark.usefixtures("paused")
def test_a_fold_cut_off_before_saving_loses_nothing_and_one_folder_holds_the_lease(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    taken = [_answer(engine, cycle_id, survey_id) for _ in range(3)]
    table = survey_inbox.inbox(engine)
    assert table.acquire("crashed-folder", survey_inbox.LEASE_SECONDS)
    assert survey_inbox.fold(engine, cycle_id) == 0  # another folder holds the lease
    assert _waiting(engine, cycle_id) == 3
    later = time.time() + survey_inbox.LEASE_SECONDS + 1
    assert table.acquire("next-folder", 5, now=later)  # the lease ran out: taken over
    table.release("next-folder")
    assert survey_inbox.fold(engine, cycle_id) == 3
    assert sorted(_answered(engine, cycle_id)) == sorted(taken)


def test_the_background_folder_records_answers_without_a_query(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    taken = [_answer(engine, cycle_id, survey_id) for _ in range(3)]
    deadline = time.monotonic() + 20
    while _waiting(engine, cycle_id) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(_answered(engine, cycle_id)) == sorted(taken)


def test_the_background_folder_waits_for_a_pause_or_the_latest_moment(
    engine: Qualizyklus, network: Network, cycle_id: UUID, paused: None
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    assert survey_inbox.due(engine)  # nothing taken in by this process: nothing to wait for
    _answer(engine, cycle_id, survey_id)
    timing = vars(engine)["_survey_taken_in"]
    first = timing["first"]
    assert not survey_inbox.due(engine, first)
    assert survey_inbox.due(engine, first + survey_inbox.FOLD_IDLE)
    for step in range(1, 41):  # an answer every 0.25 s for 10 s: folded after FOLD_LATEST
        moment = first + step * 0.25
        timing["last"] = moment
        assert survey_inbox.due(engine, moment) == (moment - first >= survey_inbox.FOLD_LATEST)
    assert _waiting(engine, cycle_id) == 1  # waiting answers still count for readers
    assert engine.survey(cycle_id, survey_id)["answers"] == 1


def test_closing_the_engine_records_the_answers_it_took_in(
    settings: Settings, engine: Qualizyklus, network: Network, cycle_id: UUID, paused: None
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    other = open_engine(settings, plugins=(parent_participation,), entry_point_group=None)
    taken = [_answer(other, cycle_id, survey_id) for _ in range(3)]
    assert _waiting(engine, cycle_id) == 3
    other.close()
    assert _waiting(engine, cycle_id) == 0
    assert sorted(_answered(engine, cycle_id)) == sorted(taken)


def test_bad_answers_are_refused_before_the_inbox(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    for bad in ({"language": "xx"}, {"choices": {"heard": ["nope"]}}):
        with pytest.raises(InvalidInput):
            engine.answer_survey(
                cycle_id,
                survey_id,
                **{"language": "de", "choices": {}, "texts": {}, **bad},  # type: ignore[arg-type]
                today=TODAY,
            )
    assert _waiting(engine, cycle_id) == 0


def _import_old(engine: Qualizyklus) -> tuple[UUID, str, list[dict[str, str]]]:
    """The version-1 fixture imported, with the rows of its old text table."""
    lines = (FIXTURES / "survey_events_v1.jsonl").read_text(encoding="utf-8").splitlines(True)
    import_history(engine, lines)
    old = json.loads((FIXTURES / "survey_texts_v1.json").read_text(encoding="utf-8"))
    survey_texts(engine).insert(old["texts"])
    return UUID(old["cycle_id"]), old["survey_id"], old["texts"]


def test_version_1_answers_stay_readable_and_their_texts_erasable(engine: Qualizyklus) -> None:
    cycle_id, survey_id, old = _import_old(engine)
    coordinator = "koordination"
    assert verify(engine).ok
    survey = engine.survey(cycle_id, survey_id, actor_id=coordinator)
    assert survey["answers"] == 6 and survey["by_language"] == {"de": 3, "tr": 3}
    texts = engine.survey_free_texts(cycle_id, survey_id, actor_id=coordinator)
    assert sorted((t["reference"], t["text"]) for t in texts) == sorted(
        (row["reference"], row["text"]) for row in old
    )
    new = engine.answer_survey(
        cycle_id, survey_id, language="de", choices={}, texts={"open": "neu"}, today=TODAY
    )
    exported = engine.survey_answers(cycle_id, survey_id, actor_id=coordinator)
    assert sorted(a["texts"].get("open", "") for a in exported if a["texts"]) == [
        "Alte Antwort 0",
        "Alte Antwort 1",
        "neu",
    ]
    assert new in _answered(engine, cycle_id)
    engine.erase_survey_text(
        cycle_id, survey_id, old[0]["reference"], actor_id=coordinator, reason="Name"
    )
    assert survey_texts(engine).read(old[0]["reference"]) is None
    left = engine.survey_free_texts(cycle_id, survey_id, actor_id=coordinator)
    assert sorted(t["text"] for t in left) == ["Alte Antwort 1", "neu"]
    assert verify(engine).ok


def test_survey_texts_travel_with_export_and_an_erased_one_is_gone_everywhere(
    engine: Qualizyklus, network: Network, cycle_id: UUID, settings: Settings, tmp_path: Path
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    secret = "Frau Geheimname aus der Kita"
    kept = "Mehr Angebote am Nachmittag"
    _answer(engine, cycle_id, survey_id, secret)
    _answer(engine, cycle_id, survey_id, kept)
    for _ in range(3):
        _answer(engine, cycle_id, survey_id)
    texts = engine.survey_free_texts(cycle_id, survey_id, actor_id=network.coordinator)
    reference = next(t["reference"] for t in texts if t["text"] == secret)
    engine.erase_survey_text(
        cycle_id, survey_id, reference, actor_id=network.coordinator, reason="ein Name"
    )
    out = io.StringIO()
    export_organisation(engine, "lk-beispiel", out)
    assert secret not in out.getvalue() and kept in out.getvalue()
    if settings.is_sqlite:
        path = Path(settings.database.removeprefix("sqlite:///"))
        files = [path, *path.parent.glob(path.name + "-*")]
        assert all(secret.encode() not in f.read_bytes() for f in files if f.exists())
    assert verify(engine).ok
    copy_settings = Settings(database=f"sqlite:///{tmp_path}/copy.sqlite")
    with open_engine(
        copy_settings, plugins=(parent_participation,), entry_point_group=None, create_tables=True
    ) as copy:
        import_history(copy, out.getvalue().splitlines(True))
        assert verify(copy).ok
        copied = copy.survey_free_texts(cycle_id, survey_id, actor_id=network.coordinator)
        assert [t["text"] for t in copied] == [kept]
        assert copy.survey(cycle_id, survey_id)["answers"] == 5


def test_version_1_survey_texts_travel_with_an_export_and_a_forged_one_is_refused(
    engine: Qualizyklus, tmp_path: Path
) -> None:
    cycle_id, survey_id, old = _import_old(engine)
    coordinator = "koordination"
    engine.erase_survey_text(
        cycle_id, survey_id, old[0]["reference"], actor_id=coordinator, reason="ein Name"
    )
    out = io.StringIO()
    export_organisation(engine, "lk-umfrage-alt", out)
    lines = out.getvalue().splitlines(True)
    assert json.loads(lines[-1])["survey_texts"] == [old[1]]  # the erased one stays gone
    assert old[0]["text"] not in out.getvalue()

    def fresh(name: str) -> Qualizyklus:
        return open_engine(
            Settings(database=f"sqlite:///{tmp_path}/{name}.sqlite"),
            plugins=(parent_participation,),
            entry_point_group=None,
            create_tables=True,
        )

    trailer = json.loads(lines[-1])
    trailer["survey_texts"][0]["text"] = "Untergeschobener Text"
    with fresh("forged") as copy:
        with pytest.raises(ImportRefused, match="does not match its reference"):
            import_history(copy, [*lines[:-1], json.dumps(trailer) + "\n"])
        assert copy.organisation_ids() == []  # nothing written
        assert survey_texts(copy).rows([old[1]["reference"]]) == []
    with fresh("copy") as copy:
        import_history(copy, lines)
        assert verify(copy).ok
        texts = copy.survey_free_texts(cycle_id, survey_id, actor_id=coordinator)
        assert [t["text"] for t in texts] == [old[1]["text"]]
