"""The read models in a PostgreSQL schema whose name holds what their table names start with
(``qz_``): every statement names the schema's own tables, and only them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower, create_tables, read_model
from tests.conftest import SAMPLE_THEMES, PostgresServer
from tests.engine.stories import cycle_in_phase, register_network


@pytest.fixture(params=["my_qz_test", "qz_cycles"])
def named_schema_app(
    request: pytest.FixtureRequest, postgres_server: PostgresServer
) -> Iterator[Qualizyklus]:
    """The engine in a PostgreSQL schema of that name (made once, as `qualizyklus init`)."""
    schema = str(request.param)
    quoted = schema.replace('"', '""')
    with postgres_server.connect() as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{quoted}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{quoted}"')
    settings = Settings(database=postgres_server.url(schema))
    Qualizyklus(settings, create_tables=True).close()
    application = Qualizyklus(settings, themes=SAMPLE_THEMES)
    yield application
    application.close()
    with postgres_server.connect() as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{quoted}" CASCADE')


def test_read_models_in_a_schema_named_with_qz_are_built_read_and_rebuilt(
    named_schema_app: Qualizyklus, postgres_server: PostgresServer
) -> None:
    app = named_schema_app
    network = register_network(app, "lk-nord")
    cycle_id = cycle_in_phase(app, network, "implement")
    create_tables(app)
    follower = Follower(app)
    follower.catch_up()

    view = read_model(app)
    [row] = view.query("SELECT title, phase FROM qz_cycles WHERE cycle_id = ?", (str(cycle_id),))
    assert row["phase"] == "implement"
    assert follower.position > 0
    with postgres_server.connect() as connection:
        tables = {
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (view.datastore.schema,),
            )
        }
    assert {"qz_cycles", "qz_measures", "qz_schema", "qualizyklus_tracking"} <= tables

    view.clear(app.name)
    assert view.query("SELECT COUNT(*) AS n FROM qz_cycles")[0]["n"] == 0
    Follower(app).catch_up()
    assert view.query("SELECT COUNT(*) AS n FROM qz_cycles")[0]["n"] == 1
