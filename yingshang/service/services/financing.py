"""银企对接: firms' financing needs, banks' loan products matched to them by eligibility, the matches worked to a
loan, matchmaking meetings, and the firm's consent before a bank sees anything of it (every access logged)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, numbering
from yingshang.core.actions import IllegalTransition
from yingshang.core.permissions import require
from yingshang.directory.models import Enterprise

from .. import matching
from ..actions import financing as TABLE
from ..models import Bank, BankAccess, Consent, FinancingNeed, LoanProduct, Match, Matchmaking
from ..permissions import may
from ._common import denied
from .policies import conditions_clean

MAX_AMOUNT = 10**11  # yuan


def need_register(*, actor, enterprise: Enterprise, amount, term_months: int, purpose: str, collateral: str = "",
                  urgency: str = FinancingNeed.Urgency.NORMAL, at: datetime | None = None) -> FinancingNeed:
    """A firm's financing need (by the firm, or by the official who looks after it)."""
    if not may(actor, "service.register_need", enterprise):
        raise denied()
    amount = inputs.decimal(amount, "amount", max_digits=14, min_value=1)
    if amount > MAX_AMOUNT:
        raise ValidationError({"amount": _("The number is too large.")})
    if not 1 <= int(term_months) <= 360:
        raise ValidationError({"term_months": _("A term of 1 to 360 months.")})
    if urgency not in FinancingNeed.Urgency.values:
        raise ValidationError({"urgency": _("Unknown urgency.")})
    purpose = inputs.text(purpose, "purpose", max_length=200, multiline=False)
    collateral = inputs.text(collateral, "collateral", required=False, max_length=200, multiline=False)
    at = at or timezone.now()
    with transaction.atomic():
        year = timezone.localtime(at).year
        need = FinancingNeed.objects.create(
            number=f"RZ-{year}-{numbering.next_value(f'service.needs.{year}'):05d}", enterprise=enterprise,
            amount=amount, term_months=term_months, purpose=purpose, collateral=collateral, urgency=urgency,
            created_by=actor, created_at=at)
        events.record("financing.need.registered", need, actor=actor, need=need, enterprise=enterprise, at=at,
                      to=need.status, data={"amount": str(amount), "term": int(term_months)})
    return need


def need_withdraw(*, actor, need: FinancingNeed) -> FinancingNeed:
    with transaction.atomic():
        n = FinancingNeed.objects.select_for_update().select_related("enterprise").get(pk=need.pk)
        if not may(actor, "service.consent", n.enterprise):
            raise denied()
        if n.status != FinancingNeed.Status.OPEN:
            raise IllegalTransition("withdraw", n.status)
        n.status = FinancingNeed.Status.WITHDRAWN
        n.save(update_fields=["status"])
        events.record("financing.need.withdrawn", n, actor=actor, need=n, enterprise=n.enterprise, frm="open",
                      to=n.status)
    return n


def product_eligible(product: LoanProduct, need: FinancingNeed, firm: dict) -> bool:
    """A product fits a need when the firm meets its eligibility and the amount and term are within its range."""
    return (product.active and product.amount_min <= need.amount <= product.amount_max
            and need.term_months <= product.term_months and matching.matches(product.conditions, firm))


def product_save(*, actor, bank: Bank, name: str, rate_min, rate_max, term_months: int, amount_max, amount_min=0,
                 conditions=None, description: str = "", product: LoanProduct | None = None) -> LoanProduct:
    """Enter or change a bank's loan product (the financing officials, for the banks)."""
    require(actor, "service.manage_financing")
    values = {"bank": bank, "name": inputs.text(name, "name", max_length=100, multiline=False),
              "rate_min": inputs.decimal(rate_min, "rate_min", max_digits=5, min_value=0),
              "rate_max": inputs.decimal(rate_max, "rate_max", max_digits=5, min_value=0),
              "term_months": term_months, "amount_min": inputs.decimal(amount_min, "amount_min", max_digits=14,
                                                                        min_value=0),
              "amount_max": inputs.decimal(amount_max, "amount_max", max_digits=14, min_value=1),
              "conditions": conditions_clean(conditions),
              "description": inputs.text(description, "description", required=False, max_length=2000)}
    if values["rate_max"] < values["rate_min"] or values["amount_max"] < values["amount_min"]:
        raise ValidationError(_("The upper bound is below the lower one."))
    with transaction.atomic():
        if product is None:
            return LoanProduct.objects.create(**values)
        p = LoanProduct.objects.select_for_update().get(pk=product.pk)
        for k, v in values.items():
            setattr(p, k, v)
        p.save()
        return p


def matches_suggest(*, actor, need: FinancingNeed, meeting: Matchmaking | None = None) -> list[Match]:
    """Match an open need with every product on offer it fits (those matched before are kept as they are); the
    firm is told and asked to authorise the banks."""
    require(actor, "service.manage_financing")
    from ..selectors import firm_attributes

    with transaction.atomic():
        n = FinancingNeed.objects.select_for_update().select_related("enterprise").get(pk=need.pk)
        if n.status != FinancingNeed.Status.OPEN:
            raise IllegalTransition("suggest", n.status)
        attrs = firm_attributes([n.enterprise_id])
        firm = attrs[0] if attrs else {}
        have = set(n.matches.values_list("product_id", flat=True))
        now = timezone.now()
        new = [Match(need=n, product=p, meeting=meeting, created_at=now)
               for p in LoanProduct.objects.filter(active=True, bank__active=True).select_related("bank")
               if p.pk not in have and product_eligible(p, n, firm)]
        Match.objects.bulk_create(new)
        if new:
            events.record("financing.match.suggested", new[0], actor=actor, need=n, enterprise=n.enterprise,
                          data={"products": [m.product_id for m in new]})
    return new


def _match_step(actor, match, name: str):
    m = Match.objects.select_for_update().select_related("need", "product__bank").get(pk=match.pk)
    frm = m.status
    return m, frm, TABLE.begin(actor, name, m)


def _match_event(name: str, m: Match, actor, frm: str, **kw):
    events.record(f"financing.match.{name}", m, actor=actor, need=m.need, enterprise_id=m.need.enterprise_id,
                  frm=frm, to=m.status, data={"match": m.pk, "bank": m.product.bank_id}, **kw)


def match_contact(*, actor, match: Match) -> Match:
    with transaction.atomic():
        m, frm, m.status = _match_step(actor, match, "contact")
        m.save(update_fields=["status", "updated_at"])
        _match_event("contacted", m, actor, frm)
    return m


def match_diligence(*, actor, match: Match) -> Match:
    with transaction.atomic():
        m, frm, m.status = _match_step(actor, match, "diligence")
        m.save(update_fields=["status", "updated_at"])
        _match_event("diligence", m, actor, frm)
    return m


def match_approve(*, actor, match: Match) -> Match:
    with transaction.atomic():
        m, frm, m.status = _match_step(actor, match, "approve_loan")
        m.save(update_fields=["status", "updated_at"])
        _match_event("approved", m, actor, frm)
    return m


def match_decline(*, actor, match: Match, reason: str) -> Match:
    with transaction.atomic():
        m, frm, m.status = _match_step(actor, match, "decline")
        m.reason = inputs.text(reason, "reason", max_length=2000)
        m.save(update_fields=["status", "reason", "updated_at"])
        _match_event("declined", m, actor, frm, note=m.reason)
    return m


def match_lend(*, actor, match: Match, amount_lent, lent_on: date) -> Match:
    """The loan is made: the need counts as lent (from its first loan)."""
    with transaction.atomic():
        m, frm, m.status = _match_step(actor, match, "lend")
        amount = inputs.decimal(amount_lent, "amount_lent", max_digits=14, min_value=1)
        if amount > m.product.amount_max:
            raise ValidationError({"amount_lent": _("More than the product lends.")})
        if lent_on > timezone.localdate() or lent_on < timezone.localdate(m.need.created_at):
            raise ValidationError({"lent_on": _("The loan is made after the need was registered and not in the "
                                                "future.")})
        m.amount_lent, m.lent_on = amount, lent_on
        m.save(update_fields=["status", "amount_lent", "lent_on", "updated_at"])
        n = FinancingNeed.objects.select_for_update().get(pk=m.need_id)
        if n.status == FinancingNeed.Status.OPEN:
            n.status, n.lent_at = FinancingNeed.Status.LENT, timezone.now()
            n.save(update_fields=["status", "lent_at"])
        _match_event("lent", m, actor, frm, )
    return m


def meeting_create(*, actor, name: str, held_on: date, place: str = "", banks=(), firms=()) -> Matchmaking:
    require(actor, "service.manage_financing")
    with transaction.atomic():
        mt = Matchmaking.objects.create(name=inputs.text(name, "name", max_length=100, multiline=False),
                                        held_on=held_on, place=inputs.text(place, "place", required=False,
                                                                           max_length=100, multiline=False),
                                        created_by=actor)
        mt.banks.set(banks)
        mt.firms.set(firms)
    return mt


# --- consent and the bank's reading of a firm's file ---------------------------------------------------------

def consent_grant(*, actor, enterprise: Enterprise, bank: Bank) -> Consent:
    """The firm authorises a bank to see its file and credit."""
    if not may(actor, "service.consent", enterprise):
        raise denied()
    try:
        with transaction.atomic():
            c = Consent.objects.create(enterprise=enterprise, bank=bank, granted_by=actor, granted_at=timezone.now())
            events.record("financing.consent.granted", enterprise, actor=actor, enterprise=enterprise,
                          data={"bank": bank.pk, "name": bank.name})
    except IntegrityError:
        return Consent.objects.get(enterprise=enterprise, bank=bank, revoked_at=None)
    return c


def consent_revoke(*, actor, enterprise: Enterprise, bank: Bank) -> Consent:
    if not may(actor, "service.consent", enterprise):
        raise denied()
    with transaction.atomic():
        c = Consent.objects.select_for_update().filter(enterprise=enterprise, bank=bank, revoked_at=None).first()
        if c is None:
            raise IllegalTransition("revoke", "none")
        c.revoked_at = timezone.now()
        c.save(update_fields=["revoked_at"])
        events.record("financing.consent.revoked", enterprise, actor=actor, enterprise=enterprise,
                      data={"bank": bank.pk, "name": bank.name})
    return c


def bank_read_file(*, actor, enterprise: Enterprise, what: str = "file") -> Consent:
    """A bank's officer opens a firm's file: allowed under a live consent of the firm for that bank only, and
    logged each time. Raises PermissionDenied otherwise."""
    from ..permissions import bank_of

    bank = bank_of(actor)
    consent = Consent.objects.filter(enterprise=enterprise, bank_id=bank, revoked_at=None).first() if bank else None
    if consent is None:
        raise denied()
    BankAccess.objects.create(consent=consent, user=actor, at=timezone.now(), what=what[:40])
    return consent
