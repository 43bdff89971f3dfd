"""The API's insight figures carry their keys, so a client compares cycles by key too."""

from __future__ import annotations

from uuid import UUID

from tests.api.conftest import OWN, Api, cycles, engine_of, person_id


def test_every_insight_figure_has_the_key_its_theme_gave_it(viewer: Api) -> None:
    engine = engine_of(viewer.app)
    for cycle in cycles(viewer):
        response = viewer.get(f"/api/v1/cycles/{cycle['id']}/insights")
        assert response.status_code == 200
        served = {
            (item["theme_id"], item["id"]): [figure["key"] for figure in item["figures"]]
            for item in response.get_json()["items"]
        }
        expected = {
            (insight.theme_id, insight.id): [figure.key for figure in insight.figures]
            for insight in engine.insights(
                UUID(cycle["id"]), actor_id=person_id(OWN.slug, "viewer")
            ).items
        }
        assert served == expected
        assert any(keys for keys in served.values())
        for keys in served.values():
            assert len(set(keys)) == len(keys)
