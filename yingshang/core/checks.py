"""System checks of the platform's own (``manage.py check --deploy`` runs the deployment ones)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


def cache_is_shared() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


@register(Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs):
    """Several servers or workers keep roles, preferences and statistics in one cache: a cache of each
    process's own would serve one server's stale roles after another changed them."""
    if settings.DEBUG or settings.SINGLE_SERVER or cache_is_shared():
        return []
    return [Error("Production needs a shared cache: set REDIS_URL (or SINGLE_SERVER=1 for one server with one "
                  "worker process).", id="yingshang.E001")]
