from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True  # this module also holds the lockout app's config
    name = "yingshang.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from django.conf import settings
        from django.urls import register_converter

        from yingshang import __version__

        from . import logs

        logs.init_error_reporting(settings.SENTRY_DSN, release=__version__)

        from . import checks, converters  # noqa: F401 (registers the checks)

        register_converter(converters.IdConverter, "id")  # <id:pk>: ASCII digits that fit an id
        register_converter(converters.CodeConverter, "code")
        from . import calendar, signals  # noqa: F401  (login audit, calendar loader)

        calendar.install()
        from django.db.models.signals import post_migrate

        from . import activity, hooks, notifications, roles, services

        activity.register(activity.audit_source())
        from . import navigation

        navigation.register(navigation.NavItem(key="audit", label=_("Audit trail"), url_name="audit",
                                               icon="bi-shield-check", order=90,
                                               roles=frozenset({roles.SUPERVISOR, roles.ADMIN})))
        navigation.register(navigation.NavItem(key="exports", label=_("My exports"), url_name="exports",
                                               icon="bi-download", order=93, visible=roles.is_staff_member))
        navigation.register(navigation.NavItem(key="jobs", label=_("Background jobs"), url_name="jobs",
                                               icon="bi-arrow-repeat", order=94, roles=frozenset({roles.ADMIN})))
        navigation.register(navigation.NavItem(key="admin", label=_("Administration"), url_name="admin:index",
                                               icon="bi-gear", order=95, roles=frozenset({roles.ADMIN}),
                                               visible=lambda user: user.is_staff))

        hooks.register_defaults("core.roles", roles.ensure_groups, order=0)
        hooks.register_defaults("core.calendar", lambda: len(services.calendar_seed_from_package()), order=1)
        post_migrate.connect(_seed_after_migrate, sender=self, dispatch_uid="yingshang.seed_reference_data")

        # Deliveries that failed are retried with back-off; yesterday's held messages become each digest.
        hooks.register_sweep("notifications", lambda: {**notifications.deliver(), "digests": notifications.digest()})
        from . import jobs

        jobs.register(notifications.DELIVER_JOB, notifications.deliver_job, max_attempts=3,
                      label=_("Send a message by e-mail, SMS or a group robot"))
        hooks.register_sweep("jobs", jobs.sweep)
        from . import exports

        jobs.register(exports.JOB, exports.run_job, max_attempts=3, label=_("Write a large ledger to a file"))
        from . import sweeps

        jobs.register(sweeps.JOB, sweeps.run_job, max_attempts=4, label=_("Run a periodic sweep"))


def _seed_after_migrate(sender, using="default", plan=None, **kwargs):
    """After ``migrate``: every app's reference data where missing. (A test builds the world it needs: test
    databases are left as their migrations make them.)"""
    from django.conf import settings

    from . import hooks

    if using == "default" and not settings.TESTING:
        hooks.seed_reference_data()


class LockoutsConfig(AxesConfig):
    """The failed log-ins and lockouts (``AXES_*`` settings), under a name officials read in the admin."""

    default = False
    verbose_name = _("Log-in lockouts")

