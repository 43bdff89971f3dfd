"""Catalogue of the political anchoring theme (Qualitätsdimension 5 of the NZFH framework).

Criteria follow the Qualitätsrahmen Frühe Hilfen 2.0 and the Niedersachsen standards on
binding structures for network work; standards carry Mindestvoraussetzungen and "das Mehr".
"""

from __future__ import annotations

from engine import Criterion, Template, Text, Theme, numeric_scale, two_level_standard
from plugins.political_anchoring.schemas import EvidenceAttrs

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
        "agenda-committees",
        Text(
            "Frühe Hilfen stehen regelmäßig auf der Tagesordnung der politischen Gremien",
            "Frühe Hilfen are regularly on the agenda of the political bodies",
        ),
        STANDARD,
        help=Text(
            "Gemeint sind Rat bzw. Kreistag, Jugendhilfeausschuss und weitere Fachausschüsse "
            "(z. B. Gesundheit, Soziales). Regelmäßige Berichte halten das Thema präsent, "
            "auch über Wahlperioden hinweg.",
            "This means the council or district council, the youth-welfare committee and other "
            "committees (e.g. health, social affairs). Regular reports keep the topic visible, "
            "also across electoral terms.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Wann standen Frühe Hilfen zuletzt auf einer Tagesordnung, und in welchem "
                    "Gremium?",
                    "When were Frühe Hilfen last on an agenda, and in which body?",
                ),
                Text(
                    "Wer entscheidet, ob und wann das Thema auf die Tagesordnung kommt?",
                    "Who decides whether and when the topic is put on the agenda?",
                ),
            ),
            "plan": (
                Text(
                    "Welcher Berichtsturnus passt zu den Sitzungs- und Haushaltsplänen der "
                    "Gremien?",
                    "Which reporting rhythm fits the bodies' meeting and budget calendars?",
                ),
            ),
            "review": (
                Text(
                    "Hat der Bericht im Gremium Fragen, Aufträge oder Beschlüsse ausgelöst?",
                    "Did the report in the committee lead to questions, assignments or "
                    "resolutions?",
                ),
                Text(
                    "Kennen die neuen Mitglieder der Gremien die Frühen Hilfen?",
                    "Do the new members of the bodies know about Frühe Hilfen?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Die Netzwerkkoordination berichtet mindestens einmal im Jahr im "
            "Jugendhilfeausschuss über Stand und Entwicklung der Frühen Hilfen.",
            "The network coordination reports to the youth-welfare committee at least once a "
            "year on the state and development of Frühe Hilfen.",
        ),
        aspiration=Text(
            "Frühe Hilfen sind ein fester Tagesordnungspunkt mit vereinbartem Turnus, auch im "
            "Rat bzw. Kreistag und in den Fachausschüssen; die Berichte werden mit der "
            "Steuerungsgruppe vorbereitet.",
            "Frühe Hilfen are a standing agenda item with an agreed rhythm, also in the council "
            "or district council and the specialist committees; reports are prepared with the "
            "steering group.",
        ),
    ),
    Criterion(
        "resolution-reporting",
        Text(
            "Über die Umsetzung von Beschlüssen wird berichtet",
            "The implementation of resolutions is reported back",
        ),
        STANDARD,
        help=Text(
            "Beschlüsse zu Frühen Hilfen (z. B. zu Stellen, Angeboten, Konzepten) werden "
            "nachgehalten. Das beschließende Gremium erfährt, was daraus geworden ist.",
            "Resolutions on Frühe Hilfen (e.g. on posts, services, concepts) are followed up. "
            "The body that passed them learns what has come of them.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Beschlüsse zu Frühen Hilfen gibt es, und wie weit sind sie umgesetzt?",
                    "Which resolutions on Frühe Hilfen exist, and how far have they been "
                    "implemented?",
                ),
                Text(
                    "Wer ist für die Umsetzung der einzelnen Beschlüsse zuständig?",
                    "Who is responsible for implementing each resolution?",
                ),
            ),
            "review": (
                Text(
                    "Hat das Gremium zu jedem Beschluss eine Rückmeldung erhalten, auch wenn "
                    "etwas nicht gelungen ist?",
                    "Has the body received feedback on every resolution, including where "
                    "something did not work?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Zu Beschlüssen, die Frühe Hilfen betreffen, erhält das beschließende Gremium eine "
            "schriftliche Rückmeldung zum Stand der Umsetzung.",
            "For resolutions concerning Frühe Hilfen, the body that passed them receives "
            "written feedback on the state of implementation.",
        ),
        aspiration=Text(
            "Beschlüsse werden mit Zuständigkeit und Termin in einer Übersicht nachgehalten; "
            "der Umsetzungsstand wird regelmäßig und unaufgefordert berichtet.",
            "Resolutions are tracked in an overview with responsibility and deadline; the state "
            "of implementation is reported regularly and without being asked.",
        ),
    ),
    Criterion(
        "two-way-information",
        Text(
            "Informationen fließen in beide Richtungen zwischen Politik und Praxis",
            "Information flows both ways between politics and practice",
        ),
        RATING,
        help=Text(
            "Die Politik erfährt, welche Bedarfe Fachkräfte und Familien sehen; die Praxis "
            "erfährt, was politisch beschlossen wurde und warum. Möglich sind z. B. Berichte, "
            "Besuche von Ausschussmitgliedern in Angeboten oder gemeinsame Fachtage.",
            "Politicians learn which needs practitioners and families see; practitioners learn "
            "what was decided politically and why. Ways include reports, visits of committee "
            "members to services or joint conferences.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Auf welchen Wegen erreichen Erfahrungen aus der Praxis die Politik?",
                    "By which routes do experiences from practice reach politicians?",
                ),
                Text(
                    "Wie erfahren die Netzwerkpartner von politischen Entscheidungen?",
                    "How do the network partners learn about political decisions?",
                ),
            ),
            "implement": (
                Text(
                    "Wer gibt Ergebnisse aus den Gremien an das Netzwerk weiter, und bis wann?",
                    "Who passes results from the committees on to the network, and by when?",
                ),
            ),
            "review": (
                Text(
                    "Welche Anliegen aus der Praxis sind in politischen Entscheidungen sichtbar "
                    "geworden?",
                    "Which concerns from practice have become visible in political decisions?",
                ),
            ),
        },
    ),
    Criterion(
        "resource-planning",
        Text("Ressourcen werden gemeinsam geplant", "Resources are planned jointly"),
        STANDARD,
        help=Text(
            "Personal- und Sachmittel für Frühe Hilfen werden nicht nur fortgeschrieben, "
            "sondern anhand der Bedarfe geplant: von Jugendamt, Gesundheitsamt, Politik und "
            "Netzwerkpartnern gemeinsam.",
            "Staff and funds for Frühe Hilfen are not simply carried forward but planned "
            "according to need: jointly by the youth office, the health office, politicians "
            "and network partners.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Mittel stehen für Frühe Hilfen zur Verfügung, und aus welchen Quellen?",
                    "Which funds are available for Frühe Hilfen, and from which sources?",
                ),
                Text(
                    "Wo reichen die Ressourcen für den festgestellten Bedarf nicht aus?",
                    "Where do resources fall short of the identified need?",
                ),
            ),
            "plan": (
                Text(
                    "Bis wann muss ein Bedarf angemeldet sein, damit er in den Haushalt eingeht?",
                    "By when must a need be submitted to be included in the budget?",
                ),
            ),
            "review": (
                Text(
                    "Sind die angemeldeten Bedarfe im Haushalt berücksichtigt worden?",
                    "Were the submitted needs taken into account in the budget?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Der Bedarf an Personal und Sachmitteln für die Frühen Hilfen wird jährlich "
            "ermittelt und in die Haushaltsplanung eingebracht.",
            "The need for staff and funds for Frühe Hilfen is determined every year and fed into "
            "budget planning.",
        ),
        aspiration=Text(
            "Jugendhilfe, Gesundheitswesen und Politik planen die Ressourcen gemeinsam und "
            "mehrjährig; Mittel der Bundesstiftung Frühe Hilfen und kommunale Mittel sind "
            "aufeinander abgestimmt.",
            "Youth welfare, health services and politicians plan resources jointly over several "
            "years; funds of the Bundesstiftung Frühe Hilfen and municipal funds are aligned.",
        ),
    ),
    Criterion(
        "budget-line",
        Text(
            "Frühe Hilfen haben eine eigene Haushaltsstelle",
            "Frühe Hilfen have a budget line of their own",
        ),
        STANDARD,
        help=Text(
            "Eine ausgewiesene Haushaltsstelle (Produkt oder Kostenstelle) macht sichtbar, was "
            "die Kommune selbst in Frühe Hilfen investiert, und schützt die Mittel vor "
            "Umschichtungen.",
            "A budget line of their own (product or cost centre) shows what the municipality "
            "itself invests in Frühe Hilfen and protects the funds from being shifted.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Wo im Haushalt finden sich die Mittel für Frühe Hilfen heute?",
                    "Where in the budget are the funds for Frühe Hilfen today?",
                ),
                Text(
                    "Welche Angebote hängen allein an Fördermitteln oder an jährlichen "
                    "Einzelentscheidungen?",
                    "Which services depend solely on grants or on one-off yearly decisions?",
                ),
            ),
            "review": (
                Text(
                    "Sind die kommunalen Mittel für die Frühen Hilfen im neuen Haushalt gesichert?",
                    "Are the municipal funds for Frühe Hilfen secured in the new budget?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Im kommunalen Haushalt gibt es eine ausgewiesene Haushaltsstelle für Frühe Hilfen.",
            "The municipal budget has a designated budget line for Frühe Hilfen.",
        ),
        aspiration=Text(
            "Die kommunalen Mittel sind verstetigt und gehen über den Eigenanteil zur "
            "Bundesstiftung hinaus; Angebote hängen nicht von jährlichen Einzelentscheidungen ab.",
            "Municipal funds are permanent and go beyond the share required by the federal "
            "foundation; services do not depend on one-off yearly decisions.",
        ),
    ),
    Criterion(
        "coordination-hours",
        Text(
            "Für die Netzwerkkoordination stehen ausreichende Stellenanteile zur Verfügung",
            "Sufficient staff hours are available for network coordination",
        ),
        STANDARD,
        help=Text(
            "Netzwerkkoordination ist eine eigene Aufgabe. Sie braucht verbindliche "
            "Stellenanteile, die sich am Bedarf orientieren (z. B. Zahl der Geburten, Größe "
            "und Struktur des Gebiets) und nicht von anderen Aufgaben aufgezehrt werden.",
            "Network coordination is a task of its own. It needs binding staff hours that follow "
            "the need (e.g. number of births, size and structure of the area) and are not "
            "eaten up by other duties.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Wie viele Stunden pro Woche stehen tatsächlich für die Koordination zur "
                    "Verfügung, und wie viele sind vorgesehen?",
                    "How many hours a week are actually available for coordination, and how "
                    "many are planned?",
                ),
                Text(
                    "Welche Aufgaben der Koordination bleiben liegen?",
                    "Which coordination tasks are left undone?",
                ),
            ),
            "review": (
                Text(
                    "Ist die Stelle gesichert, auch über Vertretung und Befristung hinaus?",
                    "Is the post secured, including cover and beyond any fixed term?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Die Netzwerkkoordination hat verbindlich festgelegte Stellenanteile, die in der "
            "Stellenbeschreibung stehen.",
            "The network coordination has bindingly fixed staff hours that are written into the "
            "job description.",
        ),
        aspiration=Text(
            "Der Stellenumfang richtet sich nach dem Bedarf im Gebiet, ist unbefristet und "
            "schließt Vertretung sowie Zeit und Mittel für Fortbildung ein.",
            "The size of the post follows the need in the area, is permanent and includes cover "
            "as well as time and funds for training.",
        ),
    ),
    Criterion(
        "youth-welfare-planning",
        Text(
            "Frühe Hilfen sind Teil der Jugendhilfeplanung",
            "Frühe Hilfen are part of youth-welfare planning",
        ),
        STANDARD,
        help=Text(
            "Die Jugendhilfeplanung (§ 80 SGB VIII) ermittelt Bestand und Bedarf an Angeboten. "
            "Sind Frühe Hilfen dort verankert, fließen ihre Analysen in die Planung der "
            "Kommune ein.",
            "Youth-welfare planning (section 80 SGB VIII) determines existing services and "
            "needs. When Frühe Hilfen are anchored there, their analyses feed into the "
            "municipality's planning.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Kommen Frühe Hilfen im aktuellen Jugendhilfeplan vor, und wie ausführlich?",
                    "Do Frühe Hilfen appear in the current youth-welfare plan, and in how much "
                    "detail?",
                ),
                Text(
                    "Wie eng arbeiten Netzwerkkoordination und Jugendhilfeplanung zusammen?",
                    "How closely do network coordination and youth-welfare planning work together?",
                ),
            ),
            "review": (
                Text(
                    "Sind Ergebnisse unserer Bestands- und Bedarfsanalyse in die "
                    "Jugendhilfeplanung eingegangen?",
                    "Have results of our analysis of services and needs found their way into "
                    "youth-welfare planning?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Frühe Hilfen sind in der Jugendhilfeplanung als eigener Bereich benannt; die "
            "Netzwerkkoordination wird an der Planung beteiligt.",
            "Frühe Hilfen are named as an area of their own in youth-welfare planning; the "
            "network coordination takes part in the planning.",
        ),
        aspiration=Text(
            "Bestands- und Bedarfsanalysen der Frühen Hilfen fließen regelmäßig in die "
            "Jugendhilfeplanung ein und sind mit der Gesundheits- und Sozialplanung abgestimmt.",
            "Analyses of services and needs in Frühe Hilfen regularly feed into youth-welfare "
            "planning and are aligned with health and social planning.",
        ),
    ),
    Criterion(
        "prevention-chain",
        Text(
            "Frühe Hilfen sind in eine kommunale Präventionskette eingebunden",
            "Frühe Hilfen are part of a municipal prevention chain",
        ),
        RATING,
        help=Text(
            "Eine Präventionskette verbindet Angebote von der Schwangerschaft bis zum Übergang "
            "in den Beruf. Frühe Hilfen sind ihr erstes Glied; wichtig sind gute Übergänge, "
            "etwa in Kita und Familienzentrum.",
            "A prevention chain links services from pregnancy to the start of working life. "
            "Frühe Hilfen are its first link; good transitions matter, e.g. into day care and "
            "family centres.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Gibt es in unserer Kommune eine Präventionskette oder eine vergleichbare "
                    "Strategie, und welche Rolle haben Frühe Hilfen darin?",
                    "Does our municipality have a prevention chain or a comparable strategy, and "
                    "what role do Frühe Hilfen play in it?",
                ),
                Text(
                    "An welchen Übergängen gehen Familien verloren?",
                    "At which transitions are families lost?",
                ),
            ),
            "review": (
                Text(
                    "Sind die Übergänge von den Frühen Hilfen in Kita und Familienzentrum "
                    "verbindlicher geworden?",
                    "Have the transitions from Frühe Hilfen into day care and family centres "
                    "become more binding?",
                ),
            ),
        },
    ),
    Criterion(
        "steering-group",
        Text(
            "Eine Steuerungsgruppe steuert die Frühen Hilfen verbindlich",
            "A steering group steers Frühe Hilfen bindingly",
        ),
        STANDARD,
        help=Text(
            "In der Steuerungsgruppe sitzen Leitungskräfte aus Jugendhilfe, Gesundheitswesen "
            "und weiteren Bereichen. Sie legt Ziele und Prioritäten fest und trägt sie in ihre "
            "Institutionen.",
            "The steering group brings together managers from youth welfare, health services and "
            "other fields. It sets goals and priorities and carries them into their "
            "institutions.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Wer sitzt in der Steuerungsgruppe, und wer fehlt?",
                    "Who sits on the steering group, and who is missing?",
                ),
                Text(
                    "Können die Mitglieder für ihre Institutionen verbindlich zusagen?",
                    "Can the members make binding commitments for their institutions?",
                ),
            ),
            "review": (
                Text(
                    "Welche Entscheidungen der Steuerungsgruppe haben die Arbeit im Netzwerk "
                    "verändert?",
                    "Which decisions of the steering group have changed the work of the network?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Es gibt eine Steuerungsgruppe mit Leitungskräften aus Jugendhilfe und "
            "Gesundheitswesen; sie tagt mindestens zweimal im Jahr, und ihre Ergebnisse werden "
            "protokolliert.",
            "There is a steering group with managers from youth welfare and health services; it "
            "meets at least twice a year and its results are minuted.",
        ),
        aspiration=Text(
            "Die Steuerungsgruppe hat eine schriftliche Geschäftsordnung, entscheidet über Ziele "
            "und Prioritäten und berichtet den politischen Gremien.",
            "The steering group has written rules of procedure, decides on goals and priorities "
            "and reports to the political bodies.",
        ),
    ),
    Criterion(
        "binding-concept",
        Text(
            "Ein Gesamtkonzept Frühe Hilfen ist politisch beschlossen",
            "An overall concept for Frühe Hilfen has been adopted politically",
        ),
        STANDARD,
        help=Text(
            "Ein schriftliches Konzept mit Zielen, Zielgruppen, Angeboten und Zuständigkeiten "
            "schafft Verbindlichkeit, die auch Personalwechsel und Wahlperioden überdauert.",
            "A written concept with goals, target groups, services and responsibilities creates "
            "commitment that outlasts changes of staff and electoral terms.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Gibt es ein schriftliches Konzept, und wann wurde es zuletzt fortgeschrieben?",
                    "Is there a written concept, and when was it last updated?",
                ),
                Text(
                    "Wie deutlich stellt sich die Verwaltungsspitze hinter die Frühen Hilfen?",
                    "How clearly does the head of the administration stand behind Frühe Hilfen?",
                ),
            ),
            "review": (
                Text(
                    "Entspricht das Konzept noch der gelebten Praxis im Netzwerk?",
                    "Does the concept still match what the network actually does?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Ein Gesamtkonzept mit Zielen und Zuständigkeiten liegt schriftlich vor und wurde im "
            "Jugendhilfeausschuss vorgestellt.",
            "An overall concept with goals and responsibilities exists in writing and has been "
            "presented to the youth-welfare committee.",
        ),
        aspiration=Text(
            "Das Konzept ist per Beschluss verabschiedet, wird regelmäßig fortgeschrieben, und "
            "die Verwaltungsspitze bekennt sich öffentlich dazu.",
            "The concept has been adopted by resolution, is updated regularly, and the head of "
            "the administration publicly commits to it.",
        ),
    ),
)
"""The criteria of this theme, in the order a coordinator works through them."""

TEMPLATES = (
    Template(
        "goal-annual-committee-report",
        "goal",
        Text(
            "Jährlicher Bericht im Jugendhilfeausschuss",
            "Annual report to the youth-welfare committee",
        ),
        Text(
            "Ab dem kommenden Jahr berichtet die Netzwerkkoordination jährlich im "
            "Jugendhilfeausschuss über Stand, Bedarfe und Ergebnisse der Frühen Hilfen; der "
            "Termin ist im Sitzungskalender verankert.",
            "From next year, the network coordination reports annually to the youth-welfare "
            "committee on the state, needs and results of Frühe Hilfen; the date is fixed in "
            "the meeting calendar.",
        ),
        {"evidence": []},
        indicator=Text(
            "Berichte der Netzwerkkoordination im Jugendhilfeausschuss im Jahr",
            "Reports of the network coordination to the youth-welfare committee per year",
        ),
        unit=Text("Berichte", "reports"),
        baseline=0,
        target=1,
    ),
    Template(
        "goal-budget-line",
        "goal",
        Text("Eigene Haushaltsstelle für Frühe Hilfen", "A budget line for Frühe Hilfen"),
        Text(
            "Im nächsten Haushalt sind die kommunalen Mittel für Frühe Hilfen in einer eigenen "
            "Haushaltsstelle ausgewiesen und über den Eigenanteil zur Bundesstiftung hinaus "
            "gesichert.",
            "In the next budget, the municipal funds for Frühe Hilfen are shown in a budget line "
            "of their own and secured beyond the share required by the federal foundation.",
        ),
        {"evidence": []},
        indicator=Text(
            "Kommunale Mittel für Frühe Hilfen in einer eigenen Haushaltsstelle",
            "Municipal funds for Frühe Hilfen in a budget line of their own",
        ),
        unit=Text("Euro", "euro"),
        baseline=0,
        target=25000,
    ),
    Template(
        "goal-coordination-post",
        "goal",
        Text(
            "Stellenanteile der Netzwerkkoordination verstetigen",
            "Make the network coordination's staff hours permanent",
        ),
        Text(
            "Die Stelle der Netzwerkkoordination ist unbefristet und im Umfang am Bedarf "
            "ausgerichtet; Vertretung und Fortbildung sind geregelt.",
            "The network coordination post is permanent and sized according to need; cover and "
            "training are arranged.",
        ),
        {"evidence": []},
        indicator=Text(
            "Unbefristete Stellenanteile der Netzwerkkoordination",
            "Permanent staff share of the network coordination",
        ),
        unit=Text("Vollzeitstellen", "full-time posts"),
        baseline=0.5,
        target=1,
    ),
    Template(
        "goal-prevention-chain",
        "goal",
        Text(
            "Frühe Hilfen in die Präventionskette einbinden",
            "Link Frühe Hilfen into the prevention chain",
        ),
        Text(
            "Frühe Hilfen sind im Konzept der kommunalen Präventionskette als erstes Glied "
            "benannt; der Übergang in Kita und Familienzentrum ist mit den Trägern vereinbart.",
            "Frühe Hilfen are named as the first link in the concept of the municipal prevention "
            "chain; the transition into day care and family centres is agreed with the "
            "providers.",
        ),
        {"evidence": []},
        indicator=Text(
            "Mit Trägern vereinbarte Übergänge in Kita und Familienzentrum",
            "Transitions into day care and family centres agreed with providers",
        ),
        unit=Text("Vereinbarungen", "agreements"),
        baseline=0,
        target=3,
    ),
    Template(
        "measure-committee-presentation",
        "measure",
        Text(
            "Sachstandsbericht für den Jugendhilfeausschuss",
            "Progress report for the youth-welfare committee",
        ),
        Text(
            "Die Netzwerkkoordination erstellt mit der Steuerungsgruppe eine Vorlage mit "
            "Kennzahlen, Entwicklungen und Bedarfen und stellt sie im Ausschuss vor; Fragen "
            "und Aufträge werden festgehalten.",
            "The network coordination drafts a paper with key figures, developments and needs "
            "together with the steering group and presents it to the committee; questions and "
            "assignments are recorded.",
        ),
        {"evidence": []},
    ),
    Template(
        "measure-resolution-tracker",
        "measure",
        Text("Beschlussübersicht führen", "Keep a list of resolutions"),
        Text(
            "Alle Beschlüsse zu Frühen Hilfen werden mit Datum, Gremium, Zuständigkeit und "
            "Umsetzungsstand in einer Übersicht geführt, die vor jeder Sitzung der "
            "Steuerungsgruppe aktualisiert wird.",
            "All resolutions on Frühe Hilfen are kept in an overview with date, body, "
            "responsibility and state of implementation, updated before every meeting of the "
            "steering group.",
        ),
        {"evidence": []},
    ),
    Template(
        "measure-politics-meets-practice",
        "measure",
        Text("Politik trifft Praxis", "Politics meets practice"),
        Text(
            "Mitglieder des Jugendhilfeausschusses besuchen Angebote der Frühen Hilfen, etwa "
            "ein Elterncafé oder die Sprechstunde der Familienhebamme, und sprechen mit "
            "Fachkräften über Erfahrungen und Bedarfe.",
            "Members of the youth-welfare committee visit Frühe Hilfen services, such as a "
            "parents' café or the family midwife's consultation hours, and talk with "
            "practitioners about experiences and needs.",
        ),
        {"evidence": []},
    ),
    Template(
        "measure-steering-group-rules",
        "measure",
        Text(
            "Geschäftsordnung der Steuerungsgruppe",
            "Rules of procedure for the steering group",
        ),
        Text(
            "Die Steuerungsgruppe gibt sich eine schriftliche Geschäftsordnung mit Aufgaben, "
            "Mitgliedern, Sitzungsturnus, Entscheidungswegen und Berichtspflichten.",
            "The steering group adopts written rules of procedure covering tasks, members, "
            "meeting rhythm, how decisions are made and reporting duties.",
        ),
        {"evidence": []},
    ),
)
"""Goal and measure templates from good practice."""

QUESTIONS_FOR_POLITICS = {
    "analyse": (
        Text(
            "Welche Themen der Frühen Hilfen wollen wir in diesem Zyklus mit Politik und "
            "Verwaltung besprechen, und mit wem?",
            "Which topics of Frühe Hilfen do we want to discuss with politics and "
            "administration in this cycle, and with whom?",
        ),
    ),
    "plan": (
        Text(
            "Welche Entscheidungen von Politik und Verwaltung brauchen unsere Maßnahmen, und "
            "wann stehen sie auf der Tagesordnung?",
            "Which decisions of politics and administration do our measures need, and when are "
            "they on the agenda?",
        ),
    ),
    "review": (
        Text(
            "Was haben Politik und Verwaltung in diesem Zyklus über die Frühen Hilfen erfahren, "
            "und was haben sie daraufhin entschieden?",
            "What did politics and administration learn about Frühe Hilfen in this cycle, and "
            "what did they decide as a result?",
        ),
    ),
}
"""Theme-wide questions for the talks with the political level, asked once per phase."""

THEME = Theme(
    id="political-anchoring",
    version="1.1.0",
    title=Text("Politisch-strukturelle Verankerung", "Political and structural anchoring"),
    description=Text(
        "Frühe Hilfen sind in Politik und Verwaltung der Kommune verbindlich verankert: Sie "
        "stehen regelmäßig auf der Tagesordnung der Gremien, werden mit Ressourcen geplant und "
        "sind mit Jugendhilfeplanung und Präventionskette verknüpft.",
        "Frühe Hilfen are firmly anchored in the municipality's politics and administration: "
        "they are regularly on the bodies' agendas, resources are planned for them, and they "
        "are linked to youth-welfare planning and the prevention chain.",
    ),
    quality_dimension=5,
    criteria=CRITERIA,
    templates=TEMPLATES,
    goal_schema=EvidenceAttrs,
    measure_schema=EvidenceAttrs,
    reflection_questions=QUESTIONS_FOR_POLITICS,
)
"""The political anchoring theme as the engine loads it (1.1.0: questions for the talks with
the political level, asked once for the whole theme)."""
