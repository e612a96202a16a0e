from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainConfig(AppConfig):
    name = "yingshang.chain"
    label = "chain"
    verbose_name = _("Industrial chains and investment")

    def ready(self):
        from yingshang.core import navigation, roles
        from yingshang.directory import panels

        from . import actions, permissions  # noqa: F401  (the action table registers the rules)
        from .views import enterprise_panel_context, panel_visible

        navigation.register(navigation.NavItem(key="chain", label=_("Industrial chains"), url_name="chain:chains",
                                               icon="bi-diagram-3", order=31,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR}))
        navigation.register(navigation.NavItem(key="recruiting", label=_("Investment recruiting"),
                                               url_name="chain:board", icon="bi-bullseye", order=32,
                                               roles=roles.STAFF_ROLES - {roles.INSPECTOR}))
        navigation.register(navigation.NavItem(key="my-chain", label=_("Our place on the chain"),
                                               url_name="chain:mine", icon="bi-diagram-3", order=9,
                                               roles=frozenset({roles.ENTERPRISE})))
        panels.register(panels.Panel(key="chain", title=_("Industrial chain"), order=16,
                                     template="chain/_enterprise_panel.html", context=enterprise_panel_context,
                                     visible=panel_visible))
