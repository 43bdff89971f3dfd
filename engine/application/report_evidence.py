"""The checkpoint a report is produced under, and checking a report against the store later.

A report carries the latest signed checkpoint and the cycle's newest event inside it (position,
notification id, version, seal). The seal of that event chains every earlier version of the
cycle, so the one leaf stands for all of them. The PDF holds this as one ASCII line in its
metadata (:data:`MARKER` + base64 JSON); :func:`read_evidence` finds it again in the file.

:func:`check_report` then proves, with the store: the recorded leaves hash to the signed root,
an RFC 9162 inclusion proof puts the report's leaf under it, the cycle's versions up to that
one still carry the same seals (its chain verifies), and the store extends the checkpoint.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from engine.application.audit import check_chain
from engine.application.evidence_check import check_against
from engine.application.evidence_log import checkpoints_table, leaves_table
from engine.application.log_tables import Leaf
from engine.application.store import Store
from engine.domain.checkpoint import VerifierKey, open_note, parse_body
from engine.domain.merkle import inclusion_proof, verify_inclusion

MARKER = "QZEVIDENCE1:"
_FOUND = re.compile(rb"QZEVIDENCE1:([A-Za-z0-9+/=]+)")


class ReportEvidenceError(ValueError):
    """A report without evidence, or evidence that does not hold."""


@dataclass(frozen=True)
class ReportEvidence:
    """The checkpoint (signed note) and the cycle's newest event in it."""

    note: str
    leaf: Leaf

    def line(self) -> str:
        """The ASCII line stored in the PDF."""
        data = {"note": self.note, "leaf": list(self.leaf)}
        return MARKER + base64.b64encode(json.dumps(data).encode()).decode("ascii")

    def summary(self) -> dict[str, Any]:
        """What the report shows: size, root, time, versions covered, short seal."""
        checkpoint = parse_body(self.note.rpartition("\n\n")[0] + "\n")
        return {
            "origin": checkpoint.origin,
            "size": checkpoint.size,
            "root": checkpoint.root.hex(),
            "time": checkpoint.time,
            "version": self.leaf.version,
            "seal": self.leaf.seal,
        }


def evidence_for(app: Store, cycle_id: UUID) -> ReportEvidence | None:
    """The latest checkpoint and the cycle's newest event in it (None before any)."""
    latest = checkpoints_table(app).latest()
    if latest is None:
        return None
    leaf = leaves_table(app).newest_of(cycle_id.hex, before=latest.size)
    return None if leaf is None else ReportEvidence(latest.note, leaf)


def read_evidence(pdf: bytes) -> ReportEvidence:
    """Find the evidence line in a PDF (its metadata may sit in a compressed object stream)."""
    for chunk in (pdf, *_streams(pdf)):
        found = _FOUND.search(chunk)
        if found:
            try:
                data = json.loads(base64.b64decode(found.group(1), validate=True))
                return ReportEvidence(str(data["note"]), Leaf(*data["leaf"]))
            except (binascii.Error, ValueError, KeyError, TypeError):
                raise ReportEvidenceError("the report's evidence cannot be read") from None
    raise ReportEvidenceError("the file holds no checkpoint (made before the first one?)")


def _streams(pdf: bytes) -> list[bytes]:
    found = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        if end < 0:
            continue
        try:
            found.append(zlib.decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return found


def check_report(app: Store, evidence: ReportEvidence, verifier: VerifierKey) -> list[str]:
    """What no longer holds for a report (empty: its events are in the log, unchanged)."""
    checkpoint = open_note(evidence.note, verifier)
    leaf = evidence.leaf
    if leaf.position >= checkpoint.size:
        return [f"the report's event lies outside checkpoint {checkpoint.size}"]
    hashed = [each.hashed() for each in leaves_table(app).read(0, checkpoint.size)]
    problems = []
    if len(hashed) < checkpoint.size:
        problems.append(f"the recorded log holds fewer than {checkpoint.size} events")
    else:
        try:
            proof = inclusion_proof(hashed, leaf.position)
            verify_inclusion(leaf.hashed(), leaf.position, checkpoint.size, proof, checkpoint.root)
        except ValueError as error:
            problems.append(f"the report's event is not in checkpoint {checkpoint.size}: {error}")
    problems += _cycle_unchanged(app, leaf)
    problems += [str(p) for p in check_against(app, [checkpoint]).problems]
    return problems


def _cycle_unchanged(app: Store, leaf: Leaf) -> list[str]:
    cycle_id = UUID(leaf.originator_id)
    records = app.recorder.select_events(cycle_id, lte=leaf.version)
    problem, seal = check_chain(cycle_id, records, app.mapper)
    if problem is not None:
        return [str(problem)]
    if len(records) != leaf.version or seal != leaf.seal:
        return [f"cycle {cycle_id} versions 1-{leaf.version} differ from the report"]
    return []
