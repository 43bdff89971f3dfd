"""Parents answering at once on `qualizyklus serve` (two gunicorn workers): every answer
answered with 303 is stored once, even when the server is killed right after the last one."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import plugins.parent_participation as parent_participation
from engine.application.bootstrap import open_engine
from engine.domain.cycle import Cycle
from engine.infrastructure.settings import Settings
from tests.engine.stories import register_network
from tests.web.test_serve import CLI, _free_port, _wait_for

CLIENTS, EACH = 4, 25
FORM = urlencode({"all": "1", "q-heard": "yes", "q-rating": "4", "q-open": "Mehr Zeit"})


def _post(port: int, path: str, statuses: list[int], lock: threading.Lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    for _ in range(EACH):
        connection.request("POST", path, body=FORM, headers=headers)
        response = connection.getresponse()
        response.read()
        with lock:
            statuses.append(response.status)
    connection.close()


def test_concurrent_answers_on_the_server_are_all_stored_once_even_if_it_is_killed(
    settings: Settings, tmp_path: Path
) -> None:
    with open_engine(settings, plugins=(parent_participation,), entry_point_group=None) as app:
        network = register_network(app)
        cycle_id = app.start_cycle(
            network.organisation_id,
            actor_id=network.coordinator,
            title="Zyklus",
            themes=["parent-participation"],
            period_start="2025-01-01",
            period_end="2025-12-31",
        )
        survey_id = app.create_survey(
            cycle_id,
            actor_id=network.coordinator,
            title="Elternbefragung",
            question_set_id="parents-good-practice",
            closes_on=date.today() + timedelta(days=7),
        )
    assert CLI is not None
    port = _free_port()
    env = {
        **os.environ,
        "QUALIZYKLUS_DATABASE": settings.database,
        "QUALIZYKLUS_SECRET_KEY": "test-secret",
        "QUALIZYKLUS_ATTACHMENTS": str(tmp_path / "attachments"),
        "QUALIZYKLUS_SURVEY_ANSWERS_PER_CLIENT": str(CLIENTS * EACH),
    }
    server = subprocess.Popen(
        [CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    statuses: list[int] = []
    lock = threading.Lock()
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        path = f"/befragung/{cycle_id}/{survey_id}/de/senden"
        threads = [
            threading.Thread(target=_post, args=(port, path, statuses, lock))
            for _ in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # no graceful end: what was answered must be kept
        server.wait(timeout=20)
    assert statuses == [303] * (CLIENTS * EACH)
    with open_engine(settings, plugins=(parent_participation,), entry_point_group=None) as app:
        survey = app.survey(cycle_id, survey_id, actor_id=network.coordinator)
        assert survey["answers"] == CLIENTS * EACH
        events = app.events.get(cycle_id)  # type: ignore[attr-defined]
        batches = [e for e in events if isinstance(e, Cycle.SurveyAnswersRecorded)]
        answered = [answer["answer_id"] for batch in batches for answer in batch.answers]
        assert len(answered) == len(set(answered)) == CLIENTS * EACH
        texts = app.survey_free_texts(cycle_id, survey_id, actor_id=network.coordinator)
        assert {t["text"] for t in texts} == {"Mehr Zeit"} and len(texts) == CLIENTS * EACH
