from engine.application.service import Qualizyklus


def test_a_registered_organisation_can_be_read_back(app: Qualizyklus) -> None:
    organisation_id = app.register_organisation(
        name="Landkreis Beispiel", slug="lk-beispiel", land="NI", coordinator_id="coord"
    )
    assert app.organisation(organisation_id)["members"] == {"coord": "coordinator"}
