"""Browser suite fixtures: one live site per test session, Debian's Chromium driven by Playwright's sync API.

Every test here is marked `browser` (`make test-browser` runs only these). The server is another process
(see site.py), so nothing here touches the ORM: what the tests know, they learn through the browser, the
mail folder, or `LiveSite.run_python`.
"""

import os
import shutil
from pathlib import Path

import pytest

from .checks import HtmlStore
from .pages import DEMO_PASSWORD, PERSONAS
from .site import LiveSite

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def _require(tool_ok: bool, what: str) -> None:
    if tool_ok:
        return
    message = f"{what} is needed for the browser suite (.ci/run installs it; see README)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    _require(Path(CHROMIUM).exists(), "Chromium (apt-get install chromium)")
    _require(bool(shutil.which("java")), "Java 17+")
    site = LiveSite(tmp_path_factory.mktemp("site"))
    site.prepare(suffix=os.environ.get("PYTEST_XDIST_WORKER", ""))
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def ids(live_site) -> dict:
    return live_site.ids


@pytest.fixture(scope="session")
def chromium(live_site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in(page, site: LiveSite, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(site.url("/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture(scope="session")
def persona_states(chromium, live_site, tmp_path_factory) -> dict:
    """Each demo persona logs in once through the login form; later pages reuse the session cookie."""
    folder = tmp_path_factory.mktemp("states")
    states = {}
    for persona, email in PERSONAS.items():
        context = chromium.new_context()
        context.set_default_timeout(10_000)
        page = context.new_page()
        log_in(page, live_site, email)
        states[persona] = str(folder / f"{persona}.json")
        context.storage_state(path=states[persona])
        context.close()
    return states


@pytest.fixture
def open_page(chromium, live_site, persona_states):
    """open_page(persona=None, width=1280) -> a fresh page in its own browser context, logged in as persona."""
    contexts = []

    def open_(persona: str | None = None, *, width: int = 1280, height: int = 900):
        state = persona_states.get(persona) if persona else None
        context = chromium.new_context(
            base_url=live_site.base_url, storage_state=state, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: pytest.fail(f"JavaScript error on {page.url}: {error}"))
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def html_store(tmp_path) -> HtmlStore:
    return HtmlStore(tmp_path / "html")
