from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "yingshang.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from yingshang.core import hooks, jobs, navigation, roles

        from . import actions, permissions, services  # noqa: F401  (the action table registers the rules)

        navigation.register(navigation.NavItem(key="home", label=_("Home"), url_name="home", icon="bi-house",
                                               order=0))
        navigation.register(navigation.NavItem(key="cockpit", label=_("Cockpit"), url_name="dashboard:cockpit",
                                               icon="bi-speedometer2", order=2,
                                               roles=frozenset({roles.LEADER, roles.SUPERVISOR, roles.ADMIN})))
        hooks.register_sweep("cockpit", services.cockpit_sweep)
        jobs.register(services.REPORT_JOB, services.report_job, max_attempts=3, label=_("Write a cockpit report"))
