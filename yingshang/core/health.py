"""Readiness checks behind /readyz."""

import logging

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from .selectors import calendar_status

logger = logging.getLogger(__name__)


def readiness() -> tuple[bool, dict]:
    checks: dict[str, dict] = {}
    warnings: list[str] = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception:  # any database failure means not ready; its text (hosts, users) is for the logs only
        logger.exception("readyz: the database is unreachable")
        checks["database"] = {"ok": False, "detail": _("database unreachable")}
        return False, {"status": "not ready", "checks": checks, "warnings": warnings}
    from django.conf import settings

    from .checks import cache_is_shared

    shared = cache_is_shared()
    checks["cache"] = {"ok": shared or settings.SINGLE_SERVER, "shared": shared}
    if not checks["cache"]["ok"]:
        checks["cache"]["detail"] = _("several servers need a shared cache (REDIS_URL)")
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    checks["migrations"] = {"ok": not pending, "pending": [f"{m.app_label}.{m.name}" for m, _b in pending]}
    status = calendar_status()
    checks["calendar"] = {"ok": status.current_covered, "year": status.current_year,
                          "covered_years": [status.covered_years[0], status.covered_years[-1]]
                          if status.covered_years else []}
    if not status.current_covered:
        checks["calendar"]["detail"] = _("No official working calendar for %(year)s.") % {"year": status.current_year}
    if not status.next_covered:
        warnings.append(_("No official working calendar for %(year)s yet: import the State Council notice "
                          "when it is published.") % {"year": status.current_year + 1})
    ok = all(c["ok"] for c in checks.values())
    return ok, {"status": "ready" if ok else "not ready", "checks": checks, "warnings": warnings}
