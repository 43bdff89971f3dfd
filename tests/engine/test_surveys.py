"""Parents' surveys on a cycle: created from a question set, answered (online and on paper),
closed, free texts erased; results only from five answers; concurrent answers on a real
SQLite file and PostgreSQL are neither lost nor doubled."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest

import plugins.parent_participation as parent_participation
from engine.application import free_texts
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.application.survey_texts import survey_texts
from engine.domain.cycle import Cycle
from engine.domain.errors import Forbidden, InvalidInput, NotFound
from engine.infrastructure.settings import Settings
from tests.engine.stories import Network, participation_engine, register_network

SET_ID = "parents-good-practice"
TODAY = date(2025, 6, 1)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine with the parent participation theme installed (its question set with it)."""
    yield from participation_engine(settings)


@pytest.fixture
def network(engine: Qualizyklus) -> Network:
    """An organisation with a coordinator, contributors and a viewer."""
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
        actor_id=options.pop("actor_id", network.coordinator),
        title="Elternbefragung Frühjahr",
        question_set_id=SET_ID,
        closes_on=options.pop("closes_on", "2025-07-31"),
        **options,  # type: ignore[arg-type]
    )


def _answer(engine: Qualizyklus, cycle_id: UUID, survey_id: str, **given: object) -> str:
    return engine.answer_survey(
        cycle_id,
        survey_id,
        language=given.pop("language", "de"),  # type: ignore[arg-type]
        choices=given.pop("choices", {"heard": ["yes"], "rating": ["4"]}),  # type: ignore[arg-type]
        texts=given.pop("texts", {}),  # type: ignore[arg-type]
        today=TODAY,
        **given,  # type: ignore[arg-type]
    )


def test_the_participation_theme_ships_its_good_practice_set_in_seven_languages(
    engine: Qualizyklus,
) -> None:
    sets = {s.id: s for s in engine.question_sets().items}
    questions = {q.id: q for q in sets[SET_ID].questions}
    assert set(questions) == {"learned", "heard", "missing", "barriers", "rating", "open"}
    assert questions["rating"].kind == "smiley"
    assert questions["open"].kind == "text"
    for question in questions.values():
        assert set(question.text) == {"de", "ls", "en", "tr", "ar", "ru", "uk"}


def test_a_survey_keeps_chosen_left_out_and_own_questions_and_offers_only_complete_languages(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    own = {"kind": "single", "text": {"de": "Kommen Sie wieder?", "en": "Will you come back?"}}
    own["options"] = [  # type: ignore[assignment]
        {"id": "yes", "text": {"de": "Ja", "en": "Yes"}},
        {"id": "no", "text": {"de": "Nein", "en": "No"}},
    ]
    survey_id = _survey(engine, network, cycle_id, left_out=["missing"], own_questions=[own])
    survey = engine.survey(cycle_id, survey_id, actor_id=network.viewer)
    assert survey["left_out"] == ["missing"]
    assert "missing" not in survey["chosen"] and "heard" in survey["chosen"]
    assert survey["own"] == ["own-1"]
    assert survey["languages"] == ["de", "en"]
    assert survey["closes_on"] == date(2025, 7, 31)
    assert survey["results"] is None


def test_bad_survey_input_is_refused_and_nothing_is_written(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    version = engine.cycle(cycle_id)["version"]
    for bad in (
        {"question_set_id": "nope"},
        {"left_out": ["no-such-question"]},
        {"closes_on": "morgen"},
        {"own_questions": [{"kind": "single", "text": {"de": "Nur eine Antwort?"}}]},
        {"max_answers": 0},
    ):
        with pytest.raises(InvalidInput):
            engine.create_survey(
                cycle_id,
                actor_id=network.coordinator,
                title="T",
                **{"question_set_id": SET_ID, "closes_on": "2025-07-31", **bad},  # type: ignore[arg-type]
            )
    with pytest.raises(Forbidden):
        _survey(engine, network, cycle_id, actor_id=network.midwife)  # type: ignore[arg-type]
    assert engine.cycle(cycle_id)["version"] == version


def test_answers_are_counted_and_results_appear_only_from_five_answers(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    for _ in range(4):
        _answer(
            engine, cycle_id, survey_id, choices={"heard": ["yes"], "learned": ["family", "print"]}
        )
    assert engine.survey(cycle_id, survey_id)["results"] is None
    _answer(engine, cycle_id, survey_id, language="ar", choices={"heard": ["no"], "rating": ["1"]})
    survey = engine.survey(cycle_id, survey_id)
    results = {q["id"]: q for q in survey["results"]["questions"]}
    assert survey["answers"] == 5
    assert results["heard"]["answers"] == 5
    assert {o["id"]: o["count"] for o in results["heard"]["options"]} == {
        "yes": 4,
        "partly": 0,
        "no": 1,
    }
    assert results["learned"]["answers"] == 4
    assert survey["by_language"] == {"de": 4, "ar": 1}
    assert survey["results_by_language"]["ar"] is None  # one answer in Arabic: not shown
    assert survey["results_by_language"]["de"] is None  # four in German: not shown either


def test_bad_answers_are_refused_and_leave_no_text_behind(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id, left_out=["open"])
    for bad in (
        {"choices": {"heard": ["maybe"]}},
        {"choices": {"heard": ["yes", "no"]}},
        {"choices": {"nope": ["yes"]}},
        {"texts": {"open": "Text zu einer weggelassenen Frage"}},
        {"language": "fr"},
    ):
        with pytest.raises(InvalidInput):
            _answer(engine, cycle_id, survey_id, **bad)
    with pytest.raises(NotFound):
        _answer(engine, cycle_id, "no-such-survey")
    assert engine.survey(cycle_id, survey_id)["answers"] == 0
    rows = survey_texts(engine)._rows(
        f"SELECT COUNT(*) AS n FROM {survey_texts(engine)._table}", ()
    )
    assert rows[0]["n"] == 0


def test_a_free_text_is_kept_in_the_common_table_and_erased_with_a_record_but_no_text(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    secret = "Frau Beispiel vom Jugendamt war sehr nett"
    _answer(engine, cycle_id, survey_id, texts={"open": secret})
    for _ in range(4):
        _answer(engine, cycle_id, survey_id)
    events = list(engine.events.get(cycle_id))
    assert all(secret not in repr(event) for event in events)
    texts = engine.survey_free_texts(cycle_id, survey_id, actor_id=network.coordinator)
    assert [t["text"] for t in texts] == [secret]
    reference = texts[0]["reference"]
    assert reference.startswith("qzt1:")
    assert [t["text"] for t in engine.free_texts_of(cycle_id, actor_id=network.coordinator)] == [
        secret
    ]
    engine.erase_survey_text(
        cycle_id, survey_id, reference, actor_id=network.coordinator, reason="enthält einen Namen"
    )
    assert free_texts.table(engine).get(reference).text is None  # type: ignore[union-attr]
    assert engine.survey_free_texts(cycle_id, survey_id, actor_id=network.coordinator) == []
    assert engine.survey(cycle_id, survey_id)["texts"] == 0
    erased = [e for e in engine.events.get(cycle_id) if isinstance(e, Cycle.FreeTextErased)]
    assert [(e.reference, e.actor_id, e.reason) for e in erased] == [
        (reference, network.coordinator, "enthält einen Namen")
    ]
    assert all(secret not in repr(event) for event in engine.events.get(cycle_id))
    export = engine.survey_answers(cycle_id, survey_id, actor_id=network.coordinator)
    assert [a["texts"] for a in export if a["texts"]] == [{"open": ""}]
    with pytest.raises(Forbidden):
        engine.survey_free_texts(cycle_id, survey_id, actor_id=network.viewer)


def test_paper_answers_are_marked_and_accepted_after_the_closing_date_until_closed(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id, closes_on="2025-05-31")
    with pytest.raises(InvalidInput, match="keine Antworten mehr"):
        _answer(engine, cycle_id, survey_id)
    _answer(engine, cycle_id, survey_id, actor_id=network.coordinator)
    with pytest.raises(Forbidden):
        _answer(engine, cycle_id, survey_id, actor_id=network.midwife)
    answered = [
        (answer["on_paper"], event.actor_id)
        for event in engine.events.get(cycle_id)
        if isinstance(event, Cycle.SurveyAnswersRecorded)
        for answer in event.answers
    ]
    assert answered == [(True, network.coordinator)]
    engine.close_survey(cycle_id, survey_id, actor_id=network.coordinator)
    with pytest.raises(InvalidInput, match="keine Antworten mehr"):
        _answer(engine, cycle_id, survey_id, actor_id=network.coordinator)
    survey = engine.survey(cycle_id, survey_id)
    assert survey["closed"] and survey["on_paper"] == 1 and survey["answers"] == 1


def test_a_full_survey_takes_no_more_answers(
    engine: Qualizyklus, network: Network, cycle_id: UUID
) -> None:
    survey_id = _survey(engine, network, cycle_id, max_answers=2)
    _answer(engine, cycle_id, survey_id)
    _answer(engine, cycle_id, survey_id)
    with pytest.raises(InvalidInput, match="keine Antworten mehr"):
        _answer(engine, cycle_id, survey_id)
    assert engine.survey(cycle_id, survey_id)["answers"] == 2


def test_concurrent_parents_answering_from_two_engines_lose_and_double_nothing(
    engine: Qualizyklus, network: Network, cycle_id: UUID, settings: Settings
) -> None:
    survey_id = _survey(engine, network, cycle_id)
    second = open_engine(settings, plugins=(parent_participation,), entry_point_group=None)
    writers, each = 10, 5
    answer_ids: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def parent(app: Qualizyklus, number: int) -> None:
        for _ in range(each):
            try:
                answer = _answer(app, cycle_id, survey_id, texts={"open": f"Text {number}"})
            except BaseException as error:  # noqa: BLE001 -- counted below
                with lock:
                    failures.append(error)
            else:
                with lock:
                    answer_ids.append(answer)

    threads = [
        threading.Thread(target=parent, args=(engine if n % 2 else second, n))
        for n in range(writers)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        second.close()
    assert failures == []
    assert engine.survey(cycle_id, survey_id)["answers"] == writers * each
    stored = [
        answer["answer_id"]
        for event in engine.events.get(cycle_id)
        if isinstance(event, Cycle.SurveyAnswersRecorded)
        for answer in event.answers
    ]
    assert sorted(stored) == sorted(answer_ids)
    assert len(set(answer_ids)) == writers * each
    assert engine.survey(cycle_id, survey_id)["answers"] == writers * each
    texts = engine.survey_free_texts(cycle_id, survey_id, actor_id=network.coordinator)
    assert len(texts) == writers * each
