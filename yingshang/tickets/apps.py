from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "yingshang.tickets"
    label = "tickets"
    verbose_name = _("Problem ledger")

    def ready(self):
        from yingshang.core import activity, hooks, navigation, roles
        from yingshang.directory import panels

        from . import actions, permissions, selectors, services  # noqa: F401  (the action table registers the rules)
        from .views import enterprise_panel_context

        navigation.register(navigation.NavItem(key="raise", label=_("Raise a problem"), url_name="tickets:new",
                                               icon="bi-plus-circle", order=5,
                                               roles=frozenset({roles.ENTERPRISE, roles.STEWARD})))
        navigation.register(navigation.NavItem(key="mine", label=_("My problems"), url_name="tickets:mine",
                                               icon="bi-chat-square-text", order=6,
                                               roles=frozenset({roles.ENTERPRISE})))
        navigation.register(navigation.NavItem(key="inbox", label=_("Department inbox"), url_name="tickets:inbox",
                                               icon="bi-inbox", order=8,
                                               roles=frozenset({roles.HANDLER, roles.DEPT_HEAD})))
        navigation.register(navigation.NavItem(key="ledger", label=_("Problem ledger"), url_name="tickets:ledger",
                                               icon="bi-journal-text", order=10,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR}))
        navigation.register(navigation.NavItem(key="board", label=_("Supervision board"), url_name="tickets:board",
                                               icon="bi-flag", order=12,
                                               roles=frozenset({roles.LEADER, roles.SUPERVISOR, roles.DISPATCHER,
                                                                roles.ADMIN})))
        navigation.register(navigation.NavItem(key="stats", label=_("Statistics"), url_name="tickets:statistics",
                                               icon="bi-bar-chart-line", order=14,
                                               roles=frozenset({roles.DISPATCHER, roles.DEPT_HEAD, roles.LEADER,
                                                                roles.SUPERVISOR, roles.ADMIN})))
        panels.register(panels.Panel(key="tickets", title=_("Problems raised"),
                                     template="tickets/_enterprise_panel.html", order=10,
                                     context=enterprise_panel_context))
        activity.register(selectors.activity_source())
        hooks.register_defaults("tickets.categories", services.categories_ensure_defaults, order=30)
        hooks.register_sweep("tickets", lambda: services.tickets_sweep())
        from yingshang.core import exports

        from .exports import LEDGER

        exports.register(LEDGER)
        hooks.register_sweep("tickets-statistics", lambda: services.statistics_refresh())
        hooks.on_calendar_changed(lambda years: services.dues_recompute_provisional(years))
