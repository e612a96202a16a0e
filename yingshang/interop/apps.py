from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "yingshang.interop"
    label = "interop"
    verbose_name = _("Integrations")

    def ready(self):
        from yingshang.core import events, hooks, jobs

        from . import hotline

        events.listen("tickets.ticket.", hotline.on_ticket_event)
        jobs.register(hotline.PUSH_JOB, hotline.push, max_attempts=10, label=_("Push an answer back to the 12345 hotline"))
        hooks.register_sweep("hotline", hotline.reconcile_sweep)
