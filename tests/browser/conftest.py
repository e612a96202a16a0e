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
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def demo_world(transactional_db, settings):
    """The demo world in the live server's database (re-created for each test: the live server's
    tests empty the database afterwards, groups and calendar included)."""
    from yingshang.core import roles, services
    from yingshang.demo import world

    settings.DEBUG = True  # demo passwords
    roles.ensure_groups()
    services.calendar_seed_from_package()
    world.load(history=False)
    settings.DEBUG = False
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
