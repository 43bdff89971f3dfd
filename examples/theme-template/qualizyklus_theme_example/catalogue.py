"""The catalogue of the theme "Qualifizierung und interprofessionelles Lernen" (QD 6).

Two criteria, one rated from 1 to 5 and one a standard with two levels
(Mindestvoraussetzungen / das Mehr), and a goal and a measure from good practice.
"""

from __future__ import annotations

from engine import Criterion, Template, Text, Theme, numeric_scale, two_level_standard

from qualizyklus_theme_example.schemas import MeasureAttrs

THEME_ID = "qualifizierung"
"""The theme's id: stored in every cycle that uses it, so it never changes."""

RATING = numeric_scale(
    "one-to-five",
    Text("1 (trifft nicht zu) bis 5 (trifft voll zu)", "1 (does not apply) to 5 (fully applies)"),
    1,
    5,
)
"""The scale of criteria that are rated rather than met."""

JOINT_LEARNING = Criterion(
    "joint-learning",
    Text("Fachkräfte lernen berufsübergreifend", "Practitioners learn across professions"),
    RATING,
    help=Text(
        "Fachkräfte aus Gesundheitswesen und Kinder- und Jugendhilfe bilden sich gemeinsam "
        "fort und lernen die Arbeitsweise der anderen kennen.",
        "Practitioners from health care and from child and youth welfare train together and "
        "get to know how the others work.",
    ),
    reflection_questions={
        "analyse": (
            Text(
                "Welche Berufsgruppen haben sich im letzten Jahr gemeinsam fortgebildet?",
                "Which professions trained together last year?",
            ),
        ),
        "review": (
            Text(
                "Was machen Fachkräfte nach einer gemeinsamen Fortbildung anders?",
                "What do practitioners do differently after training together?",
            ),
        ),
    },
)

QUALIFICATION_PLAN = Criterion(
    "qualification-plan",
    Text("Das Netzwerk plant Qualifizierung", "The network plans its training"),
    two_level_standard(),
    minimum_requirements=Text(
        "Der Fortbildungsbedarf der Netzwerkpartner wird jährlich erhoben, und es gibt "
        "mindestens ein gemeinsames Angebot im Jahr.",
        "The partners' training needs are surveyed every year, and there is at least one "
        "joint offer a year.",
    ),
    aspiration=Text(
        "Ein abgestimmtes Qualifizierungskonzept beschreibt Themen, Formate und Zielgruppen "
        "für mehrere Jahre; neue Fachkräfte werden in das Netzwerk eingeführt.",
        "An agreed training concept sets out topics, formats and target groups for several "
        "years; new practitioners are introduced to the network.",
    ),
)

TEMPLATES = (
    Template(
        "goal-joint-training",
        "goal",
        Text(
            "Mehr Fachkräfte bilden sich berufsübergreifend fort",
            "More practitioners train across professions",
        ),
        Text(
            "Die Zahl der Fachkräfte, die an Fortbildungen mehrerer Berufsgruppen teilnehmen, "
            "steigt gegenüber dem Vorjahr.",
            "The number of practitioners who attend training shared by several professions "
            "rises compared with the year before.",
        ),
        indicator=Text(
            "Fachkräfte in berufsübergreifenden Fortbildungen im Jahr",
            "Practitioners in training shared by several professions per year",
        ),
        unit=Text("Fachkräfte", "practitioners"),
        baseline=20,
        target=40,
    ),
    Template(
        "measure-job-shadowing",
        "measure",
        Text("Hospitationen im Tandem", "Job shadowing in pairs"),
        Text(
            "Eine Familienhebamme und eine Fachkraft des Jugendamts begleiten einander je "
            "einen Arbeitstag und berichten im Netzwerk, was sie gelernt haben.",
            "A family midwife and a youth-office practitioner each shadow the other for a "
            "working day and tell the network what they learnt.",
        ),
        {"format": "job-shadowing", "professions": ["midwifery", "youth-welfare"]},
    ),
)

THEME = Theme(
    id=THEME_ID,
    version="1.0.0",
    title=Text(
        "Qualifizierung und interprofessionelles Lernen",
        "Training and learning across professions",
    ),
    description=Text(
        "Fachkräfte der Frühen Hilfen lernen gemeinsam und voneinander; das Netzwerk plant "
        "seine Qualifizierung.",
        "Frühe Hilfen practitioners learn together and from each other; the network plans "
        "its training.",
    ),
    quality_dimension=6,
    criteria=(JOINT_LEARNING, QUALIFICATION_PLAN),
    templates=TEMPLATES,
    measure_schema=MeasureAttrs,
    reflection_questions={
        "plan": (
            Text(
                "Welche Berufsgruppen fehlen bisher in den gemeinsamen Angeboten?",
                "Which professions are still missing from the joint offers?",
            ),
        ),
    },
)
"""The theme as the engine loads it. Bump ``version`` whenever the catalogue changes."""
