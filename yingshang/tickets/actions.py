"""The problem ledger's actions and events: the one table the pages, the API, the timeline, the
notifications and the tests read (see ``core.actions``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingshang.core.actions import ESCALATION, FIRM, STAFF, WORK, Action, EventType, Field, domain

from . import audiences
from . import permissions as P
from .models import OPEN, Ticket, TicketEvent

S = Ticket.Status
SERVICES = "yingshang.tickets.services."


def _handling_departments():
    from yingshang.directory.models import Department

    return Department.objects.filter(active=True).exclude(kind=Department.Kind.CENTRE)


def _link(t):
    from django.urls import reverse

    return reverse("tickets:detail", args=[t.pk])


tickets = domain(
    "tickets", subject="ticket", link=_link, group_key=lambda t: f"tickets.ticket:{t.pk}",
    context=lambda t: {"number": t.number, "title": t.title, "firm": lambda: t.enterprise.name},
    audiences={
        "firm": audiences.firm, "steward": audiences.steward, "lead_department": audiences.lead_department,
        "co_departments": audiences.co_departments, "lead_head": audiences.lead_head,
        "dispatchers": audiences.dispatchers, "leader": audiences.leader, "requester": audiences.requester,
        "callback_taker": audiences.callback_taker,
    })
tickets.event_model = TicketEvent

# --- the fields actions ask for; each free-text field says who will read it --------------------------

LEAD = Field("lead_department", "department", _("Lead department"), queryset=_handling_departments)
CO = Field("co_departments", "departments", _("Co-handling departments"), required=False,
           queryset=_handling_departments)
STAFF_NOTE = Field("note", "text", _("Note for officials (the firm does not see it)"), required=False, audience=STAFF)
FILES = Field("attachments", "files", _("Attachments"), required=False)
RATING = Field("rating", "choice", _("Rating"), choices=Ticket.Rating)

# --- actions ----------------------------------------------------------------------------------------

tickets.action(Action(
    "dispatch", _("Dispatch"), SERVICES + "ticket_dispatch", who=P.is_dispatcher, event="tickets.ticket.dispatched",
    sources=frozenset({S.REGISTERED}), target=S.DISPATCHED,
    fields=(LEAD, CO, Field("note", "text", _("Instruction to the departments (the firm does not see it)"),
                            required=False, audience=STAFF))))
tickets.action(Action(
    "redispatch", _("Re-dispatch to another department"), SERVICES + "ticket_redispatch", who=P.is_dispatcher,
    event="tickets.ticket.redispatched", sources=frozenset({S.DISPATCHED, S.IN_PROGRESS}), target=S.DISPATCHED,
    style="outline-primary",
    fields=(LEAD, CO, Field("reason", "text", _("Why it moves (officials read it; the firm does not)"),
                            audience=STAFF))))
tickets.action(Action(
    "accept", _("Accept"), SERVICES + "ticket_accept", who=P.lead_worker, event="tickets.ticket.accepted",
    sources=frozenset({S.DISPATCHED}), target=S.IN_PROGRESS, fields=(STAFF_NOTE,)))
tickets.action(Action(
    "return", _("Return to the dispatcher"), SERVICES + "ticket_return", who=P.lead_worker,
    event="tickets.ticket.returned", sources=frozenset({S.DISPATCHED}), target=S.REGISTERED, style="outline-danger",
    fields=(Field("reason", "text", _("Why it is not this department's matter (the dispatcher reads it; the firm "
                                      "does not)"), audience=STAFF),)))
tickets.action(Action(
    "respond", _("Reply"), SERVICES + "ticket_respond", who=P.case_worker, event="tickets.ticket.responded",
    sources=frozenset({S.IN_PROGRESS}),
    fields=(Field("note", "text", _("Progress reply (the firm reads it)"), max_length=5000, audience=FIRM), FILES)))
tickets.action(Action(
    "suspend", _("Suspend: waiting for the firm"), SERVICES + "ticket_suspend", who=P.lead_worker,
    event="tickets.ticket.suspended", sources=frozenset({S.IN_PROGRESS}), target=S.SUSPENDED,
    style="outline-secondary",
    fields=(Field("reason", "text", _("What the department needs from the firm (the firm reads it)"),
                  audience=FIRM),)))
tickets.action(Action(
    "resume", _("Resume"), SERVICES + "ticket_resume", who=P.lead_worker | P.is_firm_member,
    event="tickets.ticket.resumed", sources=frozenset({S.SUSPENDED}), target=S.IN_PROGRESS,
    fields=(Field("note", "text", _("Note (the firm and the department read it)"), required=False,
                  audience=FIRM),)))
tickets.action(Action(
    "request_extension", _("Request an extension"), SERVICES + "extension_request", who=P.lead_worker,
    event="tickets.ticket.extension_requested", sources=frozenset({S.IN_PROGRESS, S.SUSPENDED}),
    when=lambda t, user: not audiences.pending_extension(t), style="outline-warning",
    fields=(Field("workdays", "int", _("Extra working days"), min_value=1, max_value=60),
            Field("reason", "text", _("Reason (officials read it; the firm does not)"), audience=STAFF))))
tickets.action(Action(
    "decide_extension", _("Decide the extension"), SERVICES + "extension_decide", who=P.may_decide_extension,
    event="tickets.ticket.extension_approved",
    events=("tickets.ticket.extension_approved", "tickets.ticket.extension_rejected"),
    sources=frozenset({S.IN_PROGRESS, S.SUSPENDED}), when=lambda t, user: audiences.pending_extension(t) is not None,
    style="warning",
    fields=(Field("approve", "yesno", _("Decision"), choices=[("yes", _("approve")), ("no", _("reject"))]),
            STAFF_NOTE)))
tickets.action(Action(
    "resolve", _("Resolve"), SERVICES + "ticket_resolve", who=P.lead_worker, event="tickets.ticket.resolved",
    sources=frozenset({S.IN_PROGRESS}), target=S.RESOLVED, style="success",
    fields=(Field("outcome", "choice", _("Outcome"), choices=Ticket.Outcome),
            Field("answer", "text", _("Answer to the firm (the firm reads it)"), max_length=5000, audience=FIRM),
            FILES)))
tickets.action(Action(
    "confirm", _("Confirm and rate"), SERVICES + "ticket_confirm", who=P.is_firm_member,
    event="tickets.ticket.confirmed", events=("tickets.ticket.confirmed", "tickets.ticket.reopened"),
    sources=frozenset({S.RESOLVED}), target=S.CLOSED, style="success",
    fields=(Field("rating", "choice", _("Your rating"), choices=Ticket.Rating),
            Field("comment", "text", _("Comment (the department reads it)"), required=False, audience=FIRM))))
tickets.action(Action(
    "callback", _("Record the call-back"), SERVICES + "callback_record", who=P.may_call_back,
    event="tickets.ticket.called_back", events=("tickets.ticket.called_back", "tickets.ticket.reopened"),
    sources=frozenset({S.RESOLVED}), target=S.CLOSED, style="success", when=lambda t, user: audiences.callback_open(t),
    fields=(RATING, Field("comment", "text", _("What the firm said on the phone (the firm and the department "
                                               "read it)"), audience=FIRM))))
tickets.action(Action(
    "withdraw", _("Withdraw"), SERVICES + "ticket_withdraw", who=P.is_firm_member | P.is_ticket_steward,
    event="tickets.ticket.withdrawn", sources=OPEN, target=S.WITHDRAWN, style="outline-danger",
    fields=(Field("reason", "text", _("Why the problem is withdrawn (the department reads it)"), audience=FIRM),)))
tickets.action(Action(
    "merge", _("Merge into another problem"), SERVICES + "ticket_merge", who=P.is_dispatcher,
    event="tickets.ticket.merged", sources=OPEN, target=S.MERGED, style="outline-secondary",
    fields=(Field("into", "line", _("Merge into problem number"), max_length=20), STAFF_NOTE)))
tickets.action(Action(
    "take_charge", _("Take personal charge"), SERVICES + "ticket_take_charge", who=P.is_leader,
    event="tickets.ticket.taken_in_charge", sources=OPEN | {S.RESOLVED}, style="outline-danger",
    when=lambda t, user: not (t.leader_in_charge and t.leader_id == user.pk), fields=(STAFF_NOTE,)))
tickets.action(Action(
    "instruct", _("Write an instruction"), SERVICES + "ticket_instruct", who=P.is_leader,
    event="tickets.ticket.instructed", sources=OPEN | {S.RESOLVED}, style="outline-primary",
    fields=(Field("instruction", "text", _("Instruction to the departments (the firm does not see it)"),
                  audience=STAFF),)))
tickets.action(Action(
    "supervise", _("Issue a supervision notice"), SERVICES + "ticket_supervise", who=P.may_supervise,
    event="tickets.ticket.supervised", sources=OPEN | {S.RESOLVED}, style="outline-danger",
    fields=(Field("note", "text", _("Supervision requirement (the department head reads it; the firm does not)"),
                  audience=STAFF),)))

tickets.action(Action(
    "urge", _("Urge the department"), SERVICES + "ticket_urge", who=P.is_firm_member, event="tickets.ticket.urged",
    sources=frozenset({S.DISPATCHED, S.IN_PROGRESS}), when=lambda t, user: audiences.urge_open(t),
    style="danger",
    fields=(Field("note", "text", _("What the firm asks for (the department reads it)"), required=False,
                  audience=FIRM),)))
tickets.action(Action(
    "sender_reject", _("Rejected by the hotline"), SERVICES + "ticket_sender_reject", who=P.is_its_sender,
    event="tickets.ticket.sender_rejected", sources=frozenset({S.RESOLVED, S.CLOSED}), target=S.IN_PROGRESS,
    style="outline-danger",
    fields=(Field("reason", "text", _("Why the hotline rejects the answer (the firm and the department read it)"),
                  audience=FIRM),)))
tickets.action(Action(
    "publish", _("Publish (Open311)"), SERVICES + "ticket_publish", who=P.is_firm_member,
    event="tickets.ticket.published", sources=frozenset(S.values) - {S.MERGED}, when=lambda t, user: not t.published,
    style="outline-secondary"))
tickets.action(Action(
    "unpublish", _("Stop publishing"), SERVICES + "ticket_unpublish", who=P.is_firm_member,
    event="tickets.ticket.unpublished", when=lambda t, user: t.published,
    style="outline-secondary"))

# --- events -----------------------------------------------------------------------------------------

E = tickets.event
E(EventType("tickets.ticket.registered", pgettext_lazy("problem", "Registered"), tell=("dispatchers",), kind=WORK,
            message=_("New problem %(number)s: %(title)s")))
E(EventType("tickets.ticket.dispatched", _("Dispatched"), tell=("lead_department", "co_departments"), kind=WORK,
            message=_("Problem %(number)s dispatched to your department: %(title)s")))
E(EventType("tickets.ticket.redispatched", _("Re-dispatched"), tell=("lead_department", "co_departments"),
            kind=WORK, message=_("Problem %(number)s dispatched to your department: %(title)s")))
E(EventType("tickets.ticket.accepted", _("Accepted by the department")))
E(EventType("tickets.ticket.returned", _("Returned to the dispatcher"), audience=STAFF, tell=("dispatchers",),
            kind=WORK, message=_("Problem %(number)s returned by %(dept)s")))
E(EventType("tickets.ticket.responded", _("Reply"), tell=("firm",), message=_("Reply on your problem %(number)s")))
E(EventType("tickets.ticket.suspended", _("Suspended, waiting for the firm"), tell=("firm",), kind=WORK,
            message=_("Problem %(number)s is waiting for you")))
E(EventType("tickets.ticket.resumed", _("Resumed"), tell=("lead_department",),
            message=_("Problem %(number)s resumed")))
E(EventType("tickets.ticket.extension_requested", _("Extension requested"), audience=STAFF,
            tell=("dispatchers", "lead_head"), kind=WORK, message=_("Extension requested for %(number)s")))
E(EventType("tickets.ticket.extension_approved", _("Deadline extended"), tell=("requester",),
            message=_("Extension approved for %(number)s")))
E(EventType("tickets.ticket.extension_rejected", _("Extension refused"), audience=STAFF, tell=("requester",),
            message=_("Extension rejected for %(number)s")))
E(EventType("tickets.ticket.resolved", _("Answered by the department"), tell=("firm",), kind=WORK,
            message=_("Problem %(number)s has an answer: please confirm")))
E(EventType("tickets.ticket.confirmed", _("Confirmed by the firm: closed out"), tell=("lead_department",),
            message=_("Problem %(number)s closed out by the firm")))
E(EventType("tickets.ticket.reopened", _("Not satisfied: reopened"), tell=("lead_department",), kind=WORK,
            message=_("Problem %(number)s reopened: the firm is not satisfied")))
E(EventType("tickets.ticket.called_back", _("Call-back recorded"), tell=("lead_department",),
            message=_("Call-back recorded for %(number)s")))
E(EventType("tickets.ticket.withdrawn", _("Withdrawn"), tell=("lead_department",),
            message=_("Problem %(number)s withdrawn by the firm")))
E(EventType("tickets.ticket.merged", _("Merged into another problem"), tell=("firm",),
            message=_("Problem %(number)s is handled together with %(into)s")))
E(EventType("tickets.ticket.merged_in", _("Another problem merged in")))
E(EventType("tickets.ticket.sender_rejected", _("Answer rejected by the hotline: reopened"),
            tell=("lead_department", "lead_head"), kind=WORK,
            message=_("The hotline rejected the answer to %(number)s: handle it again")))
E(EventType("tickets.ticket.published", _("Published by the firm (Open311)")))
E(EventType("tickets.ticket.unpublished", _("No longer published")))
E(EventType("tickets.ticket.taken_in_charge", _("A leader takes personal charge"), tell=("lead_department",),
            message=_("%(actor)s takes personal charge of %(number)s")))
E(EventType("tickets.ticket.instructed", _("Leader's instruction"), audience=STAFF,
            tell=("lead_department", "co_departments"), kind=WORK,
            message=_("Instruction on %(number)s from %(actor)s")))
E(EventType("tickets.ticket.supervised", _("Supervision notice"), audience=STAFF, tell=("lead_head",),
            kind=ESCALATION, message=_("Supervision notice on %(number)s")))
E(EventType("tickets.ticket.warned", _("Deadline warning"), audience=STAFF, tell=("lead_department",),
            kind=ESCALATION, message=_("%(number)s is due %(due_text)s")))
E(EventType("tickets.ticket.overdue", _("Overdue: supervision"), audience=STAFF, tell=("lead_head",),
            kind=ESCALATION, message=_("Overdue: %(number)s %(title)s")))
E(EventType("tickets.ticket.escalated", _("Overdue: escalated to the leader"), audience=STAFF, tell=("leader",),
            kind=ESCALATION, message=_("Overdue for %(workdays)d working days: %(number)s %(title)s")))
E(EventType("tickets.ticket.callback_due", _("Call-back due"), audience=STAFF, tell=("callback_taker",),
            kind=WORK, message=_("Please call %(firm)s back about %(number)s")))
E(EventType("tickets.ticket.urged", _("Urged by the firm"), tell=("lead_head",), kind=ESCALATION,
            message=_("The firm urges %(number)s: its deadline has passed")))
E(EventType("tickets.ticket.deadlines_recomputed", _("Deadlines recomputed on the official calendar"),
            audience=STAFF))

# Every event an action may write is a known event type (checked when the app loads).
for _a in tickets:
    for _name in (_a.event, *_a.events):
        assert _name in tickets.event_types, _name
