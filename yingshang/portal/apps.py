from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "yingshang.portal"
    label = "portal"
    verbose_name = _("Public pages")

    def ready(self):
        from yingshang.core import hooks

        from . import services

        hooks.register_sweep("opendata", services.datasets_refresh)
