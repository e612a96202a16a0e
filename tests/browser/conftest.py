"""Browser tests: Playwright driving Debian's Chromium against the live server."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_PASSWORD = "yingshang-demo"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make provision` (or apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Whether the demo world is in the test database (loaded once for all browser tests)."""
    return {"loaded": False}


@pytest.fixture
def demo_world(_demo_loaded, django_db_blocker):
    """The demo world in the live server's database, loaded once and shared by the browser tests (each leaves
    its own changes behind, as users of one zone would). It is loaded again only if a test emptied the
    database since."""
    from django.conf import settings

    from yingshang.core.models import User
    from yingshang.demo import world

    with django_db_blocker.unblock():
        if not User.objects.filter(username="leader").exists():
            debug, settings.DEBUG = settings.DEBUG, True  # demo passwords
            try:
                world.load(history=False)
            finally:
                settings.DEBUG = debug
    return world


@pytest.fixture
def new_page(browser, live_server, demo_world):
    contexts = []

    def _new(viewport=None, locale="zh-CN"):
        ctx = browser.new_context(base_url=live_server.url, viewport=viewport or {"width": 1366, "height": 860},
                                  locale=locale)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield _new
    for ctx in contexts:
        ctx.close()


def login(page, username, password=DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
