"""Every write of the chains and 招商: each checks who acts first, then the state and what was sent, locks what
two people could change at once, writes, and appends its ``Event``. Nothing is deleted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingshang.core import events, inputs, numbering, roles
from yingshang.core.tabular import ImportReport, RowError, parse_date, rows_with_columns
from yingshang.core.uscc import normalize_uscc
from yingshang.directory.models import Enterprise

from . import graph
from .actions import chain as CHAIN
from .actions import supply as SUPPLY
from .models import Campaign, Chain, Contact, Invitation, Placement, Position, Relation, Segment, Target
from .permissions import may


def _denied():
    return PermissionDenied(_("You are not allowed to do this."))


def _require(actor, perm, obj=None):
    if not may(actor, perm, obj):
        raise _denied()


# --- chains and segments ----------------------------------------------------------------------------------------

def chain_create(*, actor, name: str, chief, office, anchors=(), description: str = "") -> Chain:
    """Set up a chain: its 链长 (a zone leader), its office (the department that keeps it), its 链主 firms."""
    _require(actor, "chain.add_chain")
    name = inputs.text(name, "name", max_length=60, multiline=False)
    if not roles.has_role(chief, roles.LEADER):
        raise ValidationError({"chief": _("The chain chief is a zone leader.")})
    if Chain.objects.filter(name=name).exists():
        raise ValidationError({"name": _("There is already a chain of this name.")})
    with transaction.atomic():
        c = Chain.objects.create(name=name, chief=chief, office=office, order=Chain.objects.count() + 1,
                                 description=inputs.text(description, "description", required=False,
                                                         max_length=2000))
        c.anchors.set(anchors)
        events.record("chain.chain.created", c, actor=actor, chain=c,
                      data={"anchors": sorted(a.pk for a in anchors)})
    return c


def segment_add(*, actor, chain: Chain, name: str, parent: Segment | None = None, position: str = Position.MID,
                is_key: bool = False) -> Segment:
    _require(actor, "chain.manage_chain", chain)
    name = inputs.text(name, "name", max_length=60, multiline=False)
    position = inputs.choice(position, "position", Position)
    if parent is not None and parent.chain_id != chain.pk:
        raise ValidationError({"parent": _("The segment it is part of belongs to another chain.")})
    if Segment.objects.filter(chain=chain, name=name).exists():
        raise ValidationError({"name": _("This chain already has a segment of this name.")})
    with transaction.atomic():
        order = Segment.objects.filter(chain=chain, parent=parent).count() + 1
        s = Segment.objects.create(chain=chain, parent=parent, name=name, position=position, is_key=bool(is_key),
                                   order=order)
        events.record("chain.segment.added", s, actor=actor, chain=chain, segment=s,
                      data={"parent": parent.pk if parent else None})
    return s


def segment_move(*, actor, segment: Segment, parent: Segment | None) -> Segment:
    """Put ``segment`` (with everything under it) under ``parent`` (None: at the top); a cycle is refused."""
    _require(actor, "chain.manage_chain", segment.chain)
    with transaction.atomic():
        rows = dict(Segment.objects.select_for_update().filter(chain_id=segment.chain_id)
                    .values_list("pk", "parent_id"))
        if parent is not None and parent.chain_id != segment.chain_id:
            raise ValidationError({"parent": _("The segment it is part of belongs to another chain.")})
        if graph.would_cycle(rows, segment.pk, parent.pk if parent else None):
            raise ValidationError({"parent": _("A segment cannot be put under itself or under a part of it.")})
        before = rows[segment.pk]
        Segment.objects.filter(pk=segment.pk).update(parent=parent)
        segment.parent = parent
        events.record("chain.segment.moved", segment, actor=actor, chain=segment.chain, segment=segment,
                      data={"from": before, "to": parent.pk if parent else None})
    return segment


def placement_add(*, actor, segment: Segment, enterprise: Enterprise, products: str = "") -> Placement:
    _require(actor, "chain.manage_chain", segment)
    products = inputs.text(products, "products", required=False, max_length=200, multiline=False)
    try:
        with transaction.atomic():
            p = Placement.objects.create(segment=segment, enterprise=enterprise, products=products, added_by=actor)
            events.record("chain.placement.added", segment, actor=actor, chain=segment.chain, segment=segment,
                          data={"enterprise": enterprise.pk, "products": products})
    except IntegrityError:
        raise ValidationError({"enterprise": _("This firm is already on this segment.")}) from None
    return p


def placement_end(*, actor, placement: Placement, reason: str = "") -> Placement:
    _require(actor, "chain.manage_chain", placement.segment)
    with transaction.atomic():
        p = Placement.objects.select_for_update().get(pk=placement.pk)
        if not p.active:
            raise ValidationError(_("This firm is no longer on this segment."))
        p.active = False
        p.save(update_fields=["active"])
        events.record("chain.placement.ended", p.segment, actor=actor, chain=p.segment.chain, segment=p.segment,
                      note=inputs.text(reason, "reason", required=False, max_length=300),
                      data={"enterprise": p.enterprise_id})
    return p


# --- supply relations -------------------------------------------------------------------------------------------

def _relation_fields(*, supplier, supplier_name, supplier_region, customer, segment, product, share, since):
    errors = {}
    supplier_name = inputs.text(supplier_name, "supplier_name", required=False, max_length=200, multiline=False)
    supplier_region = inputs.text(supplier_region, "supplier_region", required=False, max_length=60,
                                  multiline=False)
    product = inputs.text(product, "product", required=False, max_length=100, multiline=False)
    if not product:
        errors["product"] = _("Say what is supplied.")
    if supplier is None and not supplier_name:
        errors["supplier"] = _("Choose the supplier, or name it if it is outside the zone.")
    if supplier is not None and supplier_name:
        errors["supplier_name"] = _("A supplier in the zone is chosen, not named.")
    if supplier is not None and customer is not None and supplier.pk == customer.pk:
        errors["supplier"] = _("A firm does not supply itself.")
    if share not in (None, ""):
        share = inputs.decimal(share, "share", max_digits=5, places=2, min_value=0)
        if share > 100:
            errors["share"] = _("A share is at most 100 %.")
    else:
        share = None
    if since and since > timezone.localdate():
        errors["since"] = _("Since a day that has come.")
    if errors:
        raise ValidationError(errors)
    return {"supplier": supplier, "supplier_name": supplier_name, "supplier_region": supplier_region,
            "customer": customer, "segment": segment, "product": product, "share": share, "since": since}


def _duplicate(f) -> bool:
    qs = Relation.objects.exclude(status=Relation.Status.ENDED).filter(customer=f["customer"], product=f["product"])
    return (qs.filter(supplier=f["supplier"]) if f["supplier"] is not None
            else qs.filter(supplier__isnull=True, supplier_name=f["supplier_name"])).exists()


def relation_add(*, actor, customer: Enterprise, product: str, supplier: Enterprise | None = None,
                 supplier_name: str = "", supplier_region: str = "", segment: Segment | None = None,
                 share=None, since: date | None = None) -> Relation:
    """Record that ``supplier`` (or a firm outside the zone, by name) supplies ``customer``; the firms are asked
    to confirm it."""
    _require(actor, "chain.add_relation", segment)
    f = _relation_fields(supplier=supplier, supplier_name=supplier_name, supplier_region=supplier_region,
                         customer=customer, segment=segment, product=product, share=share, since=since)
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=customer.pk).first()  # one writer per customer
        if _duplicate(f):
            raise ValidationError({"product": _("This supply relation is already recorded.")})
        r = Relation.objects.create(**f, added_by=actor, source=Relation.Source.ENTERED)
        events.record("supply.relation.added", r, actor=actor, relation=r, to=r.status)
    return r


RELATION_COLUMNS = [("供应商统一社会信用代码", False), ("区外供应商名称", False), ("区外供应商所在地", False),
                    ("客户统一社会信用代码", True), ("产品", True), ("占客户需求比例", False), ("起始日期", False),
                    ("环节", False)]


def relations_import(*, actor, data: bytes, filename: str) -> ImportReport:
    """Supply relations from the XLSX/CSV template: every row is checked first; any error, nothing is written."""
    _require(actor, "chain.add_relation")
    report = ImportReport()
    rows = rows_with_columns(report, data, filename, [h for h, required in RELATION_COLUMNS if required])
    if rows is None:
        return report
    codes = set()
    for _n, r in rows:
        codes |= {normalize_uscc(r.get("供应商统一社会信用代码", "")), normalize_uscc(r.get("客户统一社会信用代码", ""))}
    firms = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
    segments = {s.name: s for s in Segment.objects.select_related("chain")}
    built = []
    for number, row in rows:
        def err(col, msg, number=number):
            report.errors.append(RowError(number, col, msg))

        sup_code = normalize_uscc(row.get("供应商统一社会信用代码", ""))
        supplier = firms.get(sup_code) if sup_code else None
        if sup_code and supplier is None:
            err("供应商统一社会信用代码", _("No enterprise with this credit code."))
            continue
        customer = firms.get(normalize_uscc(row.get("客户统一社会信用代码", "")))
        if customer is None:
            err("客户统一社会信用代码", _("No enterprise with this credit code."))
            continue
        seg_name = row.get("环节", "")
        segment = segments.get(seg_name) if seg_name else None
        if seg_name and segment is None:
            err("环节", _("No segment of this name."))
            continue
        if segment is not None and not may(actor, "chain.add_relation", segment):
            err("环节", _("You do not keep this segment's chain."))
            continue
        try:
            since = parse_date(row["起始日期"]) if row.get("起始日期") else None
            f = _relation_fields(supplier=supplier, supplier_name=row.get("区外供应商名称", ""),
                                 supplier_region=row.get("区外供应商所在地", ""), customer=customer, segment=segment,
                                 product=row.get("产品", ""), share=row.get("占客户需求比例", "").rstrip("%") or None,
                                 since=since)
        except ValueError as exc:
            err("起始日期", str(exc))
            continue
        except ValidationError as exc:
            err("", " ".join(exc.messages))
            continue
        key = (f["supplier"].pk if f["supplier"] else f["supplier_name"], customer.pk, f["product"])
        if key in {b[0] for b in built} or _duplicate(f):
            err("产品", _("This supply relation is already recorded."))
            continue
        built.append((key, f))
    if report.errors:
        return report
    with transaction.atomic():
        for _k, f in built:
            r = Relation.objects.create(**f, added_by=actor, source=Relation.Source.IMPORTED)
            events.record("supply.relation.added", r, actor=actor, relation=r, to=r.status,
                          data={"file": filename[:80]})
    report.created = len(built)
    return report


def _relation_step(actor, relation: Relation, name: str):
    r = Relation.objects.select_for_update(of=("self",)).select_related("supplier", "customer", "segment__chain").get(
        pk=relation.pk)
    frm = r.status
    to = SUPPLY.begin(actor, name, r)
    return r, frm, to


def relation_confirm(*, actor, relation: Relation) -> Relation:
    with transaction.atomic():
        r, frm, to = _relation_step(actor, relation, "confirm")
        r.status, r.dispute, r.version = to, "", r.version + 1
        r.save(update_fields=["status", "dispute", "version"])
        events.record("supply.relation.confirmed", r, actor=actor, relation=r, frm=frm, to=to)
    return r


def relation_dispute(*, actor, relation: Relation, reason: str) -> Relation:
    with transaction.atomic():
        r, frm, to = _relation_step(actor, relation, "dispute")
        r.dispute = inputs.text(reason, "reason", max_length=300)
        r.status, r.version = to, r.version + 1
        r.save(update_fields=["status", "dispute", "version"])
        events.record("supply.relation.disputed", r, actor=actor, relation=r, frm=frm, to=to, note=r.dispute)
    return r


def relation_end(*, actor, relation: Relation, reason: str) -> Relation:
    with transaction.atomic():
        r, frm, to = _relation_step(actor, relation, "end")
        note = inputs.text(reason, "reason", max_length=2000)
        r.status, r.version = to, r.version + 1
        r.save(update_fields=["status", "version"])
        events.record("supply.relation.ended", r, actor=actor, relation=r, frm=frm, to=to, note=note)
    return r


# --- the target library -----------------------------------------------------------------------------------------

def target_add(*, actor, name: str, region: str, segment: Segment | None = None, products: str = "",
               supplies=(), contacts: str = "", origin: str = Target.Origin.ENTERED) -> Target:
    _require(actor, "chain.add_target")
    name = inputs.text(name, "name", max_length=200, multiline=False)
    region = inputs.text(region, "region", max_length=60, multiline=False)
    origin = inputs.choice(origin, "origin", Target.Origin)
    if Target.objects.filter(name=name).exists():
        raise ValidationError({"name": _("This firm is already in the target library.")})
    if Enterprise.objects.filter(name=name).exists():
        raise ValidationError({"name": _("This firm is already in the zone's directory.")})
    with transaction.atomic():
        year = timezone.localdate().year
        t = Target.objects.create(
            number=f"ZS-{year}-{numbering.next_value(f'chain-target-{year}'):04d}", name=name, region=region,
            segment=segment, origin=origin, added_by=actor,
            products=inputs.text(products, "products", required=False, max_length=200, multiline=False),
            contacts=inputs.text(contacts, "contacts", required=False, max_length=2000))
        t.supplies.set(supplies)
        events.record("chain.target.added", t, actor=actor, target=t, data={"origin": origin})
    return t


def targets_propose(*, actor, chain: Chain) -> list[Target]:
    """Put into the library, as proposed from the gaps, every supplier outside the zone that the chain's 链主
    units buy from in a segment marked 缺链 or 弱链 (and that is not in the library yet)."""
    from . import selectors

    _require(actor, "chain.add_target")
    gaps = {s["id"] for s in selectors.chain_segments(chain) if s["coverage"] != graph.STRONG}
    made = []
    for p in selectors.gap_suppliers(chain, gaps):
        if Target.objects.filter(name=p["name"]).exists():
            continue
        made.append(target_add(actor=actor, name=p["name"], region=p["region"] or _("unknown"),
                               segment=p["segment"], products="、".join(p["products"])[:200],
                               supplies=p["customers"], origin=Target.Origin.GAP))
    return made


def target_drop(*, actor, target: Target, reason: str) -> Target:
    _require(actor, "chain.add_target")
    with transaction.atomic():
        t = Target.objects.select_for_update().get(pk=target.pk)
        if t.status != Target.Status.OPEN:
            raise ValidationError(_("Only an open target can be dropped."))
        t.status = Target.Status.DROPPED
        t.save(update_fields=["status"])
        events.record("chain.target.dropped", t, actor=actor, target=t, frm="open", to=t.status,
                      note=inputs.text(reason, "reason", max_length=300))
    return t


# --- campaigns and invitations ----------------------------------------------------------------------------------

def campaign_create(*, actor, name: str, held_on: date, team, description: str = "") -> Campaign:
    _require(actor, "chain.add_campaign")
    name = inputs.text(name, "name", max_length=100, multiline=False)
    if Campaign.objects.filter(name=name).exists():
        raise ValidationError({"name": _("There is already a campaign of this name.")})
    with transaction.atomic():
        c = Campaign.objects.create(name=name, held_on=held_on, team=team, created_by=actor,
                                    description=inputs.text(description, "description", required=False,
                                                            max_length=2000))
        events.record("chain.campaign.created", c, actor=actor, campaign=c, tell=False)
    return c


def invite(*, actor, campaign: Campaign, targets, expected_investment=None, on: date | None = None
           ) -> list[Invitation]:
    """Invite ``targets`` to ``campaign`` (a target invited already is left as it is)."""
    _require(actor, "chain.invite", campaign)
    on = on or timezone.localdate()
    if expected_investment not in (None, ""):
        expected_investment = inputs.decimal(expected_investment, "expected_investment", max_digits=16,
                                             min_value=Decimal("0.01"))
    else:
        expected_investment = None
    made = []
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        have = set(campaign.invitations.values_list("target_id", flat=True))
        for t in targets:
            if t.pk in have:
                continue
            if t.status != Target.Status.OPEN:
                raise ValidationError({"targets": _("%(name)s is no longer open.") % {"name": t.name}})
            inv = Invitation.objects.create(campaign=campaign, target=t, stage_since=on, invited_by=actor,
                                            expected_investment=expected_investment)
            events.record("chain.invitation.invited", inv, actor=actor, invitation=inv, target=t, to=inv.stage,
                          tell=False)
            made.append(inv)
    return made


def _invitation_step(actor, invitation: Invitation, name: str):
    inv = Invitation.objects.select_for_update(of=("self",)).select_related("campaign", "target__segment").get(
        pk=invitation.pk)
    frm = inv.stage
    to = CHAIN.begin(actor, name, inv)
    return inv, frm, to


def contact_record(*, actor, invitation: Invitation, kind: str, on: date, who: str, said: str) -> Contact:
    with transaction.atomic():
        inv, frm, _to = _invitation_step(actor, invitation, "contact")
        kind = inputs.choice(kind, "kind", Contact.Kind)
        if on > timezone.localdate():
            raise ValidationError({"on": _("A contact is recorded once it has happened.")})
        c = Contact.objects.create(invitation=inv, kind=kind, on=on, recorded_by=actor,
                                   who=inputs.text(who, "who", max_length=200, multiline=False),
                                   said=inputs.text(said, "said", max_length=5000))
        if inv.last_contact_on is None or on > inv.last_contact_on:
            inv.last_contact_on = on
            inv.save(update_fields=["last_contact_on"])
        events.record("chain.invitation.contacted", inv, actor=actor, invitation=inv, target=inv.target,
                      internal_note=c.said, data={"kind": kind, "on": on.isoformat(), "who": c.who})
    return c


def _move(actor, invitation, name, **extra):
    with transaction.atomic():
        inv, frm, to = _invitation_step(actor, invitation, name)
        inv.stage, inv.stage_since = to, timezone.localdate()
        for k, v in extra.items():
            setattr(inv, k, v)
        inv.save(update_fields=["stage", "stage_since", *extra])
        events.record(f"chain.invitation.{name}", inv, actor=actor, invitation=inv, target=inv.target, frm=frm,
                      to=to)
    return inv


def invitation_talks(*, actor, invitation: Invitation) -> Invitation:
    return _move(actor, invitation, "talks")


def invitation_intent(*, actor, invitation: Invitation, expected_investment) -> Invitation:
    amount = inputs.decimal(expected_investment, "expected_investment", max_digits=16, min_value=Decimal("0.01"))
    return _move(actor, invitation, "intent", expected_investment=amount)


def invitation_decline(*, actor, invitation: Invitation, reason: str) -> Invitation:
    with transaction.atomic():
        inv, frm, to = _invitation_step(actor, invitation, "decline")
        note = inputs.text(reason, "reason", max_length=2000)
        inv.stage, inv.stage_since = to, timezone.localdate()
        inv.save(update_fields=["stage", "stage_since"])
        events.record("chain.invitation.declined", inv, actor=actor, invitation=inv, target=inv.target, frm=frm,
                      to=to, internal_note=note)
    return inv


def invitation_sign(*, actor, invitation: Invitation, project_name: str, investment, bureau,
                    signed_on: date) -> Invitation:
    """The target signs: a returned project (回归项目) opens in the pipeline at the signed stage, traced to this
    invitation; the target is signed; the signing official follows the project as its steward."""
    from yingshang.projects import services as projects
    from yingshang.projects.models import Stage as ProjectStage

    with transaction.atomic():
        inv, frm, to = _invitation_step(actor, invitation, "sign")
        if signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("A signing is recorded once it has happened.")})
        amount = inputs.decimal(investment, "investment", max_digits=16, min_value=Decimal("0.01"))
        t = inv.target
        project = projects.project_create(
            actor=actor, stage=ProjectStage.SIGNED, stage_since=signed_on,
            name=inputs.text(project_name, "project_name", max_length=200, multiline=False),
            investor_name=t.name, bureau=bureau, investment=amount, is_returned=True,
            returned_from=t.region[:100], industry=(t.segment.name if t.segment_id else "")[:60], steward=actor,
            first_contact_on=inv.campaign.held_on, target_signing=signed_on)
        inv.stage, inv.stage_since, inv.project = to, signed_on, project
        inv.save(update_fields=["stage", "stage_since", "project"])
        Target.objects.filter(pk=t.pk).update(status=Target.Status.SIGNED)
        events.record("chain.invitation.signed", inv, actor=actor, invitation=inv, target=t, frm=frm, to=to,
                      data={"project": project.number, "investment": str(amount), "on": signed_on.isoformat()})
    return inv
