"""A plain, browsable page of the API's operations, built from the OpenAPI spec.

Swagger UI and ReDoc need JavaScript from elsewhere, which the content security policy
forbids; this page needs none: each operation with its summary, parameters, request body and
responses, and a link to the spec itself (/api/v1/openapi.json) for tools.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template_string

blueprint = Blueprint("api_docs_page", __name__)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ info.title }} {{ info.version }}</title>
  <link rel="stylesheet" href="{{ url_for('static', filename='style.css') }}">
</head>
<body>
<main id="main">
  <h1>{{ info.title }} {{ info.version }}</h1>
  <p>{{ info.description }}</p>
  <p>Machine-readable: <a href="{{ spec_url }}">{{ spec_url }}</a> (OpenAPI {{ openapi }}).</p>
  <nav aria-label="Areas"><ul>
  {% for tag in tags %}
    <li><a href="#tag-{{ tag.name }}">{{ tag.name }}</a>: {{ tag.description }}</li>
  {% endfor %}
  </ul></nav>
  {% for tag in tags %}
  <section aria-labelledby="tag-{{ tag.name }}">
    <h2 id="tag-{{ tag.name }}">{{ tag.name }}</h2>
    {% for op in operations if op.tag == tag.name %}
    <article id="{{ op.id }}">
      <h3><code>{{ op.method }} {{ op.path }}</code></h3>
      {% if op.summary %}<p><strong>{{ op.summary }}</strong></p>{% endif %}
      {% if op.description %}<p>{{ op.description }}</p>{% endif %}
      {% if op.parameters %}
      <table>
        <caption>Parameters</caption>
        <thead><tr>
          <th scope="col">name</th><th scope="col">in</th>
          <th scope="col">required</th><th scope="col">description</th>
        </tr></thead>
        <tbody>
        {% for p in op.parameters %}<tr>
          <td><code>{{ p.name }}</code></td><td>{{ p["in"] }}</td>
          <td>{{ "yes" if p.required else "no" }}</td><td>{{ p.description or "" }}</td>
        </tr>{% endfor %}
        </tbody>
      </table>
      {% endif %}
      {% if op.body %}<p>Request body:
        {% for type, schema in op.body %}<code>{{ type }}</code> {{ schema }}
        {%- if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
      <p>Responses:
        {% for status, text in op.responses %}<code>{{ status }}</code> {{ text }}
        {%- if not loop.last %}; {% endif %}{% endfor %}</p>
    </article>
    {% endfor %}
  </section>
  {% endfor %}
</main>
</body>
</html>
"""


def _schema_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return f"[{name}]" if "items" in schema else name
    return str(schema.get("type", "object"))


def _response_text(response: dict[str, Any]) -> str:
    if "$ref" in response:
        return str(response["$ref"]).rsplit("/", 1)[-1].replace("_", " ").lower()
    return str(response.get("description", ""))


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the spec, in the order of its paths."""
    found = []
    for path, methods in spec.get("paths", {}).items():
        shared = methods.get("parameters", [])
        for method, operation in methods.items():
            if method == "parameters":
                continue
            content = operation.get("requestBody", {}).get("content", {})
            found.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "tag": (operation.get("tags") or ["other"])[0],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": shared + operation.get("parameters", []),
                    "body": [(t, _schema_name(c.get("schema", {}))) for t, c in content.items()],
                    "responses": [
                        (status, _response_text(response))
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return found


@blueprint.get("/")
@blueprint.get("/docs")
def page() -> str:
    """The operations of the API as a plain page (no script)."""
    spec = current_app.extensions["qualizyklus-api"].spec.to_dict()
    return render_template_string(
        PAGE,
        info=spec["info"],
        openapi=spec["openapi"],
        tags=spec.get("tags", []),
        operations=operations(spec),
        spec_url="/api/v1/openapi.json",
    )
