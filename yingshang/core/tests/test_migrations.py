"""The migrations describe the models: a changed label or choice that was not migrated is caught here, not on
the next developer's machine."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_left_without_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"models and migrations differ (exit {exc.code}):\n{out.getvalue()}")
