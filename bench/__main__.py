"""Run the benchmarks, print a table, write bench/results/<name>.json; always exit 0."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from bench import (
    api,
    commands,
    evidence,
    evidence_2m,
    live_sessions,
    load,
    logic_model,
    pages,
    plugins,
    projections,
    report_pdf,
    sqlite_ceiling,
    surveys,
    years,
)
from bench.common import Row, write_result

BENCHMARKS: dict[str, Callable[..., list[Row]]] = {
    commands.NAME: commands.run,
    load.NAME: load.run,
    plugins.NAME: plugins.run,
    pages.NAME: pages.run,
    sqlite_ceiling.NAME: sqlite_ceiling.run,
    api.NAME: api.run,
    projections.NAME: projections.run,
    years.NAME: years.run,
    report_pdf.NAME: report_pdf.run,
    evidence.NAME: evidence.run,
    evidence_2m.NAME: evidence_2m.run,
    live_sessions.NAME: live_sessions.run,
    surveys.NAME: surveys.run,
    logic_model.NAME: logic_model.run,
}


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the chosen benchmarks, print and store their rows."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short smoke run (fewer ops)")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), help="run one benchmark")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    chosen = [options.only] if options.only else list(BENCHMARKS)
    rows: list[Row] = []
    for name in chosen:
        print(f"{name}{' (quick)' if options.quick else ''} …", file=sys.stderr, flush=True)
        found = BENCHMARKS[name](quick=options.quick)
        path = write_result(name, found, quick=options.quick)
        print(f"  wrote {path}", file=sys.stderr, flush=True)
        rows.extend(found)
    width = max(len(row.label) for row in rows)
    print()
    for row in rows:
        print(row.line(width))
    return 0


if __name__ == "__main__":
    sys.exit(main())
