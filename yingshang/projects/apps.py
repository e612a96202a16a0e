from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "yingshang.projects"
    label = "projects"
    verbose_name = _("Major projects")

    def ready(self):
        from yingshang.core import activity, hooks, navigation, roles
        from yingshang.directory import panels

        from . import actions, permissions, selectors, services  # noqa: F401  (the action table registers the rules)

        activity.register(selectors.activity_source())
        from .views import enterprise_panel_context

        navigation.register(navigation.NavItem(key="projects", label=_("Battle map"), url_name="projects:map",
                                               icon="bi-map", order=30,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR}))
        navigation.register(navigation.NavItem(key="my-projects", label=_("Our projects"), url_name="projects:map",
                                               icon="bi-building-gear", order=8,
                                               roles=frozenset({roles.ENTERPRISE})))
        panels.register(panels.Panel(key="projects", title=_("Projects"), order=15,
                                     template="projects/_enterprise_panel.html", context=enterprise_panel_context))
        hooks.register_defaults("projects.templates", services.templates_ensure_defaults, order=40)
        hooks.register_sweep("projects", lambda: services.projects_sweep())
        from yingshang.tickets import services as tickets_services

        tickets_services.on_project_ref(services.project_ref_error)
        from yingshang.catalog import hooks as catalog_hooks

        catalog_hooks.on_application("projects.step:", services.on_application)
