"""Credit's actions and events (see ``core.actions``): what a firm and a department do to a record, and
what a record's history says."""

from django.utils.translation import gettext_lazy as _

from yingshang.core.actions import FIRM, WORK, Action, EventType, Field, domain

from . import permissions as P
from .models import Event, Record

S = Record.Status
SERVICES = "yingshang.credit.services."


def _firm_id(obj):
    return getattr(obj, "enterprise_id", None) or getattr(obj, "pk", None)


def _firm(obj, event=None):
    from yingshang.directory.models import EnterpriseMember

    return list(EnterpriseMember.objects.filter(enterprise_id=_firm_id(obj), active=True, user__is_active=True)
                .values_list("user_id", flat=True))


def _department(obj, event=None):
    from yingshang.directory.models import StaffProfile

    dept = getattr(obj, "department_id", None)
    return list(StaffProfile.objects.filter(department_id=dept, user__is_active=True)
                .values_list("user_id", flat=True)) if dept else []


def _filer(obj, event=None):
    uid = (getattr(event, "data", None) or {}).get("filed_by")
    return [uid] if uid else []


def _link(obj):
    from django.urls import reverse

    return reverse("credit:record", args=[obj.pk]) if isinstance(obj, Record) else reverse("credit:mine")


def _context(obj):
    if isinstance(obj, Record):
        return {"kind": obj.get_kind_display(), "number": obj.decision_number, "firm": obj.enterprise.name}
    return {"firm": getattr(obj, "name", "")}


credit = domain("credit", subject="record", link=_link, context=_context,
                group_key=lambda obj: f"credit.enterprise:{_firm_id(obj)}",
                audiences={"firm": _firm, "department": _department, "filer": _filer})
credit.event_model = Event


def _pending(record):
    return [r for r in record.requests.all() if r.status == "pending"]


REASON_FILE = Field("evidence", "file", _("Evidence (PDF or photo)"), required=False)

credit.action(Action(
    "objection", _("Object to this record"), SERVICES + "objection_file", who=P.is_firm_of_record,
    event="credit.objection.filed", sources=frozenset({S.ACTIVE}),
    fields=(Field("reason", "text", _("What is wrong with the record (the department reads it)"), audience=FIRM),
            REASON_FILE)))
credit.action(Action(
    "repair", _("Apply for credit repair"), SERVICES + "repair_apply", who=P.is_firm_of_record,
    event="credit.repair.applied", sources=frozenset({S.ACTIVE}),
    when=lambda r, user: r.is_negative and not any(q.type == "repair" for q in _pending(r)),
    fields=(Field("reason", "text", _("How the firm has put things right (the department reads it)"),
                  audience=FIRM), Field("evidence", "file", _("Evidence (PDF or photo)")))))
credit.action(Action(
    "decide", _("Decide the pending request"), SERVICES + "request_decide", who=P.may_decide_request,
    event="credit.objection.upheld", when=lambda r, user: bool(_pending(r)),
    events=("credit.objection.upheld", "credit.objection.rejected", "credit.repair.approved",
            "credit.repair.rejected"),
    fields=(Field("approve", "yesno", _("Decision"), choices=[("yes", _("uphold or approve")),
                                                              ("no", _("reject"))]),
            Field("answer", "text", _("Answer to the firm (the firm reads it)"), audience=FIRM))))
credit.action(Action(
    "revoke", _("Revoke the record"), SERVICES + "record_revoke", who=P.may_revoke, style="outline-danger",
    event="credit.record.revoked", sources=frozenset({S.ACTIVE, S.OBJECTION}), target=S.REVOKED,
    fields=(Field("reason", "text", _("Why the record is revoked (the firm reads it)"), audience=FIRM),)))

E = credit.event
E(EventType("credit.record.created", _("Record entered"), tell=("firm",),
            message=_("A credit record was entered for your firm: %(kind)s %(number)s")))
E(EventType("credit.records.created", _("Records entered"), tell=("firm",),
            message=_("%(count)d credit records were entered for your firm")))
E(EventType("credit.record.imported", _("Record imported")))
E(EventType("credit.record.revoked", _("Record revoked"), tell=("firm",),
            message=_("Credit record %(number)s was revoked")))
E(EventType("credit.record.expired", _("Publicity period over")))
E(EventType("credit.objection.filed", _("Objection filed"), tell=("department",), kind=WORK,
            message=_("Objection to credit record %(number)s (%(firm)s)")))
E(EventType("credit.objection.upheld", _("Objection upheld"), tell=("firm", "filer"),
            message=_("Your objection to %(number)s was upheld")))
E(EventType("credit.objection.rejected", _("Objection rejected"), tell=("firm", "filer"),
            message=_("Your objection to %(number)s was rejected")))
E(EventType("credit.repair.applied", _("Repair applied for"), tell=("department",), kind=WORK,
            message=_("Credit repair application for %(number)s (%(firm)s)")))
E(EventType("credit.repair.approved", _("Repair approved"), tell=("firm", "filer"),
            message=_("Your repair of %(number)s was approved")))
E(EventType("credit.repair.rejected", _("Repair refused"), tell=("firm", "filer"),
            message=_("Your repair of %(number)s was refused")))
for _kind, _on, _off in (("red", _("Put on the red list"), _("Taken off the red list")),
                         ("black", _("Put on the black list"), _("Taken off the black list"))):
    E(EventType(f"credit.list.{_kind}.added", _on))
    E(EventType(f"credit.list.{_kind}.ended", _off))
