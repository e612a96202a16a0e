from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "yingshang.catalog"
    label = "catalog"
    verbose_name = _("Government services")

    def ready(self):
        from yingshang.core import hooks, navigation

        from . import actions, permissions, services  # noqa: F401  (the action table registers the rules)

        navigation.register(navigation.NavItem(key="guide", label=_("Service guide"), url_name="portal:guide",
                                               icon="bi-journal-text", order=85))
        hooks.register_defaults("catalog.item_types", services.item_types_ensure_defaults, order=30)
