"""The cockpit's actions and events (see ``core.actions``): reports written on demand, subscriptions to the
monthly report and the weekly brief. The reports the platform writes on schedule have the same event with
no actor."""

from django.utils.translation import gettext_lazy as _

from yingshang.core.actions import STAFF, Action, EventType, domain

from . import permissions as P
from .models import Event, Report


def _link(obj):
    from django.urls import reverse

    return reverse("dashboard:reports")


def _context(obj):
    return {"title": obj.title} if isinstance(obj, Report) else {"kind": obj.get_kind_display()}


dashboard = domain("dashboard", subject="report", link=_link, context=_context,
                   group_key=lambda obj: f"dashboard.{type(obj).__name__.lower()}:{obj.pk}")
dashboard.event_model = Event

SERVICES = "yingshang.dashboard.services."
dashboard.action(Action("write_report", _("Write the report"), SERVICES + "report_write", who=P.may_read,
                        event="dashboard.report.written"))
dashboard.action(Action("subscribe", _("Receive it"), SERVICES + "subscription_start", who=P.may_read,
                        event="dashboard.subscription.started", subject="kind"))
dashboard.action(Action("unsubscribe", _("Stop receiving it"), SERVICES + "subscription_end",
                        who=P.may_read & P.subscribes, event="dashboard.subscription.ended", subject="subscription",
                        style="outline-secondary"))

E = dashboard.event
E(EventType("dashboard.report.requested", _("report asked for"), audience=STAFF))
E(EventType("dashboard.report.written", _("report written"), audience=STAFF))
E(EventType("dashboard.subscription.started", _("subscribed to a report"), audience=STAFF))
E(EventType("dashboard.subscription.ended", _("subscription ended"), audience=STAFF))
