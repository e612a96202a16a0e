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
def _demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Whether the demo world is in the test database (loaded once for all browser tests); on PostgreSQL, a
    copy of its tables and of the files it wrote, to put back after a test emptied the database."""
    return {"loaded": False, "media": tmp_path_factory.mktemp("demo-media")}


@pytest.fixture
def demo_world(_demo_loaded, django_db_blocker):
    """The demo world in the live server's database, loaded once and shared by the browser tests (each leaves
    its own changes behind, as users of one zone would). It is loaded again only if a test emptied the
    database since — on PostgreSQL from a copy of its tables taken after the first load (a second or two
    instead of building it again), its files copied into the test's folder of uploads."""
    from django.conf import settings
    from django.db import connection

    from yingshang.core.models import User
    from yingshang.demo import world

    with django_db_blocker.unblock():
        if not User.objects.filter(username="leader").exists():
            if _demo_loaded.get("tables"):
                _restore(connection, _demo_loaded["tables"])
                # each test has a folder of its own for uploads (conftest.py): the demo's files go there too
                shutil.copytree(_demo_loaded["media"], settings.MEDIA_ROOT, dirs_exist_ok=True)
            else:
                debug, settings.DEBUG = settings.DEBUG, True  # demo passwords
                try:
                    world.load(history=False)
                finally:
                    settings.DEBUG = debug
                if connection.vendor == "postgresql":
                    _demo_loaded["tables"] = _copy(connection)
                    if Path(settings.MEDIA_ROOT).is_dir():
                        shutil.copytree(settings.MEDIA_ROOT, _demo_loaded["media"], dirs_exist_ok=True)
    return world


def _copy(connection) -> dict[str, bytes]:
    """Every table's rows in PostgreSQL's binary COPY format."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                tables[table] = b"".join(bytes(block) for block in copy)
    return tables


def _restore(connection, tables: dict[str, bytes]) -> None:
    """The copied rows back into the emptied tables (foreign keys are checked at the commit), the sequences
    after them, and no cached value of the emptied database left behind."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.core.management.color import no_style
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        for table, data in tables.items():
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                copy.write(data)
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)
    cache.clear()
    ContentType.objects.clear_cache()


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
