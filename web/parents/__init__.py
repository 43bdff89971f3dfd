"""The parents' survey pages: no account, no JavaScript, seven languages, phone first.

Nothing about a parent is stored: no address, no browser, no account. The one cookie keeps a
half-filled form (signed, for one survey only) so that answers survive a dropped connection
between pages. Texts of the pages come from ``texts.json`` beside this module (not from the
application's German/English catalogue); the questions' texts come with the survey.
"""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("parents", __name__, url_prefix="/befragung")
