from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "yingshang.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from yingshang.core import activity, hooks, navigation, roles
        from yingshang.directory import panels

        from . import actions, permissions, selectors, services  # noqa: F401  (the action table registers the rules)

        for source in selectors.activity_sources():
            activity.register(source)
        from .views import enterprise_panel_context

        navigation.register(navigation.NavItem(key="inspections", label=_("Random inspections"),
                                               url_name="inspections:plans", icon="bi-shuffle", order=35,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR}))
        navigation.register(navigation.NavItem(key="campaigns", label=_("Safety campaigns"),
                                               url_name="inspections:campaigns", icon="bi-cone-striped", order=36,
                                               roles=frozenset({roles.HANDLER, roles.DEPT_HEAD, roles.LEADER,
                                                                roles.SUPERVISOR, roles.ADMIN, roles.INSPECTOR})))
        navigation.register(navigation.NavItem(key="my-inspections", label=_("My inspections"),
                                               url_name="inspections:mine", icon="bi-clipboard-check", order=9,
                                               roles=frozenset({roles.INSPECTOR})))
        panels.register(panels.Panel(key="inspections", title=_("Inspections"), order=30,
                                     template="inspections/_enterprise_panel.html", context=enterprise_panel_context))
        hooks.register_sweep("inspections", lambda: services.inspections_sweep())
