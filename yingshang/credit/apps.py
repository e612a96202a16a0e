from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "yingshang.credit"
    label = "credit"
    verbose_name = _("Credit")

    def ready(self):
        from yingshang.core import activity, exports, hooks, navigation, roles
        from yingshang.directory import panels

        from . import actions, permissions, selectors, services  # noqa: F401  (the action table registers the rules)
        from .exports import LEDGER

        exports.register(LEDGER)

        activity.register(selectors.activity_source())
        from .views import enterprise_panel_context, panel_visible

        navigation.register(navigation.NavItem(key="credit", label=_("Credit"), url_name="credit:overview",
                                               icon="bi-shield-check", order=30,
                                               roles=roles.STAFF_ROLES))
        navigation.register(navigation.NavItem(key="my-credit", label=_("Our credit"), url_name="credit:mine",
                                               icon="bi-shield-check", order=7, roles=frozenset({roles.ENTERPRISE})))
        panels.register(panels.Panel(key="credit", title=_("Credit"), template="credit/_enterprise_panel.html",
                                     order=20, context=enterprise_panel_context, visible=panel_visible))
        hooks.register_defaults("credit.rules", services.defaults_ensure, order=20)
        hooks.register_sweep("credit", lambda: services.credit_sweep())
        from yingshang.core import jobs

        jobs.register(services.RESCORE_JOB, services.rescore_job, max_attempts=20,
                      label=_("Rescore every firm with the credit rules in force"))
