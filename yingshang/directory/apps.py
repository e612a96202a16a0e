from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "yingshang.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from yingshang.core import exports, hooks, navigation, roles

        from . import permissions, selectors  # noqa: F401  (registers the rules)
        from .exports import LEDGER

        hooks.register_contacts(selectors.phones_of)
        exports.register(LEDGER)

        navigation.register(navigation.NavItem(
            key="enterprises", label=_("Enterprises"), url_name="directory:enterprises", icon="bi-buildings",
            order=20))
        navigation.register(navigation.NavItem(
            key="departments", label=_("Departments"), url_name="directory:departments", icon="bi-diagram-3",
            order=80, roles=roles.STAFF_ROLES))
