"""The impact models goals are placed in: the impact staircase and the IOOI chain.

The Wirkungstreppe has seven steps: 1-3 are output, 4-6 outcome, 7 impact. The IOOI chain
of the Social Reporting Standard adds input (resources) before them.
"""

from __future__ import annotations

from engine import Text

IMPACT_STEPS: tuple[Text, ...] = (
    Text("Aktivitäten finden wie geplant statt", "Activities take place as planned"),
    Text("Zielgruppen werden erreicht", "Target groups are reached"),
    Text("Zielgruppen akzeptieren das Angebot", "Target groups accept the offer"),
    Text(
        "Zielgruppen verändern ihr Bewusstsein bzw. ihre Fähigkeiten",
        "Target groups change their awareness or skills",
    ),
    Text("Zielgruppen ändern ihr Handeln", "Target groups change their behaviour"),
    Text("Die Lebenslage der Zielgruppen ändert sich", "The target groups' life situation changes"),
    Text("Die Gesellschaft verändert sich", "Society changes"),
)
"""The seven steps of the impact staircase; step n is ``IMPACT_STEPS[n - 1]``."""

IMPACT_STEP_SHORT: tuple[Text, ...] = (
    Text("1 Aktivitäten", "1 Activities"),
    Text("2 Erreichen", "2 Reach"),
    Text("3 Akzeptanz", "3 Acceptance"),
    Text("4 Bewusstsein, Fähigkeiten", "4 Awareness, skills"),
    Text("5 Handeln", "5 Behaviour"),
    Text("6 Lebenslage", "6 Life situation"),
    Text("7 Gesellschaft", "7 Society"),
)
"""Short labels of the seven steps, for chart categories and table cells."""

IOOI_LEVELS = ("input", "output", "outcome", "impact")
"""The levels of the IOOI chain, in order."""

IOOI_LABELS: dict[str, Text] = {
    "input": Text("Input (eingesetzte Ressourcen)", "Input (resources used)"),
    "output": Text("Output (Leistungen, Stufen 1–3)", "Output (services delivered, steps 1–3)"),
    "outcome": Text(
        "Outcome (Wirkung bei den Zielgruppen, Stufen 4–6)",
        "Outcome (effects on the target groups, steps 4–6)",
    ),
    "impact": Text(
        "Impact (Wirkung in der Gesellschaft, Stufe 7)", "Impact (effects on society, step 7)"
    ),
}
"""What each IOOI level means, for forms and reports."""


def iooi_level_of_step(step: int) -> str:
    """The IOOI level a step of the impact staircase belongs to (output, outcome or impact)."""
    if not 1 <= step <= len(IMPACT_STEPS):
        msg = f"the impact staircase has steps 1 to {len(IMPACT_STEPS)}, not {step}"
        raise ValueError(msg)
    if step <= 3:
        return "output"
    return "outcome" if step <= 6 else "impact"
