"""The page "So rechnet Qualizyklus" (docs/so-rechnet-qualizyklus.md) and the code agree: each
worked example's inputs (in backticks) and results (in bold) are read from the page and
computed with the engine's and the themes' own functions, so that neither can drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.domain.assessment import distribution, summarise_criterion
from engine.domain.catalogue import Criterion, Text, numeric_scale, two_level_standard
from engine.domain.disagreement import agreement, bound, disagreement
from engine.readmodels.batch import theme_score
from engine.readmodels.comparisons import spread
from plugins.impact_orientation.analysis import GoalProgress, Reading
from plugins.parent_participation.analysis import LadderPicture

PAGE = Path(__file__).resolve().parents[2] / "docs" / "so-rechnet-qualizyklus.md"
FIVE = Criterion("five", Text("Fünf"), numeric_scale("one-to-five", Text("1 bis 5"), 1, 5))
STANDARD = Criterion("standard", Text("Standard"), two_level_standard())


def _number(text: str) -> float:
    """A number as the page writes it: decimal comma, '−' as minus, '%' ignored."""
    return float(text.replace("−", "-").replace(",", ".").strip(" %"))


def _examples(heading: str) -> list[tuple[list[str], list[float]]]:
    """The section's examples: the backticked inputs and the bold results of each."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", text, re.S | re.M)
    assert found is not None, f"no section {heading!r} on the page"
    paragraphs = [" ".join(p.split()) for p in found.group(1).split("\n\n")]
    examples = []
    inputs: list[str] | None = None
    for paragraph in paragraphs:
        if paragraph.startswith("Beispiel:"):
            inputs = re.findall(r"`([^`]*)`", paragraph)
        elif paragraph.startswith("Ergebnis:") and inputs is not None:
            bold = re.findall(r"\*\*([^*]+)\*\*", paragraph)
            examples.append((inputs, [_number(n) for b in bold for n in b.split(", ")]))
            inputs = None
    assert examples, f"no worked example under {heading!r}"
    return examples


def _values(text: str) -> list[float]:
    return [_number(part) for part in text.split(",")]


def _ratings(values: list[float | str]) -> dict[str, dict[str, float | str]]:
    return {f"r{index}": {"value": value} for index, value in enumerate(values)}


def test_the_median_between_two_levels() -> None:
    [(inputs, results)] = _examples("Median (auch zwischen zwei Stufen)")
    labels = {level.label.de: level.id for level in STANDARD.scale.levels}
    chosen = [labels[label.strip()] for label in " ".join(inputs).split(",")]
    summary = summarise_criterion(STANDARD, _ratings(chosen))
    assert summary["median"] == results[0]
    assert summary["median_value"] is None  # between two levels


def test_the_spread() -> None:
    [(inputs, results)] = _examples("Spanne")
    summary = summarise_criterion(FIVE, _ratings(_values(inputs[0])))
    assert [summary["range"], summary["spread"] * 100] == results


def test_the_distribution() -> None:
    [(inputs, results)] = _examples("Verteilung")
    assert distribution(FIVE.scale, _values(inputs[0])) == results


def test_the_disagreement_and_its_agreement() -> None:
    examples = _examples("Uneinigkeit")
    assert len(examples) == 3
    for inputs, (shown_agreement, shown_disagreement) in examples:
        counts = distribution(FIVE.scale, _values(inputs[0]))
        assert round(agreement(counts) or 0, 4) == pytest.approx(shown_agreement)
        assert round(disagreement(counts) or 0, 4) == pytest.approx(shown_disagreement)
        summary = summarise_criterion(FIVE, _ratings(_values(inputs[0])))
        assert summary["disagreement"] == pytest.approx(shown_disagreement)


def test_how_many_criteria_are_flagged() -> None:
    [(inputs, results)] = _examples("Welche Kriterien „Zuerst besprechen“ bekommen")
    assert [bound(int(inputs[0]))] == results


def test_the_theme_score() -> None:
    [(inputs, results)] = _examples("Gesamtbild und Themenwert")
    people = [_values(pair) for pair in inputs]
    ratings = {
        criterion: {f"p{i}": (None, shares[n] / 100) for i, shares in enumerate(people)}
        for n, criterion in enumerate(("a", "b"))
    }
    assert [theme_score(ratings)["score"] * 100] == results


def test_the_quartiles_of_the_land() -> None:
    [(inputs, results)] = _examples("Quartile im Land")
    figures = spread(value / 100 for value in _values(inputs[0]))
    computed = [figures[key] * 100 for key in ("q1", "median", "q3", "mean")]
    assert computed == pytest.approx(results)


def test_the_share_on_the_participation_ladder() -> None:
    [(inputs, results)] = _examples("Anteil auf der Beteiligungsleiter")
    counts = tuple(int(value) for value in _values(inputs[0]))
    assert [LadderPicture(counts).share] == results


def test_the_progress_of_an_indicator() -> None:
    [(inputs, results)] = _examples("Fortschritt eines Indikators")
    baseline, target, latest = _values(inputs[0])
    goal = GoalProgress("g", "Ziel", "%", None, None, baseline, target, Reading(latest, None))
    assert [goal.progress] == results
