from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "yingshang.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from yingshang.core import navigation

        navigation.register(navigation.NavItem(key="home", label=_("Home"), url_name="home", icon="bi-house",
                                               order=0))
