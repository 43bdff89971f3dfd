"""Catalogue of the parent participation theme (Qualitätsdimension 11 of the NZFH framework).

How far parents take part in analysis, planning and evaluation is rated on the participation
ladder; conditions for taking part are standards with Mindestvoraussetzungen and "das Mehr";
the rest uses a numeric scale.
"""

from __future__ import annotations

from engine import Criterion, Template, Text, Theme, numeric_scale, two_level_standard
from plugins.parent_participation.ladder import LADDER, PARTICIPATION_THRESHOLD
from plugins.parent_participation.schemas import GoalAttrs, MeasureAttrs

__all__ = ["CRITERIA", "LADDER", "PARTICIPATION_THRESHOLD", "TEMPLATES", "THEME"]

RATING = numeric_scale(
    "one-to-five",
    Text("1 (trifft nicht zu) bis 5 (trifft voll zu)", "1 (does not apply) to 5 (fully applies)"),
    1,
    5,
)
"""The numeric scale of this theme's criteria that are neither standards nor ladder ratings."""

STANDARD = two_level_standard()
"""The two-level scale of this theme's standards."""

CRITERIA = (
    Criterion(
        "shared-understanding",
        Text(
            "Das Netzwerk hat ein gemeinsames Verständnis von Beteiligung",
            "The network shares an understanding of participation",
        ),
        RATING,
        help=Text(
            "Eltern zu informieren oder anzuhören ist noch keine Beteiligung. Ein gemeinsames "
            "Verständnis, etwa anhand des Stufenmodells der Partizipation, hilft, die eigene "
            "Praxis ehrlich einzuordnen.",
            "Informing or consulting parents is not yet participation. A shared understanding, "
            "for instance based on the participation ladder, helps to place one's own practice "
            "honestly.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Was verstehen die Netzwerkpartner unter Beteiligung von Eltern?",
                    "What do the network partners mean by parent participation?",
                ),
                Text(
                    "Auf welcher Stufe des Stufenmodells sehen wir unsere heutige Praxis?",
                    "On which level of the ladder do we see our current practice?",
                ),
            ),
            "review": (
                Text(
                    "Hat sich unsere Haltung zur Beteiligung von Eltern verändert, und woran "
                    "merken wir das?",
                    "Has our attitude towards parent participation changed, and how can we tell?",
                ),
            ),
        },
    ),
    Criterion(
        "involved-in-analysis",
        Text(
            "Eltern sind an der Bestands- und Bedarfsanalyse beteiligt",
            "Parents take part in the analysis of services and needs",
        ),
        LADDER,
        help=Text(
            "Eltern wissen am besten, welche Angebote ihnen helfen und was ihnen den Zugang "
            "erschwert. Bewertet wird, auf welcher Stufe sie an der Analyse mitwirken.",
            "Parents know best which services help them and what makes access hard. The rating "
            "is the level at which they take part in the analysis.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Wessen Sicht fließt in unsere Bedarfsanalyse ein, und wessen fehlt?",
                    "Whose view goes into our needs analysis, and whose is missing?",
                ),
                Text(
                    "Haben Eltern mitentschieden, welche Fragen wir überhaupt stellen?",
                    "Did parents help decide which questions we ask in the first place?",
                ),
            ),
            "review": (
                Text(
                    "Was haben wir durch die Eltern erfahren, das wir vorher nicht wussten?",
                    "What did we learn from parents that we did not know before?",
                ),
            ),
        },
    ),
    Criterion(
        "involved-in-planning",
        Text(
            "Eltern sind an der Planung von Zielen und Angeboten beteiligt",
            "Parents take part in planning goals and services",
        ),
        LADDER,
        help=Text(
            "Bewertet wird, wie weit Eltern über Ziele, Maßnahmen und die Gestaltung von "
            "Angeboten mitentscheiden: von der Information über Planungen bis zur "
            "gemeinsamen Entscheidung.",
            "The rating is how far parents share in deciding goals, measures and the shape of "
            "services: from being informed about plans to deciding together.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Bei welchen Planungen der letzten Jahre waren Eltern beteiligt, und wie?",
                    "In which planning of recent years were parents involved, and how?",
                ),
            ),
            "plan": (
                Text(
                    "Welche Entscheidungen können wir Eltern tatsächlich überlassen?",
                    "Which decisions can we really leave to parents?",
                ),
            ),
            "review": (
                Text(
                    "Sind Vorschläge von Eltern in die Planung eingegangen, und haben sie davon "
                    "erfahren?",
                    "Did parents' suggestions make it into the plan, and were they told?",
                ),
            ),
        },
    ),
    Criterion(
        "involved-in-evaluation",
        Text(
            "Eltern sind an der Bewertung der Angebote beteiligt",
            "Parents take part in evaluating services",
        ),
        LADDER,
        help=Text(
            "Eltern können mehr als einen Fragebogen ausfüllen: Sie können Kriterien für die "
            "Bewertung mitbestimmen, Ergebnisse mit auswerten und Schlussfolgerungen ziehen.",
            "Parents can do more than fill in a questionnaire: they can help choose the "
            "criteria for evaluation, help interpret results and draw conclusions.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Wie erfahren wir heute, wie Eltern unsere Angebote erleben?",
                    "How do we currently learn how parents experience our services?",
                ),
            ),
            "review": (
                Text(
                    "Haben Eltern die Ergebnisse der Evaluation mit uns besprochen und "
                    "eingeordnet?",
                    "Did parents discuss and interpret the evaluation results with us?",
                ),
                Text(
                    "Was ändern wir aufgrund ihrer Bewertung?",
                    "What are we changing because of their assessment?",
                ),
            ),
        },
    ),
    Criterion(
        "low-threshold-access",
        Text(
            "Beteiligung ist niedrigschwellig zugänglich",
            "Participation is low-threshold",
        ),
        STANDARD,
        help=Text(
            "Beteiligung erreicht nur dann viele Familien, wenn sie dort stattfindet, wo Eltern "
            "ohnehin sind, und wenn sie ohne Vorwissen, Anmeldung und Schriftsprache auskommt.",
            "Participation only reaches many families if it takes place where parents already "
            "are and works without prior knowledge, registration or written language.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Eltern erreichen wir mit unseren Beteiligungsformaten, und welche "
                    "nicht?",
                    "Which parents do our participation formats reach, and which not?",
                ),
                Text(
                    "Welche Hürden nennen Eltern selbst?",
                    "Which barriers do parents name themselves?",
                ),
            ),
            "review": (
                Text(
                    "Haben auch Familien in belastenden Lebenslagen mitgewirkt?",
                    "Did families in stressful circumstances take part as well?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Beteiligung findet an Orten und zu Zeiten statt, an denen Eltern ohnehin sind "
            "(z. B. Familienzentrum, Elterncafé, Kinderarztpraxis), und ohne Anmeldehürden.",
            "Participation takes place where and when parents already are (e.g. family centre, "
            "parents' café, paediatric practice) and without registration hurdles.",
        ),
        aspiration=Text(
            "Formate werden mit Fachkräften entwickelt, die Familien in belastenden Lebenslagen "
            "erreichen (z. B. Familienhebammen, Lotsendienste); aufsuchende und digitale Wege "
            "ergänzen einander.",
            "Formats are developed with practitioners who reach families in stressful "
            "circumstances (e.g. family midwives, guide services); outreach and digital routes "
            "complement each other.",
        ),
    ),
    Criterion(
        "feedback-channels",
        Text("Eltern können jederzeit Rückmeldung geben", "Parents can give feedback at any time"),
        STANDARD,
        help=Text(
            "Rückmeldewege wie Feedbackkarten, kurze Befragungen oder feste Ansprechpersonen "
            "machen Beteiligung auch zwischen Veranstaltungen möglich. Entscheidend ist, dass "
            "Eltern erfahren, was aus ihrer Rückmeldung wird.",
            "Feedback channels such as feedback cards, short surveys or named contact persons "
            "make participation possible between events as well. What matters is that parents "
            "learn what became of their feedback.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Rückmeldewege gibt es, und kennen Eltern sie?",
                    "Which feedback channels exist, and do parents know them?",
                ),
            ),
            "implement": (
                Text(
                    "Wer wertet die Rückmeldungen aus, und wie oft?",
                    "Who evaluates the feedback, and how often?",
                ),
            ),
            "review": (
                Text(
                    "Was hat sich aufgrund von Rückmeldungen der Eltern verändert?",
                    "What has changed because of parents' feedback?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Es gibt mindestens einen bekannten, einfachen Rückmeldeweg, und die Rückmeldungen "
            "werden regelmäßig ausgewertet.",
            "There is at least one well-known, simple feedback channel, and the feedback is "
            "evaluated regularly.",
        ),
        aspiration=Text(
            "Eltern erfahren, was aus ihren Rückmeldungen geworden ist („Sie haben gesagt – wir "
            "haben getan“); Anregungen und Beschwerden fließen nachweislich in die "
            "Weiterentwicklung ein.",
            'Parents learn what became of their feedback ("you said – we did"); suggestions '
            "and complaints demonstrably feed into further development.",
        ),
    ),
    Criterion(
        "parents-in-committees",
        Text("Eltern sind in Gremien vertreten", "Parents are represented on committees"),
        STANDARD,
        help=Text(
            "Eltern in Netzwerkkonferenz, Steuerungsgruppe oder einem eigenen Elternbeirat "
            "bringen ihre Sicht dort ein, wo entschieden wird. Das braucht Vorbereitung und "
            "Begleitung auf beiden Seiten.",
            "Parents on the network conference, the steering group or a parents' council of "
            "their own bring their view to where decisions are made. This needs preparation "
            "and support on both sides.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "In welchen Gremien wird über Frühe Hilfen entschieden, und sind Eltern "
                    "dort vertreten?",
                    "In which bodies are decisions on Frühe Hilfen made, and are parents "
                    "represented there?",
                ),
            ),
            "plan": (
                Text(
                    "Wie müssen Sitzungen gestaltet sein, damit Eltern gut mitreden können?",
                    "How must meetings be run so that parents can take part well?",
                ),
            ),
            "review": (
                Text(
                    "Haben sich die Elternvertreterinnen und -vertreter ernst genommen gefühlt?",
                    "Did the parents' representatives feel taken seriously?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Eltern werden zu ausgewählten Sitzungen des Netzwerks oder der Steuerungsgruppe "
            "eingeladen, und die Sitzungen sind darauf vorbereitet.",
            "Parents are invited to selected meetings of the network or the steering group, and "
            "the meetings are prepared for them.",
        ),
        aspiration=Text(
            "Eltern haben einen festen Sitz, möglichst mit Stimmrecht; ein begleiteter "
            "Elternbeirat gibt Stellungnahmen zu Planungen ab.",
            "Parents have a permanent seat, if possible with a vote; a supported parents' "
            "council comments on plans.",
        ),
    ),
    Criterion(
        "accessible-information",
        Text(
            "Informationen sind verständlich und mehrsprachig",
            "Information is easy to understand and multilingual",
        ),
        STANDARD,
        help=Text(
            "Wer sich beteiligen soll, muss verstehen, worum es geht. Dazu gehören einfache "
            "Sprache, Leichte Sprache, Bilder und die Sprachen, die Familien in der Kommune "
            "sprechen.",
            "To take part, people must understand what it is about. This includes plain "
            "language, easy-to-read language, pictures and the languages families in the "
            "municipality speak.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Sprachen sprechen die Familien in unserer Kommune?",
                    "Which languages do the families in our municipality speak?",
                ),
                Text(
                    "Haben Eltern unsere Materialien schon einmal auf Verständlichkeit geprüft?",
                    "Have parents ever checked our materials for clarity?",
                ),
            ),
            "review": (
                Text(
                    "Haben wir mit den neuen Materialien Familien erreicht, die vorher fehlten?",
                    "Did the new materials reach families who were missing before?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Die wichtigsten Informationen zu Frühen Hilfen und zu Beteiligungsmöglichkeiten "
            "gibt es in einfacher Sprache und in den häufigsten Familiensprachen vor Ort.",
            "The key information on Frühe Hilfen and on ways to take part is available in plain "
            "language and in the most common family languages locally.",
        ),
        aspiration=Text(
            "Materialien werden mit Eltern erarbeitet und geprüft, auch in Leichter Sprache, mit "
            "Bildern oder als Audio und Video; bei Beteiligungsformaten stehen "
            "Sprachmittlerinnen und Sprachmittler bereit.",
            "Materials are developed and checked with parents, also in easy-to-read language, "
            "with pictures or as audio and video; interpreters are available at participation "
            "events.",
        ),
    ),
    Criterion(
        "enabling-conditions",
        Text(
            "Die Teilnahme wird Eltern ermöglicht",
            "Parents are enabled to take part",
        ),
        STANDARD,
        help=Text(
            "Kinderbetreuung, passende Uhrzeiten, Fahrtkosten und eine Anerkennung für den "
            "Aufwand entscheiden oft darüber, ob Eltern teilnehmen können.",
            "Child care, suitable times, travel costs and recognition of the effort often "
            "decide whether parents can take part.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Was hindert Eltern praktisch daran, an Treffen teilzunehmen?",
                    "What practically prevents parents from attending meetings?",
                ),
            ),
            "plan": (
                Text(
                    "Welches Budget brauchen wir für Kinderbetreuung, Fahrtkosten und "
                    "Aufwandsentschädigung?",
                    "Which budget do we need for child care, travel costs and compensation?",
                ),
            ),
            "review": (
                Text(
                    "Konnten alle interessierten Eltern teilnehmen, und wer musste absagen?",
                    "Could all interested parents take part, and who had to cancel?",
                ),
            ),
        },
        minimum_requirements=Text(
            "Bei Beteiligungsformaten gibt es Kinderbetreuung, oder Kinder sind ausdrücklich "
            "willkommen; Fahrtkosten werden auf Wunsch erstattet.",
            "Participation formats offer child care, or children are expressly welcome; travel "
            "costs are refunded on request.",
        ),
        aspiration=Text(
            "Eltern erhalten für ihre Mitwirkung eine Aufwandsentschädigung; dafür ist ein "
            "eigenes Budget eingeplant.",
            "Parents receive compensation for their contribution; a budget of its own is "
            "planned for it.",
        ),
    ),
    Criterion(
        "diverse-voices",
        Text("Unterschiedliche Familien kommen zu Wort", "Different families have a say"),
        RATING,
        help=Text(
            "Nicht nur die ohnehin engagierten Eltern sollen gehört werden, sondern z. B. auch "
            "Väter, sehr junge und alleinerziehende Eltern, Familien mit "
            "Migrationsgeschichte, Eltern mit Behinderung und Familien in belastenden "
            "Lebenslagen.",
            "Not only the parents who are engaged anyway should be heard, but also, for "
            "instance, fathers, very young and single parents, families with a migration "
            "background, parents with disabilities and families in stressful circumstances.",
        ),
        reflection_questions={
            "analyse": (
                Text(
                    "Welche Familien waren bei unseren letzten Beteiligungsformaten dabei?",
                    "Which families took part in our recent participation formats?",
                ),
                Text(
                    "Über wen reden wir oft, ohne mit ihnen zu reden?",
                    "Whom do we often talk about without talking to them?",
                ),
            ),
            "review": (
                Text(
                    "Welche Perspektiven sind neu hinzugekommen?",
                    "Which perspectives have been added?",
                ),
            ),
        },
    ),
)
"""The criteria of this theme, in the order a coordinator works through them."""

TEMPLATES = (
    Template(
        "goal-co-determined-analysis",
        "goal",
        Text(
            "Eltern bestimmen bei der nächsten Bedarfsanalyse mit",
            "Parents co-determine the next needs analysis",
        ),
        Text(
            "Bei der nächsten Bestands- und Bedarfsanalyse legen Eltern gemeinsam mit dem "
            "Netzwerk fest, welche Fragen gestellt werden, und werten die Ergebnisse mit aus.",
            "In the next analysis of services and needs, parents decide together with the "
            "network which questions are asked, and help interpret the results.",
        ),
        {"participation_level": "mitbestimmung"},
        indicator=Text(
            "Eltern, die an Fragen und Auswertung der Bedarfsanalyse mitwirken",
            "Parents who help set the questions and interpret the needs analysis",
        ),
        unit=Text("Eltern", "parents"),
        baseline=0,
        target=5,
    ),
    Template(
        "goal-parent-seat",
        "goal",
        Text(
            "Elternvertretung in der Netzwerkkonferenz",
            "Parents' representatives on the network conference",
        ),
        Text(
            "Zwei Elternvertreterinnen oder -vertreter haben einen festen Sitz mit Stimmrecht "
            "in der Netzwerkkonferenz und werden dabei begleitet.",
            "Two parents' representatives have a permanent seat with a vote on the network "
            "conference and are supported in this role.",
        ),
        {"participation_level": "mitbestimmung"},
        indicator=Text(
            "Elternvertretungen mit Sitz und Stimme in der Netzwerkkonferenz",
            "Parents' representatives with a seat and a vote on the network conference",
        ),
        unit=Text("Sitze", "seats"),
        baseline=0,
        target=2,
    ),
    Template(
        "goal-parent-council-fund",
        "goal",
        Text(
            "Elternbeirat entscheidet über einen Verfügungsfonds",
            "A parents' council decides on a small fund",
        ),
        Text(
            "Ein Elternbeirat Frühe Hilfen entscheidet selbst über die Verwendung eines kleinen "
            "Budgets für Angebote und Aktionen im Stadtteil.",
            "A Frühe Hilfen parents' council decides itself how a small budget for services and "
            "activities in the neighbourhood is spent.",
        ),
        {"participation_level": "teilweise-entscheidungskompetenz"},
        indicator=Text(
            "Vom Elternbeirat beschlossene Verwendungen des Fonds im Jahr",
            "Uses of the fund decided by the parents' council per year",
        ),
        unit=Text("Beschlüsse", "decisions"),
        baseline=0,
        target=4,
    ),
    Template(
        "goal-multilingual-information",
        "goal",
        Text(
            "Informationen in einfacher Sprache und mehreren Sprachen",
            "Information in plain language and several languages",
        ),
        Text(
            "Der Wegweiser Frühe Hilfen liegt in einfacher Sprache und in den fünf häufigsten "
            "Familiensprachen vor; Eltern haben die Fassungen geprüft.",
            "The Frühe Hilfen guide is available in plain language and in the five most common "
            "family languages; parents have checked the versions.",
        ),
        {},
        indicator=Text(
            "Sprachfassungen des Wegweisers, von Eltern geprüft",
            "Language versions of the guide checked by parents",
        ),
        unit=Text("Fassungen", "versions"),
        baseline=1,
        target=6,
    ),
    Template(
        "measure-parent-cafe-survey",
        "measure",
        Text("Befragung im Elterncafé", "Survey at the parents' café"),
        Text(
            "Im Elterncafé des Familienzentrums werden Eltern mit einfachen, moderierten "
            "Methoden (z. B. Punktabfrage, Wunschbaum) nach ihren Erfahrungen und Wünschen "
            "gefragt; Kinder sind willkommen.",
            "At the family centre's parents' café, parents are asked about their experiences "
            "and wishes with simple, moderated methods (e.g. dot voting, a wish tree); children "
            "are welcome.",
        ),
        {"participation_level": "anhoerung", "phase_involvement": ["analyse"]},
    ),
    Template(
        "measure-planning-workshop",
        "measure",
        Text("Planungswerkstatt mit Eltern", "Planning workshop with parents"),
        Text(
            "Eltern und Fachkräfte entwickeln in einer Werkstatt gemeinsam Maßnahmen und "
            "entscheiden zusammen über die Prioritäten; es gibt Kinderbetreuung und eine "
            "Aufwandsentschädigung.",
            "Parents and practitioners develop measures together in a workshop and jointly "
            "decide on priorities; child care and compensation are provided.",
        ),
        {"participation_level": "mitbestimmung", "phase_involvement": ["plan"]},
    ),
    Template(
        "measure-feedback-cards",
        "measure",
        Text("Rückmeldekarten in einfacher Sprache", "Feedback cards in plain language"),
        Text(
            "In allen Angeboten liegen Rückmeldekarten in einfacher Sprache und mehreren "
            "Sprachen aus; die Auswertung wird jedes Quartal als Aushang „Sie haben gesagt – "
            "wir haben getan“ zurückgemeldet.",
            "Feedback cards in plain language and several languages are available in all "
            'services; each quarter the results are posted back as "you said – we did".',
        ),
        {"participation_level": "anhoerung", "phase_involvement": ["implement", "review"]},
    ),
    Template(
        "measure-parent-council",
        "measure",
        Text("Elternbeirat Frühe Hilfen gründen", "Set up a Frühe Hilfen parents' council"),
        Text(
            "Ein begleiteter Elternbeirat trifft sich regelmäßig, nimmt zu Planungen Stellung "
            "und entscheidet über einen eigenen Verfügungsfonds.",
            "A supported parents' council meets regularly, comments on plans and decides on a "
            "fund of its own.",
        ),
        {
            "participation_level": "teilweise-entscheidungskompetenz",
            "phase_involvement": ["analyse", "plan", "implement", "review"],
        },
    ),
    Template(
        "measure-joint-evaluation",
        "measure",
        Text("Auswertung gemeinsam mit Eltern", "Evaluating together with parents"),
        Text(
            "Eltern besprechen in einer Auswertungsrunde die Ergebnisse der Evaluation mit dem "
            "Netzwerk und entscheiden mit, welche Konsequenzen gezogen werden.",
            "In a review meeting, parents discuss the evaluation results with the network and "
            "share in deciding which conclusions are drawn.",
        ),
        {"participation_level": "mitbestimmung", "phase_involvement": ["review"]},
    ),
)
"""Goal and measure templates from good practice."""

THEME = Theme(
    id="parent-participation",
    version="1.0.0",
    title=Text("Beteiligung und Partizipation von Eltern", "Parent participation"),
    description=Text(
        "Eltern wirken an der Gestaltung der Frühen Hilfen mit: bei der Analyse, der Planung "
        "und der Bewertung von Angeboten, über niedrigschwellige Zugänge und Rückmeldewege und "
        "mit einem Sitz in den Gremien.",
        "Parents help shape Frühe Hilfen: in analysing, planning and evaluating services, "
        "through low-threshold access and feedback channels, and with a seat on committees.",
    ),
    quality_dimension=11,
    criteria=CRITERIA,
    templates=TEMPLATES,
    goal_schema=GoalAttrs,
    measure_schema=MeasureAttrs,
)
"""The parent participation theme as the engine loads it."""
