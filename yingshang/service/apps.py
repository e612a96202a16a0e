from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "yingshang.service"
    label = "service"
    verbose_name = _("Enterprise service")

    def ready(self):
        from yingshang.core import hooks, navigation, roles
        from yingshang.tickets import permissions as ticket_permissions
        from yingshang.tickets import services as ticket_services

        from . import actions, permissions, selectors, services  # noqa: F401  (the action table registers the rules)

        # A steward paired with a firm in a running campaign files the problems its visit collects.
        ticket_permissions.grant_raise(permissions.assigned_firm_ids)
        # A problem handed to a task force carries its limits in hours.
        ticket_services.on_limits(selectors.taskforce_limits)
        hooks.register_sweep("service", lambda: services.applications_sweep())
        navigation.register(navigation.NavItem(key="service", label=_("Enterprise visits"),
                                               url_name="service:campaigns", icon="bi-people", order=22,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR}))
        navigation.register(navigation.NavItem(key="policies", label=_("Policies for firms"),
                                               url_name="service:policies", icon="bi-gift", order=23,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR}))
        navigation.register(navigation.NavItem(key="financing", label=_("Bank–enterprise financing"),
                                               url_name="service:needs", icon="bi-bank", order=24,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR} | {roles.BANK}))
        navigation.register(navigation.NavItem(key="taskforces", label=_("Task forces"),
                                               url_name="service:taskforces", icon="bi-shield-check", order=25,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR}))
        navigation.register(navigation.NavItem(key="my-financing", label=_("Financing"),
                                               url_name="service:needs", icon="bi-bank", order=7,
                                               roles=frozenset({roles.ENTERPRISE})))
        navigation.register(navigation.NavItem(key="for-you", label=_("Policies for you"),
                                               url_name="service:for_you", icon="bi-gift", order=6,
                                               roles=frozenset({roles.ENTERPRISE})))
