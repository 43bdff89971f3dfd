"""Every page module of the UI, imported for what importing it does: it adds its pages to the
``ui`` blueprint (defined alone in web/ui/__init__.py). The factory registers ``blueprint`` from
here. A new page module gets an import line here; tests/web/test_no_import_cycles.py fails for
one that is missing.
"""

from __future__ import annotations

import web.ui.admin
import web.ui.analyse
import web.ui.analyse_help
import web.ui.as_of
import web.ui.attachments
import web.ui.audit
import web.ui.comments
import web.ui.cycles
import web.ui.dashboard
import web.ui.diff
import web.ui.free_texts
import web.ui.history
import web.ui.implement
import web.ui.implement_values
import web.ui.landing
import web.ui.legal
import web.ui.members
import web.ui.organisations
import web.ui.passwords
import web.ui.plan
import web.ui.reminders
import web.ui.review
import web.ui.sessions_facilitator
import web.ui.sessions_participant
import web.ui.state
import web.ui.survey_print
import web.ui.surveys
import web.ui.tokens

blueprint = web.ui.blueprint
"""The ``ui`` blueprint with every page added."""
