"""The policy library (惠企政策), its delivery to firms (送政策上门), 免申即享 payout lists, applications for the
other policies, and a firm's yearly figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, numbering, workdays
from yingshang.core.actions import IllegalTransition
from yingshang.core.permissions import require
from yingshang.directory.models import Enterprise

from .. import matching
from ..models import Application, Delivery, Facts, Payout, PayoutLine, Policy
from ..permissions import may
from ._common import denied


# --- policies -----------------------------------------------------------------------------------------------

POLICY_FIELDS = ("title", "issuer", "document_number", "effective_on", "expires_on", "benefit", "amount",
                 "paying_department", "window_opens", "window_closes", "how_to_apply", "automatic", "pay_within",
                 "conditions")


def conditions_clean(conditions) -> dict:
    """A policy's (or a loan product's) conditions, well formed, or a ValidationError saying where."""
    try:
        return matching.normalise(conditions if conditions not in (None, "") else {"all": []})
    except matching.ConditionError as exc:
        raise ValidationError({"conditions": _("The conditions are not well formed at %(path)s: %(problem)s.")
                               % {"path": exc.path, "problem": exc.message}}) from None


def _policy_values(d: dict) -> dict:
    out = {
        "title": inputs.text(d["title"], "title", max_length=200, multiline=False),
        "issuer": inputs.text(d["issuer"], "issuer", max_length=100, multiline=False),
        "document_number": inputs.text(d.get("document_number", ""), "document_number", required=False,
                                       max_length=60, multiline=False),
        "effective_on": d["effective_on"], "expires_on": d.get("expires_on"),
        "benefit": inputs.text(d["benefit"], "benefit", max_length=5000),
        "amount": d.get("amount"), "paying_department": d["paying_department"],
        "window_opens": d.get("window_opens"), "window_closes": d.get("window_closes"),
        "how_to_apply": inputs.text(d.get("how_to_apply", ""), "how_to_apply", required=False, max_length=5000),
        "automatic": bool(d.get("automatic")), "conditions": conditions_clean(d.get("conditions")),
        "pay_within": inputs.integer(d.get("pay_within") or 60, "pay_within", min_value=1, max_value=250),
    }
    if out["expires_on"] and out["expires_on"] < out["effective_on"]:
        raise ValidationError({"expires_on": _("A policy cannot expire before it takes effect.")})
    if out["window_opens"] and out["window_closes"] and out["window_closes"] < out["window_opens"]:
        raise ValidationError({"window_closes": _("The application window closes before it opens.")})
    if out["amount"] is not None and out["amount"] < 0:
        raise ValidationError({"amount": _("Enter an amount of zero or more.")})
    return out


def policy_create(*, actor, **fields) -> Policy:
    """Enter a policy in the library (a draft until it is put in force)."""
    require(actor, "service.manage_policies")
    values = _policy_values(fields)
    with transaction.atomic():
        p = Policy.objects.create(created_by=actor, **values)
        events.record("service.policy.created", p, actor=actor, policy=p, data={"title": p.title})
    return p


def policy_update(*, actor, policy: Policy, version: int, **fields) -> Policy:
    """Change a policy (its conditions included); who qualifies follows at once. A withdrawn policy stays as
    it was."""
    require(actor, "service.manage_policies")
    with transaction.atomic():
        p = Policy.objects.select_for_update().get(pk=policy.pk)
        if p.status == Policy.Status.WITHDRAWN:
            raise IllegalTransition("change", p.status)
        if p.version != version:
            raise ValidationError(_("The policy was changed meanwhile: reload it and make your change again."))
        values = _policy_values(fields)
        changed = sorted(k for k, v in values.items() if getattr(p, k) != v)
        for k, v in values.items():
            setattr(p, k, v)
        p.version += 1
        p.save()
        events.record("service.policy.changed", p, actor=actor, policy=p, data={"fields": changed})
    return p


def _policy_state(actor, policy, frm: set, name: str) -> Policy:
    require(actor, "service.manage_policies")
    p = Policy.objects.select_for_update().get(pk=policy.pk)
    if p.status not in frm:
        raise IllegalTransition(name, p.status)
    return p


def policy_publish(*, actor, policy: Policy) -> Policy:
    """Put a draft policy in force: firms see it and are matched against it."""
    with transaction.atomic():
        p = _policy_state(actor, policy, {Policy.Status.DRAFT}, "publish")
        p.status = Policy.Status.PUBLISHED
        p.save(update_fields=["status", "updated_at"])
        events.record("service.policy.published", p, actor=actor, policy=p, frm="draft", to=p.status)
    return p


def policy_withdraw(*, actor, policy: Policy, reason: str) -> Policy:
    """Take a policy out of force (it stays in the library, with every delivery made)."""
    with transaction.atomic():
        p = _policy_state(actor, policy, {Policy.Status.DRAFT, Policy.Status.PUBLISHED}, "withdraw")
        reason = inputs.text(reason, "reason", max_length=2000)
        frm, p.status = p.status, Policy.Status.WITHDRAWN
        p.save(update_fields=["status", "updated_at"])
        events.record("service.policy.withdrawn", p, actor=actor, policy=p, frm=frm, to=p.status,
                      internal_note=reason)
    return p


def policy_push(*, actor, policy: Policy) -> int:
    """送政策上门: deliver a policy in force to every firm that qualifies now and has not had it pushed; their
    staff are told. Returns how many firms it reached this time."""
    require(actor, "service.push_policy")
    from yingshang.core import notifications
    from yingshang.directory.models import EnterpriseMember

    from ..selectors import policy_matches

    with transaction.atomic():
        p = Policy.objects.select_for_update().get(pk=policy.pk)
        if p.status != Policy.Status.PUBLISHED:
            raise IllegalTransition("push", p.status)
        pushed = set(p.deliveries.filter(via=Delivery.Via.PUSH).values_list("enterprise_id", flat=True))
        firms = [f["id"] for f in policy_matches(p) if f["id"] not in pushed]
        now = timezone.now()
        Delivery.objects.bulk_create([Delivery(policy=p, enterprise_id=e, via=Delivery.Via.PUSH, by=actor, at=now)
                                      for e in firms])
        ev = events.record("service.policy.pushed", p, actor=actor, policy=p, tell=False,
                           data={"firms": len(firms)})
        staff = EnterpriseMember.objects.filter(enterprise_id__in=firms, active=True, user__is_active=True) \
            .values_list("user_id", flat=True)
        from django.urls import reverse

        notifications.send(recipients=list(staff), title=_("A policy for your firm: %(title)s") % {"title": p.title},
                           link=reverse("service:for_you"), event=ev.action, group_key=f"service.policy:{p.pk}")
    return len(firms)


# --- a firm's yearly figures --------------------------------------------------------------------------------

def facts_set(*, actor, enterprise: Enterprise, year: int, revenue=None, headcount=None, rd_expense=None) -> Facts:
    """Enter (or correct) a firm's revenue, headcount and R&D spending for a year."""
    if not may(actor, "service.set_facts", enterprise):
        raise denied()
    this_year = timezone.localdate().year
    if not 2000 <= int(year) <= this_year:
        raise ValidationError({"year": _("Enter a year from 2000 to %(y)d.") % {"y": this_year}})
    for name, value in (("revenue", revenue), ("rd_expense", rd_expense)):
        if value is not None and value < 0:
            raise ValidationError({name: _("Enter an amount of zero or more.")})
    if revenue is not None and rd_expense is not None and rd_expense > revenue:
        raise ValidationError({"rd_expense": _("R&D spending cannot exceed the revenue.")})
    with transaction.atomic():
        f = Facts.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
        before = {k: str(getattr(f, k)) for k in ("revenue", "headcount", "rd_expense")} if f else None
        if f is None:
            try:
                with transaction.atomic():
                    f = Facts.objects.create(enterprise=enterprise, year=year, revenue=revenue, headcount=headcount,
                                             rd_expense=rd_expense, entered_by=actor)
            except IntegrityError:  # entered by someone else a moment ago: correct theirs
                f = Facts.objects.select_for_update().get(enterprise=enterprise, year=year)
        f.revenue, f.headcount, f.rd_expense, f.entered_by = revenue, headcount, rd_expense, actor
        f.save()
        events.record("service.facts.set", enterprise, actor=actor, enterprise=enterprise,
                      data={"year": int(year), "before": before,
                            "after": {"revenue": str(revenue), "headcount": str(headcount),
                                      "rd_expense": str(rd_expense)}})
    return f


# --- 免申即享: payout lists ------------------------------------------------------------------------------------

def payout_prepare(*, actor, policy: Policy) -> Payout:
    """List the firms an automatic policy pays now — those that qualify and are on no earlier list of it — each
    with the policy's amount. The paying department prepares it; its head approves it."""
    from ..selectors import policy_matches

    if not may(actor, "service.prepare_payout", policy):
        raise denied()
    with transaction.atomic():
        p = Policy.objects.select_for_update().get(pk=policy.pk)
        if p.status != Policy.Status.PUBLISHED:
            raise IllegalTransition("prepare_payout", p.status)
        if not p.automatic:
            raise ValidationError(_("Only a policy paid without application has a payout list; the others are "
                                    "paid on their applications."))
        if p.amount is None:
            raise ValidationError({"amount": _("Enter the policy's amount first: each firm on the list gets it.")})
        listed = set(PayoutLine.objects.filter(payout__policy=p).values_list("enterprise_id", flat=True))
        firms = [f["id"] for f in policy_matches(p) if f["id"] not in listed]
        if not firms:
            raise ValidationError(_("No firm qualifies that is not on an earlier list of this policy."))
        now = timezone.now()
        year = timezone.localtime(now).year
        payout = Payout.objects.create(number=f"DX-{year}-{numbering.next_value(f'service.payouts.{year}'):05d}",
                                       policy=p, prepared_by=actor, prepared_at=now, total=p.amount * len(firms))
        PayoutLine.objects.bulk_create([PayoutLine(payout=payout, enterprise_id=e, amount=p.amount) for e in firms])
        events.record("grants.payout.prepared", payout, actor=actor, payout=payout, policy=p,
                      data={"firms": len(firms), "total": str(payout.total)})
    return payout


def payout_approve(*, actor, payout) -> Payout:
    """The paying department's head approves the list (not the one who prepared it); its firms are told."""
    from yingshang.core import notifications
    from yingshang.directory.models import EnterpriseMember


    if not may(actor, "service.approve_payout", payout):
        raise denied()
    with transaction.atomic():
        po = Payout.objects.select_for_update().select_related("policy").get(pk=payout.pk)
        if po.status != Payout.Status.PREPARED:
            raise IllegalTransition("approve", po.status)
        if po.prepared_by_id == actor.pk:
            raise ValidationError(_("The list is approved by someone other than who prepared it."))
        po.status, po.approved_by, po.approved_at = Payout.Status.APPROVED, actor, timezone.now()
        po.save(update_fields=["status", "approved_by", "approved_at"])
        ev = events.record("grants.payout.approved", po, actor=actor, payout=po, policy=po.policy, frm="prepared",
                           to=po.status)
        firms = po.lines.values_list("enterprise_id", flat=True)
        staff = EnterpriseMember.objects.filter(enterprise_id__in=firms, active=True, user__is_active=True) \
            .values_list("user_id", flat=True)
        from django.urls import reverse

        notifications.send(recipients=list(staff), title=_("%(title)s will be paid to your firm without application")
                           % {"title": po.policy.title}, link=reverse("service:for_you"), event=ev.action,
                           group_key=f"grants.payout:{po.pk}")
    return po


def payout_pay(*, actor, line, voucher: str, paid_on: date) -> PayoutLine:
    """Record the payment of one line of an approved list; the list is paid when every line is."""

    if not may(actor, "service.record_payment", line.payout):
        raise denied()
    with transaction.atomic():
        po = Payout.objects.select_for_update().get(pk=line.payout_id)
        ln = PayoutLine.objects.select_for_update().select_related("enterprise").get(pk=line.pk)
        if po.status != Payout.Status.APPROVED or ln.paid_on is not None:
            raise IllegalTransition("pay", "paid" if ln.paid_on else po.status)
        voucher = inputs.text(voucher, "voucher", max_length=60, multiline=False)
        if paid_on > timezone.localdate() or paid_on < po.approved_at.date() - timedelta(days=1):
            raise ValidationError({"paid_on": _("The payment date is after the approval and not in the future.")})
        ln.voucher, ln.paid_on, ln.paid_by = voucher, paid_on, actor
        ln.save(update_fields=["voucher", "paid_on", "paid_by"])
        events.record("grants.payout.paid", po, actor=actor, payout=po, policy_id=po.policy_id,
                      enterprise=ln.enterprise, data={"line": ln.pk, "amount": str(ln.amount), "voucher": voucher})
        if not po.lines.filter(paid_on__isnull=True).exists():
            po.status = Payout.Status.PAID
            po.save(update_fields=["status"])
    return ln


# --- applications (政策申报) ------------------------------------------------------------------------------------

def application_submit(*, actor, policy: Policy, enterprise: Enterprise, statement: str, amount_requested,
                       at: datetime | None = None) -> Application:
    """A firm applies for a policy in force that takes applications, within its window, if it qualifies now; the
    paying department has the policy's working days (60 unless the policy says) to pay."""
    from ..selectors import firm_attributes

    if not may(actor, "service.apply", enterprise):
        raise denied()
    at = at or timezone.now()
    today = timezone.localdate(at)
    if policy.status != Policy.Status.PUBLISHED or policy.effective_on > today or (
            policy.expires_on and policy.expires_on < today):
        raise ValidationError(_("This policy is not in force."))
    if policy.automatic:
        raise ValidationError(_("This policy is paid without application: firms that qualify are on its payout list."))
    if (policy.window_opens and today < policy.window_opens) or (policy.window_closes and today > policy.window_closes):
        raise ValidationError(_("Applications are taken from %(a)s to %(b)s.")
                              % {"a": policy.window_opens or "…", "b": policy.window_closes or "…"})
    attrs = firm_attributes([enterprise.pk])
    if not attrs or not matching.matches(policy.conditions, attrs[0]):
        from ..wording import leaf_text

        unmet = [leaf_text(x.attr, x.op, x.value, x.negated) for x in
                 matching.explain(policy.conditions, attrs[0] if attrs else {}) if x.met == x.negated]
        raise ValidationError(_("Your firm does not qualify now: %(unmet)s.") % {"unmet": "；".join(unmet)})
    statement = inputs.text(statement, "statement", max_length=5000)
    if amount_requested is None or amount_requested <= 0:
        raise ValidationError({"amount_requested": _("Enter the amount applied for.")})
    if policy.amount is not None and amount_requested > policy.amount:
        raise ValidationError({"amount_requested": _("The policy pays at most %(amount)s yuan.")
                               % {"amount": policy.amount}})
    year = timezone.localtime(at).year
    try:
        with transaction.atomic():
            a = Application.objects.create(
                number=f"SB-{year}-{numbering.next_value(f'service.applications.{year}'):06d}", policy=policy,
                enterprise=enterprise, applicant=actor, statement=statement, amount_requested=amount_requested,
                submitted_at=at, due_at=workdays.deadline(at, policy.pay_within, provisional=True))
            events.record("grants.application.submitted", a, actor=actor, application=a, policy=policy,
                          enterprise=enterprise, to=a.status, note=statement, at=at)
    except IntegrityError:
        raise ValidationError(_("Your firm already has an application for this policy being handled.")) from None
    return a


def _application_step(actor, application, name: str, **changes):
    from ..actions import grants

    with transaction.atomic():
        a = Application.objects.select_for_update().select_related("policy", "enterprise").get(pk=application.pk)
        frm = a.status
        to = grants.begin(actor, name, a)
        return a, frm, to


def application_accept(*, actor, application) -> Application:
    with transaction.atomic():
        a, frm, to = _application_step(actor, application, "accept")
        a.status = to
        a.save(update_fields=["status"])
        events.record("grants.application.accepted", a, actor=actor, application=a, frm=frm, to=to)
    return a


def application_approve(*, actor, application, amount_granted) -> Application:
    with transaction.atomic():
        a, frm, to = _application_step(actor, application, "approve")
        amount = inputs.decimal(amount_granted, "amount_granted", min_value=0)
        if amount > a.amount_requested:
            raise ValidationError({"amount_granted": _("More than the firm applied for.")})
        a.status, a.amount_granted, a.decided_at = to, amount, timezone.now()
        a.save(update_fields=["status", "amount_granted", "decided_at"])
        events.record("grants.application.approved", a, actor=actor, application=a, frm=frm, to=to,
                      data={"amount": str(amount)})
    return a


def application_deny(*, actor, application, reason: str) -> Application:
    with transaction.atomic():
        a, frm, to = _application_step(actor, application, "deny")
        a.reason = inputs.text(reason, "reason", max_length=2000)
        a.status, a.decided_at = to, timezone.now()
        a.save(update_fields=["status", "reason", "decided_at"])
        events.record("grants.application.denied", a, actor=actor, application=a, frm=frm, to=to, note=a.reason)
    return a


def application_pay(*, actor, application, voucher: str, paid_on: date) -> Application:
    with transaction.atomic():
        a, frm, to = _application_step(actor, application, "pay")
        if paid_on > timezone.localdate():
            raise ValidationError({"paid_on": _("The payment date is not in the future.")})
        a.voucher = inputs.text(voucher, "voucher", max_length=60, multiline=False)
        a.status, a.paid_on = to, paid_on
        a.save(update_fields=["status", "voucher", "paid_on"])
        events.record("grants.application.paid", a, actor=actor, application=a, frm=frm, to=to,
                      data={"voucher": a.voucher, "amount": str(a.amount_granted)})
    return a


def application_withdraw(*, actor, application, reason: str) -> Application:
    with transaction.atomic():
        a, frm, to = _application_step(actor, application, "withdraw")
        reason = inputs.text(reason, "reason", max_length=2000)
        a.status = to
        a.save(update_fields=["status"])
        events.record("grants.application.withdrawn", a, actor=actor, application=a, frm=frm, to=to, note=reason)
    return a


def applications_sweep(*, now: datetime | None = None) -> int:
    """Tell the paying department (once) of each application not paid by its limit."""

    now = now or timezone.now()
    told = 0
    late = Application.objects.filter(status__in=["submitted", "accepted", "approved"], due_at__lt=now,
                                      overdue_told=False).values_list("pk", flat=True)
    for pk in late:
        with transaction.atomic():
            a = Application.objects.select_for_update().select_related("policy", "enterprise").get(pk=pk)
            if a.overdue_told or a.status not in ("submitted", "accepted", "approved"):
                continue
            a.overdue_told = True
            a.save(update_fields=["overdue_told"])
            events.record("grants.application.overdue", a, application=a, frm=a.status, to=a.status, at=now)
            told += 1
    return told
