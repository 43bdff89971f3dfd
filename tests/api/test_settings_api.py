"""An organisation's settings and invitations through the API: its themes, its sharing with
the state office, and people invited by mail (through a real SMTP server, aiosmtpd). Only
coordinators may; a refusal writes nothing."""

from __future__ import annotations

from flask import Flask

from tests.api.conftest import OWN, Api, engine_of
from tests.engine.test_reminders import MailServer
from tests.web.mailing import link_path, mail_server, mailing, mails_to

__all__ = ["mail_server", "mailing"]  # fixtures

ORGANISATION = f"/api/v1/organisations/{OWN.slug}"
NINA = {"name": "Nina Neumann", "email": "n.neumann@musterland.example", "role": "contributor"}


def test_a_coordinator_chooses_the_themes(coordinator: Api, contributor: Api) -> None:
    version = coordinator.version(ORGANISATION)
    theme_ids = sorted(engine_of(coordinator.app).themes)[:1]
    refused = contributor.put(
        f"{ORGANISATION}/themes", json={"theme_ids": theme_ids}, headers={"If-Match": version}
    )
    assert refused.status_code == 403
    empty = coordinator.put(
        f"{ORGANISATION}/themes", json={"theme_ids": []}, headers={"If-Match": version}
    )
    assert empty.status_code == 422 and "theme_ids" in empty.get_json()["errors"]
    assert coordinator.version(ORGANISATION) == version  # nothing written

    chosen = coordinator.put(
        f"{ORGANISATION}/themes",
        json={"theme_ids": theme_ids, "reason": "Schwerpunkt"},
        headers={"If-Match": version},
    )

    assert chosen.status_code == 200, chosen.get_json()
    assert coordinator.get(ORGANISATION).get_json()["themes"] == theme_ids
    again = coordinator.put(
        f"{ORGANISATION}/themes",
        json={"theme_ids": theme_ids},
        headers={"If-Match": chosen.headers["ETag"]},
    )
    assert again.status_code == 422
    assert again.get_json()["errors_de"] == {"theme_ids": ["Das ist schon die gewählte Auswahl."]}


def test_a_coordinator_shares_the_name_with_the_state_office(coordinator: Api, viewer: Api) -> None:
    version = coordinator.version(ORGANISATION)
    body = {"shares": True, "reason": "Transparenz"}
    assert (
        viewer.put(
            f"{ORGANISATION}/state-sharing", json=body, headers={"If-Match": version}
        ).status_code
        == 403
    )
    assert coordinator.get(ORGANISATION).get_json()["shares_with_state"] is False

    shared = coordinator.put(
        f"{ORGANISATION}/state-sharing", json=body, headers={"If-Match": version}
    )

    assert shared.status_code == 200
    assert coordinator.get(ORGANISATION).get_json()["shares_with_state"] is True
    again = coordinator.put(
        f"{ORGANISATION}/state-sharing", json=body, headers={"If-Match": shared.headers["ETag"]}
    )
    assert again.status_code == 422 and "shares" in again.get_json()["errors"]


def test_an_invited_person_gets_a_link_and_the_invitation_can_be_sent_again_and_revoked(
    coordinator: Api, mailing: MailServer
) -> None:
    invited = coordinator.post(
        f"{ORGANISATION}/invitations",
        json={**NINA, "language": "en"},
        headers={"If-Match": coordinator.version(ORGANISATION)},
    )

    assert invited.status_code == 201, invited.get_json()
    body = invited.get_json()
    assert body["sent"] is True and body["state"] == "pending" and body["role"] == "contributor"
    member_id = body["member_id"]
    [first] = mails_to(mailing, NINA["email"])
    assert coordinator.get(f"{ORGANISATION}/members").get_json()  # a member now
    assert engine_of(coordinator.app).organisation_by_slug(OWN.slug)["members"][member_id] == (
        "contributor"
    )
    pending = coordinator.get(f"{ORGANISATION}/invitations").get_json()
    assert [row["member_id"] for row in pending if row["state"] == "pending"] == [member_id]

    version = coordinator.version(ORGANISATION)
    again = coordinator.post(
        f"{ORGANISATION}/invitations/{member_id}", json={}, headers={"If-Match": version}
    )
    assert again.status_code == 200 and again.get_json()["sent"] is True
    second = mails_to(mailing, NINA["email"], count=2)[1]
    assert link_path(second) != link_path(first)

    revoked = coordinator.delete(
        f"{ORGANISATION}/invitations/{member_id}", headers={"If-Match": version}
    )
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "none"
    links = engine_of(coordinator.app).profiles.links
    assert links.pending(member_id) is None
    listed = coordinator.get(f"{ORGANISATION}/invitations").get_json()
    assert [row["state"] for row in listed if row["member_id"] == member_id] == ["none"]


def test_invitations_are_refused_without_mail_or_right_and_write_nothing(
    coordinator: Api, contributor: Api, api_app: Flask
) -> None:
    version = coordinator.version(ORGANISATION)
    forbidden = contributor.post(
        f"{ORGANISATION}/invitations", json=NINA, headers={"If-Match": version}
    )
    assert forbidden.status_code == 403
    assert contributor.get(f"{ORGANISATION}/invitations").status_code == 403

    no_mail = coordinator.post(
        f"{ORGANISATION}/invitations", json=NINA, headers={"If-Match": version}
    )

    assert no_mail.status_code == 409
    assert no_mail.get_json()["code"] == "mail-not-set-up"
    assert coordinator.version(ORGANISATION) == version
    assert engine_of(api_app).profiles.by_email(NINA["email"]) is None
    taken = coordinator.post(
        f"{ORGANISATION}/invitations",
        json={**NINA, "email": OWN.people[0].email, "name": "", "role": "chef"},
        headers={"If-Match": version},
    )
    assert taken.status_code == 422
    assert set(taken.get_json()["errors"]) == {"name", "role"}  # the shape's problems, all of them
    unknown = coordinator.delete(
        f"{ORGANISATION}/invitations/nobody", headers={"If-Match": version}
    )
    assert unknown.status_code == 404
