"""Write the API's OpenAPI spec as committed in docs/openapi.json.

    .venv/bin/python -m web.api.openapi docs/openapi.json

The spec does not depend on the store's content: the app is built on a throwaway SQLite file.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from engine.application.bootstrap import open_engine
from engine.infrastructure.settings import Settings

COMMAND = ".venv/bin/python -m web.api.openapi docs/openapi.json"


def render(spec: dict[str, Any]) -> str:
    """The spec as committed: sorted keys, two-space indents, a final newline."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def current_spec() -> dict[str, Any]:
    """The spec the application serves at /api/v1/openapi.json."""
    from web.app import create_app

    with tempfile.TemporaryDirectory(prefix="qualizyklus-openapi-") as folder:
        database = f"sqlite:///{folder}/spec.db"
        open_engine(Settings(database=database), create_tables=True).close()
        app = create_app({"QUALIZYKLUS_DATABASE": database, "SECRET_KEY": "openapi"})
        try:
            response = app.test_client().get("/api/v1/openapi.json")
            spec: dict[str, Any] = response.get_json()
        finally:
            app.extensions["qualizyklus"].close()
    return spec


def main(argv: list[str] | None = None) -> int:
    """Write the spec to the file named (or to stdout)."""
    args = sys.argv[1:] if argv is None else argv
    text = render(current_spec())
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
