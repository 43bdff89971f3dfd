"""The accessibility check itself: axe-core runs in the page (under its CSP) and reports."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import assert_accessible, axe

pytestmark = pytest.mark.shared_server  # read only: one server for the module


def test_axe_runs_under_the_pages_csp_and_reports_a_critical_violation(page: Page) -> None:
    response = page.goto("/login")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        """() => {
          const image = document.createElement("img");
          image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
          document.querySelector("main").append(image);
        }"""
    )

    found = {violation["id"]: violation for violation in axe(page)}

    assert found["image-alt"]["impact"] == "critical"
    assert found["image-alt"]["targets"] == ["img"]
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)[^\n]*\n +img$"):
        assert_accessible(page)
