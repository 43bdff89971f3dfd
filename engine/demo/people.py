"""The demo's people and networks (who signs in, with which role, where) and what they say."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import NAMESPACE_URL, uuid5

DEMO_PASSWORD = "qualizyklus-demo"
"""The password of every demo account (a demo installation only; never in production)."""

DEMO_ADMIN = ("demo-administration", "Demo-Administration", "admin@qualizyklus.example")
"""The demo's installation administrator: id, name, e-mail address."""

DEMO_STATE_COORDINATOR = (
    "demo-landeskoordination-ni",
    "LaKo Niedersachsen",
    "lako@fruehe-hilfen-ni.example",
    "NI",
)
"""The demo's state coordinator (LaKo): id, name, e-mail address and the Land."""


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


def _person(key: str, role: str, name: str, email: str) -> DemoPerson:
    return DemoPerson(key, role, name, email)


DEMO_LAND_ORGANISATIONS = (
    DemoOrganisation(
        "musterhausen",
        "Stadt Musterhausen",
        "NI",
        (
            _person("koordination", "coordinator", "Birgit Hansen", "b.hansen@mhausen.example"),
            _person("hebamme", "contributor", "Leonie Krüger", "l.krueger@musterhausen.example"),
        ),
    ),
    DemoOrganisation(
        "lk-heidekamp",
        "Landkreis Heidekamp",
        "NI",
        (
            _person("koordination", "coordinator", "Jonas Meyer", "j.meyer@heidekamp.example"),
            _person("beratung", "contributor", "Aylin Demir", "a.demir@heidekamp.example"),
        ),
    ),
    DemoOrganisation(
        "seehafen",
        "Stadt Seehafen",
        "NI",
        (
            _person("koordination", "coordinator", "Frauke Janssen", "f.janssen@seehafen.example"),
            _person("kita", "contributor", "Paul Hoffmann", "p.hoffmann@seehafen.example"),
        ),
    ),
    DemoOrganisation(
        "lk-bergtal",
        "Landkreis Bergtal",
        "NI",
        (
            _person("koordination", "coordinator", "Sven Lange", "s.lange@bergtal.example"),
            _person("familienzentrum", "contributor", "Maria Schulz", "m.schulz@bergtal.example"),
        ),
    ),
)
"""Four more networks in Lower Saxony, smaller ones: with Landkreis Musterland, five in the Land,
so that the state view shows its figures (engine/readmodels/comparisons.py)."""

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
