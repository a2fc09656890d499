"""An advisor reads a refused client's first screen in a real browser (issue 9): the decision,
the gauge on its fixed scale, the client facts that raised and lowered the risk, each once; the
sections open on demand and draw their charts then; the model's page; both languages, a phone's
width, axe-core, and the screenshots of docs/screenshots/ (client-scored-*, client-explained-*,
client-scored-360-*, model-*)."""

from __future__ import annotations

import pytest

from scoring.models import Score
from tests.browser.test_client_scoring import wait_for_chart
from tests.browser.test_dashboard import axe_violations
from tests.browser.values import figures_split_across_lines
from tests.dashboard import scored

pytestmark = pytest.mark.browser

portfolio_clients = scored.portfolio_clients

# The first screen of a laptop (the browser tests' viewport is 1280 x 900).
FIRST_SCREEN = 900


@pytest.fixture
def refused_client(portfolio_clients, score_now, advisor):
    """The first synthetic client of `advisor` the model refuses (scored on the way)."""
    for application in portfolio_clients:
        score = score_now(application, requested_by=advisor, channel=Score.Channel.DASHBOARD)
        if score.decision == "refused":
            return application
    pytest.fail("the session's model refuses none of the 12 synthetic clients")


def bottom_of(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not displayed"
    return box["y"] + box["height"]


def texts_outside_their_chart(page, chart_id: str) -> list[str]:
    """The texts of a drawn chart that stick out of its box (a label cut by the edge)."""
    return page.evaluate(
        """(id) => {
            const box = document.getElementById(id).getBoundingClientRect();
            return Array.from(document.querySelectorAll(`#${id} svg text`))
                .filter((t) => t.textContent.trim())
                .filter((t) => {
                    const r = t.getBoundingClientRect();
                    return r.left < box.left - 1 || r.right > box.right + 1
                        || r.top < box.top - 1 || r.bottom > box.bottom + 1;
                })
                .map((t) => t.textContent);
        }""",
        chart_id,
    )


def read_first_screen(page, *, refused: str, raises: str, lowers: str, about: str) -> None:
    """The decision, the gauge and the reasons, on the first screen, each fact once."""
    wait_for_chart(page, "decision-gauge")
    outcome = page.get_by_test_id("decision-outcome")
    assert refused in outcome.inner_text()
    why = page.get_by_test_id("why-card")
    assert raises in why.inner_text() and lowers in why.inner_text()
    raising = page.get_by_test_id("reasons-raising").locator("li")
    lowering = page.get_by_test_id("reasons-lowering").locator("li")
    assert raising.count() >= 1  # refused: something raised the risk
    for position in range(raising.count()):
        assert about in raising.nth(position).inner_text()
    for locator in (outcome, page.locator("#decision-gauge"), raising.first):
        assert bottom_of(locator) <= FIRST_SCREEN
    facts_raising = {raising.nth(i).get_attribute("data-fact") for i in range(raising.count())}
    facts_lowering = {lowering.nth(i).get_attribute("data-fact") for i in range(lowering.count())}
    assert not facts_raising & facts_lowering  # one fact, one sign
    assert texts_outside_their_chart(page, "decision-gauge") == []  # "50 %" not clipped
    # Everything else is folded until asked for.
    assert page.locator("details.cs-section[open]").count() == 0
    assert page.locator('#explanation-waterfall[data-drawn="true"]').count() == 0


def open_the_explanation(page) -> list[str]:
    """Open the detailed explanation: the waterfall is drawn then; its facts' labels."""
    page.get_by_test_id("section-explanation").locator(":scope > summary").click()
    wait_for_chart(page, "explanation-waterfall")
    assert texts_outside_their_chart(page, "explanation-waterfall") == []  # wrapped, not cut
    labels = page.locator("#explanation-waterfall .ytick text").all_text_contents()
    assert not any("…" in label for label in labels)
    return labels


def test_an_advisor_reads_a_refused_clients_first_screen_in_both_languages(
    page, new_page, log_in, advisor, refused_client, screenshot, external_requests
):
    log_in(advisor)
    page.goto(f"/clients/{refused_client.pk}/")
    read_first_screen(
        page,
        refused="Refusé par le modèle",
        raises="Ce qui augmente le risque",
        lowers="Ce qui diminue le risque",
        about="environ",
    )
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nclient page height at 1280 px, sections folded: {height} px")
    assert height < 2500  # it was about 5,500 px with everything unfolded
    assert axe_violations(page) == []
    screenshot("client-scored-fr")

    labels = open_the_explanation(page)
    said = page.get_by_test_id("reasons").locator("li[data-fact]").count()
    assert len(labels) >= said + 2  # every reason's fact is drawn, with the start and the end
    page.get_by_test_id("section-population").locator(":scope > summary").click()
    wait_for_chart(page, "population-distribution-chart")
    assert texts_outside_their_chart(page, "population-distribution-chart") == []
    assert axe_violations(page) == []
    screenshot("client-explained-fr")

    with page.expect_navigation():
        page.get_by_test_id("language-en").click()
    read_first_screen(
        page,
        refused="Refused by the model",
        raises="What raises the risk",
        lowers="What lowers the risk",
        about="about",
    )
    assert "points" in page.get_by_test_id("points-note").inner_text()
    assert axe_violations(page) == []
    screenshot("client-scored-en")
    open_the_explanation(page)
    screenshot("client-explained-en")

    # A link into a folded section opens it (the first screen's "Record the decision").
    page.get_by_test_id("record-decision-link").click()
    page.get_by_test_id("decision-form").wait_for(state="visible")
    assert page.get_by_test_id("section-final-decision").get_attribute("open") is not None
    assert external_requests == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_on_a_phone_the_first_screen_reads_without_scrolling_sideways(
    new_page, log_in, advisor, refused_client, screenshot, language
):
    phone = new_page(360, 780)
    log_in(advisor, tab=phone)
    # The language a visitor chose (the navbar's switch, folded in a menu on a phone).
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": phone.url}])
    phone.goto(f"/clients/{refused_client.pk}/")
    assert phone.locator("html").get_attribute("lang") == language
    wait_for_chart(phone, "decision-gauge")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert texts_outside_their_chart(phone, "decision-gauge") == []
    phone.get_by_test_id("section-explanation").locator(":scope > summary").click()
    wait_for_chart(phone, "explanation-waterfall")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert figures_split_across_lines(phone) == []
    screenshot(f"client-scored-360-{language}", tab=phone)


def test_the_model_page_shows_what_drives_the_model_by_client_fact(
    page, log_in, advisor, active_model_version, screenshot, external_requests
):
    log_in(advisor)
    page.get_by_test_id("nav-model").click()
    page.wait_for_url("**/model/")
    wait_for_chart(page, "global-importance")
    assert texts_outside_their_chart(page, "global-importance") == []
    labels = " ".join(page.locator("#global-importance .ytick text").all_text_contents())
    assert "Scores de crédit externes" in labels
    assert "SHAP" not in page.locator("main").inner_text()
    assert axe_violations(page) == []
    screenshot("model-fr")
    with page.expect_navigation():
        page.get_by_test_id("language-en").click()
    wait_for_chart(page, "global-importance")
    assert "What drives the model overall" in page.locator("main").inner_text()
    screenshot("model-en")
    assert external_requests == []
