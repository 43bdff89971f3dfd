"""The participation ladder (Stufenmodell der Partizipation) of Wright, Block and von Unger.

Nine levels from instrumentalisation to self-organisation; participation in the proper sense
starts at Mitbestimmung, the five levels below it are non-participation or preliminary stages.
"""

from __future__ import annotations

from engine import Level, Scale, Text

LADDER = Scale(
    id="participation-ladder",
    kind="levels",
    label=Text(
        "Stufenmodell der Partizipation (Wright, Block, von Unger)",
        "Participation ladder (Wright, Block and von Unger)",
    ),
    levels=(
        Level(
            "instrumentalisierung",
            Text("Instrumentalisierung", "instrumentalisation"),
            Text(
                "Die Belange der Eltern spielen keine Rolle; sie werden für die Außendarstellung "
                "benutzt (Nicht-Partizipation).",
                "Parents' concerns play no part; they are used to present the organisation "
                "(non-participation).",
            ),
        ),
        Level(
            "anweisung",
            Text("Anweisung", "instruction"),
            Text(
                "Fachkräfte beurteilen die Lage der Eltern und entscheiden allein, was zu tun "
                "ist (Nicht-Partizipation).",
                "Professionals assess the parents' situation and decide alone what is to be "
                "done (non-participation).",
            ),
        ),
        Level(
            "information",
            Text("Information", "information"),
            Text(
                "Eltern erfahren, was für sie geplant ist, und bekommen erklärt, warum "
                "(Vorstufe der Partizipation).",
                "Parents are told what is planned for them and why (preliminary stage of "
                "participation).",
            ),
        ),
        Level(
            "anhoerung",
            Text("Anhörung", "consultation"),
            Text(
                "Eltern werden nach ihrer Sicht gefragt, haben aber keinen Einfluss darauf, ob "
                "sie berücksichtigt wird (Vorstufe der Partizipation).",
                "Parents are asked for their view but have no say in whether it is taken into "
                "account (preliminary stage of participation).",
            ),
        ),
        Level(
            "einbeziehung",
            Text("Einbeziehung", "involvement"),
            Text(
                "Eltern beraten die Entscheidenden, ihr Rat ist für die Entscheidung aber nicht "
                "bindend (Vorstufe der Partizipation).",
                "Parents advise the decision-makers, but their advice is not binding "
                "(preliminary stage of participation).",
            ),
        ),
        Level(
            "mitbestimmung",
            Text("Mitbestimmung", "co-determination"),
            Text(
                "Eltern und Fachkräfte verhandeln und entscheiden gemeinsam; hier beginnt "
                "Partizipation.",
                "Parents and professionals negotiate and decide together; this is where "
                "participation begins.",
            ),
        ),
        Level(
            "teilweise-entscheidungskompetenz",
            Text("teilweise Entscheidungskompetenz", "partial decision-making power"),
            Text(
                "Eltern entscheiden über bestimmte Teilbereiche selbst und tragen dafür die "
                "Verantwortung.",
                "Parents decide on certain parts themselves and are responsible for them.",
            ),
        ),
        Level(
            "entscheidungsmacht",
            Text("Entscheidungsmacht", "decision-making power"),
            Text(
                "Eltern bestimmen alle wesentlichen Aspekte eines Angebots selbst; Fachkräfte "
                "begleiten und unterstützen.",
                "Parents determine all essential aspects of a service themselves; professionals "
                "accompany and support them.",
            ),
        ),
        Level(
            "selbstorganisation",
            Text("Selbstorganisation", "self-organisation"),
            Text(
                "Eltern ergreifen selbst die Initiative und tragen ein Angebot eigenständig; "
                "das geht über Partizipation hinaus.",
                "Parents take the initiative and run a service on their own; this goes beyond "
                "participation.",
            ),
        ),
    ),
)
"""The nine-level participation ladder, from the lowest to the highest level."""

LADDER_IDS: tuple[str, ...] = tuple(level.id for level in LADDER.levels)
"""The ladder's level ids in order, as they appear in measure and goal attrs."""

PARTICIPATION_THRESHOLD = "mitbestimmung"
"""The lowest level that counts as participation; the levels below are preliminary stages."""
