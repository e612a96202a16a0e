from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yingshang.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from . import calendar, signals  # noqa: F401  (login audit, calendar loader)

        calendar.install()
        from . import hooks, notifications

        # Deliveries that failed are retried with back-off; yesterday's held messages become each digest.
        hooks.register_sweep("notifications", lambda: {**notifications.deliver(), "digests": notifications.digest()})
