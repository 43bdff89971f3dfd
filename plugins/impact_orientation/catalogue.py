"""Catalogue of the impact orientation theme (Qualitätsdimension 10 of the NZFH framework).

Impact orientation is an attitude and a loop: plan, record, analyse, put in context, learn.
The criteria cover goals and indicators, data, analysis and learning, and the common impact
models: the Wirkungstreppe, the IOOI chain and the NZFH logic model.
"""

from __future__ import annotations

from engine import Criterion, Template, Text, Theme, numeric_scale, two_level_standard
from plugins.impact_orientation.logic_model.sample import demo_saves
from plugins.impact_orientation.models import IMPACT_STEPS, IOOI_LEVELS
from plugins.impact_orientation.records import RECORD_SCHEMAS
from plugins.impact_orientation.schemas import GoalAttrs, MeasureAttrs

__all__ = ["CRITERIA", "IMPACT_STEPS", "IOOI_LEVELS", "TEMPLATES", "THEME"]

RATING = numeric_scale(
    "one-to-five",
    Text("1 (trifft nicht zu) bis 5 (trifft voll zu)", "1 (does not apply) to 5 (fully applies)"),
    1,
    5,
)
"""The numeric scale of this theme's criteria that are not standards."""

STANDARD = two_level_standard()
"""The two-level scale of this theme's standards."""

CRITERIA = (
    Criterion(
        "impact-goals",
        Text(
            "Das Netzwerk hat gemeinsame Wirkungsziele",
            "The network has shared impact goals",
        ),
        STANDARD,
        help=Text(
            "Wirkungsziele beschreiben, was sich für Familien und im Netzwerk verändern soll, "
            "nicht nur, welche Angebote stattfinden.",
            "Impact goals describe what is to change for families and in the network, not only "
            "which services take place.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Was soll sich für Familien durch die Frühen Hilfen konkret verändern?",
                    "What exactly should change for families through Frühe Hilfen?",
                ),
                Text(
                    "Teilen alle Netzwerkpartner diese Ziele?",
                    "Do all network partners share these goals?",
                ),
            ),
            "plan": (
                Text(
                    "Auf welche Stufe der Wirkungstreppe zielt jedes unserer Ziele?",
                    "Which step of the impact staircase does each of our goals aim at?",
                ),
            ),
            "review": (
                Text(
                    "Sind unsere Wirkungsziele noch die richtigen, oder müssen wir sie anpassen?",
                    "Are our impact goals still the right ones, or do we need to adjust them?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Für die Frühen Hilfen sind schriftlich Ziele formuliert, die beschreiben, was sich "
            "für Familien verändern soll.",
            "Goals for Frühe Hilfen are written down that describe what is to change for families.",
        ),
        aspiration=Text(
            "Die Wirkungsziele sind in einem Wirkungsmodell geordnet (z. B. Wirkungstreppe oder "
            "Logikmodell des NZFH) und mit Netzwerkpartnern und Steuerungsgruppe abgestimmt.",
            "The impact goals are arranged in an impact model (e.g. the impact staircase or the "
            "NZFH logic model) and agreed with network partners and the steering group.",
        ),
    ),
    Criterion(
        "indicators",
        Text(
            "Ziele haben Indikatoren mit Ausgangs- und Zielwert",
            "Goals have indicators with a baseline and a target",
        ),
        STANDARD,
        help=Text(
            "Ein Indikator macht ein Ziel überprüfbar: Woran erkennen wir, dass es erreicht "
            "ist? Ausgangswert und Zielwert zeigen, welche Veränderung angestrebt wird.",
            "An indicator makes a goal checkable: how do we know it has been reached? Baseline "
            "and target show which change is aimed for.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Zu welchen Zielen haben wir schon Indikatoren, und zu welchen nicht?",
                    "For which goals do we already have indicators, and for which not?",
                ),
            ),
            "plan": (
                Text(
                    "Woher kommen die Daten für den Indikator, und wer erhebt sie?",
                    "Where do the data for the indicator come from, and who collects them?",
                ),
                Text(
                    "Ist der Zielwert ehrgeizig, aber erreichbar?",
                    "Is the target ambitious but achievable?",
                ),
            ),
            "review": (
                Text(
                    "Hat der Indikator gemessen, was wir wissen wollten?",
                    "Did the indicator measure what we wanted to know?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Zu jedem priorisierten Ziel gibt es mindestens einen Indikator mit Ausgangswert, "
            "Zielwert und Termin.",
            "Every prioritised goal has at least one indicator with a baseline, a target and a "
            "date.",
        ),
        aspiration=Text(
            "Die Indikatoren decken Output und Outcome ab; Datenquelle, Erhebungsweise und "
            "Zuständigkeit sind beschrieben.",
            "The indicators cover output and outcome; data source, method of collection and "
            "responsibility are described.",
        ),
    ),
    Criterion(
        "data-collection",
        Text("Daten werden regelmäßig erhoben", "Data are collected regularly"),
        STANDARD,
        help=Text(
            "Nur regelmäßig und gleich erhobene Daten lassen Entwicklungen erkennen. Die "
            "Erhebung sollte schlank sein, in die Dokumentation der Angebote passen und die "
            "DSGVO beachten: Es geht um das Netzwerk, nicht um einzelne Familien.",
            "Only data collected regularly and in the same way show developments. Collection "
            "should be lean, fit into the services' documentation and respect the GDPR: it is "
            "about the network, not about individual families.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Daten liegen bei den Netzwerkpartnern ohnehin schon vor?",
                    "Which data do the network partners already have?",
                ),
                Text(
                    "Welche Daten erheben wir, ohne sie je auszuwerten?",
                    "Which data do we collect without ever analysing them?",
                ),
            ),
            "implement": (
                Text(
                    "Werden die Daten wie vereinbart und zum vereinbarten Termin erhoben?",
                    "Are the data collected as agreed and on time?",
                ),
            ),
            "review": (
                Text(
                    "War der Aufwand der Erhebung im Verhältnis zum Nutzen angemessen?",
                    "Was the effort of collecting the data in proportion to its use?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Die vereinbarten Kennzahlen (z. B. erreichte Familien, Vermittlungen, Teilnahme an "
            "Angeboten) werden mindestens jährlich nach einem festen Verfahren erhoben.",
            "The agreed key figures (e.g. families reached, referrals, participation in "
            "services) are collected at least once a year by a fixed procedure.",
        ),
        aspiration=Text(
            "Die Erhebung ist in die Dokumentation der Angebote eingebaut und datensparsam; "
            "Rückmeldungen von Familien und Fachkräften ergänzen die Kennzahlen.",
            "Collection is built into the services' documentation and uses as little data as "
            "possible; feedback from families and practitioners complements the key figures.",
        ),
    ),
    Criterion(
        "analysis-in-context",
        Text(
            "Daten werden ausgewertet und eingeordnet",
            "Data are analysed and put in context",
        ),
        RATING,
        help=Text(
            "Zahlen allein sagen wenig. Sie gewinnen Bedeutung, wenn das Netzwerk sie mit "
            "Sozialdaten (z. B. Geburtenzahlen, Anteil von Familien im SGB-II-Bezug), "
            "Erfahrungen aus der Praxis und Veränderungen im Umfeld in Beziehung setzt.",
            "Figures alone say little. They gain meaning when the network relates them to "
            "social data (e.g. number of births, share of families receiving basic income "
            "support), practical experience and changes in the environment.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Wer wertet die Daten heute aus, und mit wem werden sie besprochen?",
                    "Who analyses the data today, and with whom are they discussed?",
                ),
            ),
            "review": (
                Text(
                    "Welche Erklärungen haben wir für auffällige Werte gefunden?",
                    "Which explanations have we found for striking figures?",
                ),
                Text(
                    "Welche Entwicklungen außerhalb des Netzwerks haben die Ergebnisse "
                    "beeinflusst?",
                    "Which developments outside the network have influenced the results?",
                ),
            ),
        },
    ),
    Criterion(
        "learning-loops",
        Text(
            "Aus Ergebnissen werden Konsequenzen gezogen",
            "Results lead to consequences (learning loops)",
        ),
        STANDARD,
        help=Text(
            "Wirkungsorientierung ist ein Kreislauf: planen, erfassen, auswerten, einordnen, "
            "lernen. Erst wenn Ergebnisse zu Entscheidungen führen, schließt sich die "
            "Lernschleife.",
            "Impact orientation is a loop: plan, record, analyse, put in context, learn. Only "
            "when results lead to decisions does the learning loop close.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Angebote haben wir in den letzten Jahren aufgrund von Ergebnissen "
                    "verändert oder beendet?",
                    "Which services have we changed or ended in recent years because of results?",
                ),
            ),
            "review": (
                Text(
                    "Was haben wir in diesem Zyklus gelernt, und was machen wir deshalb anders?",
                    "What did we learn in this cycle, and what will we do differently as a result?",
                ),
                Text(
                    "Sprechen wir auch offen über Wirkungen, die ausgeblieben sind?",
                    "Do we also talk openly about effects that did not occur?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Die Ergebnisse werden mindestens einmal im Jahr im Netzwerk besprochen, und es wird "
            "festgehalten, was daraus folgt.",
            "Results are discussed in the network at least once a year, and the consequences "
            "are recorded.",
        ),
        aspiration=Text(
            "Angebote werden aufgrund der Auswertungen nachweislich angepasst, beendet oder neu "
            "entwickelt; die Lernschleife ist fester Teil des Qualitätszyklus.",
            "Services are demonstrably adjusted, ended or newly developed because of the "
            "analyses; the learning loop is a fixed part of the quality cycle.",
        ),
    ),
    Criterion(
        "impact-staircase",
        Text(
            "Angebote sind auf der Wirkungstreppe verortet",
            "Services are placed on the impact staircase",
        ),
        RATING,
        help=Text(
            "Die Wirkungstreppe hat sieben Stufen: "
            + "; ".join(f"{n} {step.de}" for n, step in enumerate(IMPACT_STEPS, 1))
            + ". Stufen 1–3 sind Output, 4–6 Outcome, 7 ist Impact.",
            "The impact staircase has seven steps: "
            + "; ".join(f"{n} {step.en.lower()}" for n, step in enumerate(IMPACT_STEPS, 1))
            + ". Steps 1–3 are output, 4–6 outcome, 7 is impact.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Bis zu welcher Stufe der Wirkungstreppe können wir für unsere Angebote "
                    "Belege nennen?",
                    "Up to which step of the impact staircase can we show evidence for our "
                    "services?",
                ),
            ),
            "plan": (
                Text(
                    "Welche Stufe ist für dieses Angebot realistisch erreichbar und messbar?",
                    "Which step is realistically reachable and measurable for this service?",
                ),
            ),
            "review": (
                Text(
                    "Haben wir die angestrebte Stufe erreicht, und woran sehen wir das?",
                    "Did we reach the intended step, and how can we tell?",
                ),
            ),
        },
    ),
    Criterion(
        "iooi-chain",
        Text(
            "Input, Output, Outcome und Impact werden unterschieden",
            "Input, output, outcome and impact are distinguished",
        ),
        RATING,
        help=Text(
            "Die Wirkungskette des Social Reporting Standards unterscheidet den Input "
            "(eingesetzte Ressourcen), den Output (Leistungen), den Outcome (Wirkungen bei den "
            "Zielgruppen) und den Impact (Wirkungen in der Gesellschaft) und vergleicht mit "
            "dem Vorjahr.",
            "The impact chain of the Social Reporting Standard distinguishes input (resources "
            "used), output (services delivered), outcome (effects on the target groups) and "
            "impact (effects on society), and compares with the year before.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Berichten wir vor allem über Input und Output, oder auch über Outcome?",
                    "Do we mainly report on input and output, or also on outcome?",
                ),
            ),
            "review": (
                Text(
                    "Steht der Input im Verhältnis zu den erreichten Outcomes?",
                    "Is the input in proportion to the outcomes achieved?",
                ),
            ),
        },
    ),
    Criterion(
        "logic-model",
        Text(
            "Ein Logikmodell beschreibt, wie die Frühen Hilfen wirken sollen",
            "A logic model describes how Frühe Hilfen are meant to work",
        ),
        RATING,
        help=Text(
            "Das Logikmodell des NZFH für Frühe Hilfen verbindet Rahmenbedingungen, Konzept, "
            "Aktivitätsbereiche und Resultate, jeweils mit Indikatoren. Es macht sichtbar, "
            "welche Annahmen hinter den Angeboten stehen.",
            "The NZFH's logic model for Frühe Hilfen links framework conditions, concept, areas "
            "of activity and results, each with indicators. It makes the assumptions behind the "
            "services visible.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Annahmen haben wir darüber, wie unsere Angebote wirken?",
                    "What assumptions do we make about how our services work?",
                ),
                Text(
                    "Welche Rahmenbedingungen begrenzen, was wir bewirken können?",
                    "Which framework conditions limit what we can achieve?",
                ),
            ),
            "review": (
                Text(
                    "Haben sich unsere Annahmen bestätigt, oder müssen wir das Modell anpassen?",
                    "Were our assumptions confirmed, or do we need to adjust the model?",
                ),
            ),
        },
    ),
    Criterion(
        "year-on-year",
        Text(
            "Ergebnisse werden mit dem Vorjahr verglichen",
            "Results are compared with the year before",
        ),
        STANDARD,
        help=Text(
            "Ein Vergleich mit dem Vorjahr zeigt Entwicklungen, wenn die Kennzahlen jedes Jahr "
            "gleich erhoben werden. Über die Landeskoordinierungsstelle ist auch ein anonymer "
            "Vergleich mit anderen Kommunen möglich.",
            "Comparing with the year before shows developments if the key figures are collected "
            "the same way each year. Through the state coordination office, an anonymous "
            "comparison with other municipalities is also possible.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Können wir die Zahlen dieses Jahres mit denen des Vorjahres vergleichen, "
                    "oder hat sich die Erhebung geändert?",
                    "Can we compare this year's figures with last year's, or has the way of "
                    "collecting them changed?",
                ),
            ),
            "review": (
                Text(
                    "Was hat sich gegenüber dem Vorjahr verändert, und warum?",
                    "What has changed compared with the year before, and why?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Die Kennzahlen werden jedes Jahr gleich erhoben und im Bericht dem Vorjahr "
            "gegenübergestellt.",
            "The key figures are collected the same way every year and set against the year "
            "before in the report.",
        ),
        aspiration=Text(
            "Entwicklungen werden über mehrere Jahre dargestellt und, wo möglich, mit anderen "
            "Kommunen verglichen.",
            "Developments are shown over several years and, where possible, compared with other "
            "municipalities.",
        ),
    ),
    Criterion(
        "impact-attitude",
        Text(
            "Wirkungsorientierung ist eine gemeinsame Haltung",
            "Impact orientation is a shared attitude",
        ),
        RATING,
        help=Text(
            "Netzwerkpartner fragen nicht nur „Was tun wir?“, sondern „Was bewirken wir?“. "
            "Dazu gehört, auch ausbleibende Wirkungen offen anzusprechen.",
            'Network partners ask not only "what do we do?" but "what do we achieve?". This '
            "includes speaking openly about effects that do not occur.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Wie selbstverständlich fragen wir im Netzwerk nach Wirkungen?",
                    "How naturally do we ask about effects in the network?",
                ),
            ),
            "review": (
                Text(
                    "Haben sich Gespräche im Netzwerk durch den Blick auf Wirkungen verändert?",
                    "Has the focus on effects changed the conversations in the network?",
                ),
            ),
        },
    ),
)
"""The criteria of this theme, in the order a coordinator works through them."""

TEMPLATES = (
    Template(
        "goal-reach-families",
        "goal",
        Text(
            "Mehr Familien mit Neugeborenen erreichen",
            "Reach more families with newborns",
        ),
        Text(
            "Der Anteil der Familien mit Neugeborenen, die ein Willkommensangebot der Frühen "
            "Hilfen erhalten, steigt gegenüber dem Vorjahr (Ausgangswert und Zielwert in "
            "Prozent der Geburten).",
            "The share of families with newborns who receive a Frühe Hilfen welcome offer rises "
            "compared with the year before (baseline and target as a percentage of births).",
        ),
        {"impact_step": 2, "iooi_level": "output"},
        indicator=Text(
            "Anteil der Familien mit Neugeborenen, die ein Willkommensangebot erhalten",
            "Share of families with newborns who receive a welcome offer",
        ),
        unit=Text("%", "%"),
        baseline=40,
        target=60,
    ),
    Template(
        "goal-accepted-support",
        "goal",
        Text(
            "Vermittelte Familien nehmen die Begleitung an",
            "Referred families accept support",
        ),
        Text(
            "Familien, die an eine Familienhebamme oder Familien-Gesundheits- und "
            "Kinderkrankenpflegerin vermittelt wurden, nehmen die Begleitung über mindestens "
            "drei Monate in Anspruch.",
            "Families referred to a family midwife or family paediatric nurse accept support "
            "for at least three months.",
        ),
        {"impact_step": 3, "iooi_level": "output"},
        indicator=Text(
            "Anteil der vermittelten Familien mit mindestens drei Monaten Begleitung",
            "Share of referred families supported for at least three months",
        ),
        unit=Text("%", "%"),
        baseline=60,
        target=80,
    ),
    Template(
        "goal-parental-confidence",
        "goal",
        Text(
            "Eltern fühlen sich im Umgang mit ihrem Baby sicherer",
            "Parents feel more confident with their baby",
        ),
        Text(
            "Eltern in der Begleitung schätzen ihre Sicherheit im Umgang mit ihrem Kind am Ende "
            "höher ein als zu Beginn (kurze Selbsteinschätzung zu Beginn und am Ende).",
            "Parents receiving support rate their confidence in handling their child higher at "
            "the end than at the start (short self-assessment at start and end).",
        ),
        {"impact_step": 4, "iooi_level": "outcome"},
        indicator=Text(
            "Anteil der Eltern, die ihre Sicherheit am Ende höher einschätzen als zu Beginn",
            "Share of parents who rate their confidence higher at the end than at the start",
        ),
        unit=Text("%", "%"),
        baseline=50,
        target=70,
    ),
    Template(
        "goal-referral-practice",
        "goal",
        Text(
            "Fachkräfte vermitteln Familien gezielt in Frühe Hilfen",
            "Practitioners refer families to Frühe Hilfen",
        ),
        Text(
            "Geburtskliniken und Kinderarztpraxen vermitteln Familien mit Unterstützungsbedarf "
            "häufiger an die Frühen Hilfen (Zahl der Vermittlungen je Quelle, verglichen mit "
            "dem Vorjahr).",
            "Maternity clinics and paediatric practices refer families in need of support to "
            "Frühe Hilfen more often (number of referrals per source, compared with the year "
            "before).",
        ),
        {"impact_step": 5, "iooi_level": "outcome"},
        indicator=Text(
            "Vermittlungen aus Geburtskliniken und Kinderarztpraxen im Jahr",
            "Referrals from maternity clinics and paediatric practices per year",
        ),
        unit=Text("Vermittlungen", "referrals"),
        baseline=20,
        target=35,
    ),
    Template(
        "measure-indicator-workshop",
        "measure",
        Text("Kennzahlen gemeinsam festlegen", "Agree key figures together"),
        Text(
            "In einem Workshop legen die Netzwerkpartner fünf bis acht Kennzahlen mit "
            "Datenquelle, Zuständigkeit, Ausgangswert und Zielwert fest.",
            "In a workshop, the network partners agree five to eight key figures with data "
            "source, responsibility, baseline and target.",
        ),
        {},
    ),
    Template(
        "measure-data-workshop",
        "measure",
        Text("Jährliche Datenwerkstatt", "Annual data workshop"),
        Text(
            "Die Netzwerkkoordination bereitet die Kennzahlen des Jahres im Vergleich zum "
            "Vorjahr auf; das Netzwerk ordnet sie gemeinsam ein und hält fest, was daraus "
            "folgt.",
            "The network coordination prepares the year's key figures compared with the year "
            "before; the network puts them in context together and records the consequences.",
        ),
        {},
    ),
    Template(
        "measure-family-feedback",
        "measure",
        Text(
            "Kurzbefragung zum Abschluss der Begleitung",
            "Short survey at the end of support",
        ),
        Text(
            "Zum Ende einer Begleitung beantworten Eltern wenige Fragen in einfacher Sprache "
            "dazu, was sich für sie verändert hat; die Antworten werden anonym ausgewertet.",
            "At the end of support, parents answer a few questions in plain language about what "
            "has changed for them; the answers are analysed anonymously.",
        ),
        {"impact_step": 4},
    ),
    Template(
        "measure-staircase-mapping",
        "measure",
        Text(
            "Angebote auf der Wirkungstreppe verorten",
            "Place services on the impact staircase",
        ),
        Text(
            "Die Netzwerkpartner ordnen ihre Angebote den Stufen der Wirkungstreppe zu und "
            "klären, bis zu welcher Stufe sich Wirkungen belegen lassen.",
            "The network partners assign their services to the steps of the impact staircase "
            "and clarify up to which step effects can be shown.",
        ),
        {},
    ),
    Template(
        "measure-logic-model",
        "measure",
        Text("Logikmodell erarbeiten", "Develop a logic model"),
        Text(
            "Anhand des Logikmodells des NZFH beschreibt das Netzwerk Rahmenbedingungen, "
            "Konzept, Aktivitätsbereiche und Resultate der Frühen Hilfen vor Ort, jeweils mit "
            "Indikatoren.",
            "Using the NZFH logic model, the network describes the framework conditions, "
            "concept, areas of activity and results of local Frühe Hilfen, each with "
            "indicators.",
        ),
        {},
    ),
)
"""Goal and measure templates from good practice."""

THEME = Theme(
    id="impact-orientation",
    version="1.0.0",
    title=Text("Wirkungsorientierung", "Impact orientation"),
    description=Text(
        "Das Netzwerk plant Wirkungen, erfasst sie mit Indikatoren, wertet sie aus, ordnet sie "
        "ein und lernt daraus; Ziele werden auf der Wirkungstreppe und in der Wirkungskette "
        "(Input, Output, Outcome, Impact) verortet.",
        "The network plans effects, records them with indicators, analyses them, puts them in "
        "context and learns from them; goals are placed on the impact staircase and in the "
        "impact chain (input, output, outcome, impact).",
    ),
    quality_dimension=10,
    criteria=CRITERIA,
    templates=TEMPLATES,
    goal_schema=GoalAttrs,
    measure_schema=MeasureAttrs,
    record_schemas=RECORD_SCHEMAS,
    demo_records=demo_saves,
    cycle_pages={"impact_orientation.logic_model": Text("Wirkmodell", "Logic model")},
)
"""The impact orientation theme as the engine loads it."""
