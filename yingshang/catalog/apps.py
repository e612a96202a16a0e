from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "yingshang.catalog"
    label = "catalog"
    verbose_name = _("Government services")

    def ready(self):
        from yingshang.core import activity, hooks, navigation, roles

        from . import actions, permissions, selectors, services  # noqa: F401  (the action table registers the rules)

        activity.register(selectors.activity_source())
        navigation.register(navigation.NavItem(key="guide", label=_("Service guide"), url_name="portal:guide",
                                               icon="bi-journal-text", order=85))
        navigation.register(navigation.NavItem(key="my-applications", label=_("My applications"),
                                               url_name="catalog:mine", icon="bi-file-earmark-check", order=6,
                                               roles=frozenset({roles.ENTERPRISE})))
        navigation.register(navigation.NavItem(key="applications", label=_("Applications"), url_name="catalog:inbox",
                                               icon="bi-file-earmark-check", order=25,
                                               roles=frozenset({roles.HANDLER, roles.DEPT_HEAD, roles.LEADER,
                                                                roles.SUPERVISOR, roles.ADMIN})))
        hooks.register_defaults("catalog.item_types", services.item_types_ensure_defaults, order=30)
        hooks.register_sweep("catalog", lambda: services.catalog_sweep())
