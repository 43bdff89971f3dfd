"""The access log's logger under its former name (gunicorn configurations that name it):
every request's line is now private, not only the parents' (:mod:`web.access_log`)."""

from __future__ import annotations

from web.access_log import PrivateLogger as PrivateSurveyLogger

__all__ = ["PrivateSurveyLogger"]
