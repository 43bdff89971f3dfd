"""What a cycle allows for a theme whose plugin is not installed (any more), in words.

The theme's data stays and is shown as recorded; the engine refuses whatever would record
something new under the theme (it cannot check it against the theme's catalogue and schemas),
and allows everything that does not. Pages show these lists; a test holds the engine to each
line (tests/web/test_uninstalled_theme.py).
"""

from __future__ import annotations

from engine.domain.catalogue import Text

STILL_POSSIBLE: tuple[Text, ...] = (
    Text(
        "den Status seiner Maßnahmen ändern, Indikatorwerte zu seinen Zielen erfassen und "
        "seine Ziele bewerten",
        "change the status of its measures, record indicator values of its goals and judge "
        "its goals",
    ),
    Text(
        "seine Ziele und Maßnahmen ändern, wenn dabei ein installiertes Thema oder kein Thema "
        "gewählt wird",
        "change its goals and measures when an installed theme or no theme is chosen for them",
    ),
    Text(
        "Befunde zurückziehen, Prioritäten setzen, kommentieren und die Phase wechseln",
        "withdraw findings, set priorities, comment and change the phase",
    ),
)
"""What can still be changed in a cycle for a theme whose plugin is missing."""

NO_LONGER_POSSIBLE: tuple[Text, ...] = (
    Text("seine Kriterien einschätzen", "rate its criteria"),
    Text(
        "Ziele, Maßnahmen, Befunde, Erkenntnisse oder Rückmeldungen mit diesem Thema anlegen "
        "oder mit diesem Thema ändern",
        "record goals, measures, findings, lessons or feedback under this theme, or change "
        "them keeping this theme",
    ),
)
"""What the engine refuses for such a theme (its data is shown as recorded)."""
