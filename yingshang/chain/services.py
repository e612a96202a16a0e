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
from yingshang.core.actions import IllegalTransition
from yingshang.core.tabular import ImportReport, RowError, parse_date, rows_with_columns
from yingshang.core.uscc import normalize_uscc
from yingshang.directory.models import Enterprise

from . import graph
from .actions import chain as CHAIN
from .actions import supply as SUPPLY
from .models import (Campaign, Capacity, Chain, Consultation, Contact, Decision, Factor, Invitation, LandStatus,
                     Meeting, Opinion, Placement, Position, Relation, Segment, Site, Target)
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


# --- 选址会商 --------------------------------------------------------------------------------------------------

def site_add(*, actor, name: str, lng, lat, area_mu, land_status: str, planned_use: str = "") -> Site:
    """A candidate site on the zone's map (its area of the zone found from the point)."""
    from yingshang.core import geo

    _require(actor, "chain.add_site")
    name = inputs.text(name, "name", max_length=100, multiline=False)
    errors = geo.coordinate_errors(lng, lat)
    if errors:
        raise ValidationError(errors)
    land_status = inputs.choice(land_status, "land_status", LandStatus)
    area_mu = inputs.decimal(area_mu, "area_mu", max_digits=10, min_value=Decimal("0.01"))
    if Site.objects.filter(name=name).exists():
        raise ValidationError({"name": _("There is already a site of this name.")})
    area = geo.area_of(float(lng), float(lat), geo.zone_map()["features"]) or ""
    with transaction.atomic():
        s = Site.objects.create(name=name, lng=Decimal(str(lng)), lat=Decimal(str(lat)), area=area, area_mu=area_mu,
                                land_status=land_status, added_by=actor,
                                planned_use=inputs.text(planned_use, "planned_use", required=False, max_length=100,
                                                        multiline=False))
    return s


def consultation_convene(*, actor, project, meets_on: date, sites, departments, limit_days: int = 5,
                         agenda: str = "") -> Consultation:
    """Call a site consultation for a project before land: each department named owes a written opinion within
    ``limit_days`` working days of the meeting."""
    from yingshang.core import workdays
    from yingshang.projects.models import LANDED, Stage as ProjectStage

    if not may(actor, "projects.manage", project):
        raise _denied()
    limit_days = inputs.integer(limit_days, "limit_days", min_value=1, max_value=60)
    errors = {}
    if project.stage in LANDED or project.stage == ProjectStage.DROPPED:
        errors["project"] = _("A site is consulted on before the project has its land.")
    if not sites:
        errors["sites"] = _("Name at least one candidate site.")
    if not departments:
        errors["departments"] = _("Name the departments that must give an opinion.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        year = meets_on.year
        c = Consultation.objects.create(
            number=f"XZ-{year}-{numbering.next_value(f'chain-consultation-{year}'):04d}", project=project,
            meets_on=meets_on, limit_days=limit_days, due_on=workdays.add_workdays(meets_on, limit_days),
            agenda=inputs.text(agenda, "agenda", required=False, max_length=2000), convened_by=actor)
        c.sites.set(sites)
        Opinion.objects.bulk_create([Opinion(consultation=c, department=d) for d in departments])
        events.record("chain.consultation.convened", c, actor=actor, consultation=c, to=c.status,
                      data={"departments": sorted(d.pk for d in departments), "due_on": c.due_on.isoformat()})
    return c


def opinion_give(*, actor, opinion: Opinion, view: str, text: str, conditions: str = "",
                 site: Site | None = None) -> Opinion:
    """The department's written opinion (given once; after the limit it is recorded as late)."""
    from yingshang.directory.permissions import department_ids_of

    if opinion.department_id not in department_ids_of(actor) or not roles.is_staff_member(actor):
        raise _denied()
    with transaction.atomic():
        o = Opinion.objects.select_for_update().select_related("consultation").get(pk=opinion.pk)
        if o.consultation.status != Consultation.Status.OPEN or o.given_on is not None:
            raise IllegalTransition("opinion", "given" if o.given_on else o.consultation.status)
        o.view = inputs.choice(view, "view", Opinion.View)
        o.text = inputs.text(text, "text", max_length=5000)
        o.conditions = inputs.text(conditions, "conditions", required=False, max_length=5000)
        if o.view == Opinion.View.CONDITIONAL and not o.condition_list:
            raise ValidationError({"conditions": _("Write the conditions, one per line.")})
        if site is not None and not o.consultation.sites.filter(pk=site.pk).exists():
            raise ValidationError({"site": _("Choose one of the candidate sites.")})
        o.site, o.given_by, o.given_on = site, actor, timezone.localdate()
        o.save()
        events.record("chain.consultation.opinion_given", o.consultation, actor=actor, consultation=o.consultation,
                      note=o.text, data={"department": o.department_id, "view": o.view, "late": o.late})
    return o


def consultation_conclude(*, actor, consultation: Consultation, site: Site, conclusion: str) -> Consultation:
    """The conclusion: the chosen site (the project's site from now on) and the conditions of the opinions, each
    becoming a step of the project's task list for the department that set it. Concluded once every opinion is
    in, or once the limit has passed (an opinion still missing is recorded as such)."""
    from yingshang.projects import services as projects
    from yingshang.projects.models import Phase

    if not may(actor, "projects.manage", consultation.project):
        raise _denied()
    with transaction.atomic():
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if c.status != Consultation.Status.OPEN:
            raise IllegalTransition("conclude", c.status)
        opinions = list(c.opinions.select_related("department"))
        missing = [o for o in opinions if o.given_on is None]
        if missing and timezone.localdate() <= c.due_on:
            raise ValidationError(_("Waiting for %(depts)s until %(due)s.") % {
                "depts": "、".join(o.department.name for o in missing), "due": c.due_on.isoformat()})
        if not c.sites.filter(pk=site.pk).exists():
            raise ValidationError({"site": _("Choose one of the candidate sites.")})
        c.chosen_site, c.status, c.concluded_on = site, Consultation.Status.CONCLUDED, timezone.localdate()
        c.conclusion = inputs.text(conclusion, "conclusion", max_length=5000)
        c.save(update_fields=["chosen_site", "status", "concluded_on", "conclusion"])
        project = c.project
        projects.project_update(actor=actor, project=project, site=site.name[:200], lng=site.lng, lat=site.lat,
                                land_mu=project.land_mu or site.area_mu)
        steps = []
        for o in opinions:
            for i, cond in enumerate(o.condition_list, 1):
                steps.append(projects.step_add(
                    actor=actor, project=project, code=f"XZ{c.pk}-{o.department_id}-{i}"[:20], name=cond[:100],
                    phase=Phase.PARALLEL, department=o.department, statutory_days=c.limit_days * 2,
                    committed_days=c.limit_days * 2))
        events.record("chain.consultation.concluded", c, actor=actor, consultation=c, frm="open", to=c.status,
                      note=c.conclusion, data={"site": site.pk, "steps": [s.pk for s in steps],
                                               "missing": [o.department_id for o in missing]})
    return c


# --- 要素保障调度 --------------------------------------------------------------------------------------------------

def capacity_record(*, actor, area: str, factor: str, month: date, amount, department, note: str = "") -> Capacity:
    """What ``department`` can deliver in ``area`` from ``month`` on."""
    from yingshang.core import geo

    _require(actor, "chain.record_capacity", department)
    areas = [f["properties"].get("name") for f in geo.zone_map()["features"]]
    if area not in areas:
        raise ValidationError({"area": _("Choose an area of the zone.")})
    factor = inputs.choice(factor, "factor", Factor)
    amount = inputs.decimal(amount, "amount", max_digits=12, min_value=Decimal(0))
    with transaction.atomic():
        cap = Capacity.objects.create(area=area, factor=factor, month=month.replace(day=1), amount=amount,
                                      department=department, recorded_by=actor,
                                      note=inputs.text(note, "note", required=False, max_length=200,
                                                       multiline=False))
        events.record("chain.capacity.recorded", cap, actor=actor, tell=False,
                      data={"area": area, "factor": factor, "month": cap.month.isoformat(), "amount": str(amount),
                            "department": department.pk})
    return cap


def meeting_hold(*, actor, title: str, held_on: date, notes: str = "") -> Meeting:
    _require(actor, "chain.dispatch")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A meeting is recorded once it has been held.")})
    with transaction.atomic():
        m = Meeting.objects.create(title=inputs.text(title, "title", max_length=100, multiline=False),
                                   held_on=held_on, chaired_by=actor,
                                   notes=inputs.text(notes, "notes", required=False, max_length=5000))
        events.record("chain.meeting.held", m, actor=actor, meeting=m, tell=False)
    return m


FACTOR_CATEGORY = {"land": "土地征收与供应", "power": "供电", "water": "供水排水", "gas": "燃气"}
FACTOR_FIELD = {"land": "land_mu", "power": "power_kva", "water": "water_t_day", "gas": "gas_m3_day"}


def decision_record(*, actor, meeting: Meeting, project, factor: str, amount, department, what: str,
                    due_on: date) -> Decision:
    """A decision of the meeting: ``department`` delivers ``amount`` of ``factor`` to ``project`` by ``due_on``.
    It goes into the ledger as a problem of the project's firm, dispatched to the supplier on the meeting's
    decision, with the project's reference; its resolution counts as delivered in the balance."""
    from yingshang.core import geo
    from yingshang.tickets import services as tickets
    from yingshang.tickets.models import Category

    _require(actor, "chain.dispatch")
    factor = inputs.choice(factor, "factor", Factor)
    amount = inputs.decimal(amount, "amount", max_digits=12, min_value=Decimal("0.01"))
    what = inputs.text(what, "what", max_length=200, multiline=False)
    errors = {}
    if project.investor_id is None:
        errors["project"] = _("The project's investor is not registered in the zone yet: its problems cannot be "
                              "filed.")
    if project.lng is None or project.lat is None:
        errors["project"] = _("Put the project on the map first: its area decides whose capacity it draws on.")
    if due_on < meeting.held_on:
        errors["due_on"] = _("A decision is due after the meeting.")
    if errors:
        raise ValidationError(errors)
    area = geo.area_of(float(project.lng), float(project.lat), geo.zone_map()["features"]) or ""
    category = Category.objects.filter(name=FACTOR_CATEGORY[factor], parent__isnull=False).first() \
        or Category.objects.filter(parent__isnull=False, active=True).first()
    with transaction.atomic():
        t = tickets.ticket_register(
            actor=actor, enterprise=project.investor, category=category, channel="onsite",
            title=f"要素保障：{what}"[:120], project_ref=project.number,
            description=f"{meeting.held_on:%Y-%m-%d}「{meeting.title}」决定：{department.name}于{due_on:%Y-%m-%d}前"
                        f"为{project.name}保障{Factor(factor).label} {amount}。")
        if t.lead_department_id is None:
            t = tickets.ticket_dispatch(actor=None, ticket=t, lead_department=department,
                                        note=f"要素保障调度会决定，{due_on:%Y-%m-%d}前完成。")
        d = Decision.objects.create(meeting=meeting, project=project, area=area, factor=factor, amount=amount,
                                    department=department, what=what, due_on=due_on, ticket=t)
        events.record("chain.meeting.decided", meeting, actor=actor, meeting=meeting, note=what,
                      data={"decision": d.pk, "ticket": t.number, "project": project.number})
    return d


TARGET_COLUMNS = [("企业名称", True), ("所在地", True), ("产业链", False), ("环节", False), ("产品", False),
                  ("已配套的区内企业", False), ("联系人", False)]


def targets_import(*, actor, data: bytes, filename: str) -> ImportReport:
    """Targets from the XLSX/CSV template (已配套的区内企业: credit codes separated by 、 or commas); every row is
    checked first; any error, nothing is written."""
    _require(actor, "chain.add_target")
    report = ImportReport()
    rows = rows_with_columns(report, data, filename, [h for h, required in TARGET_COLUMNS if required])
    if rows is None:
        return report
    segments = {(s.chain.name, s.name): s for s in Segment.objects.select_related("chain")}
    by_name = {}
    for s in segments.values():
        by_name.setdefault(s.name, []).append(s)
    firms = {e.uscc: e for e in Enterprise.objects.only("pk", "uscc")}
    have = set(Target.objects.values_list("name", flat=True)) | set(Enterprise.objects.values_list("name", flat=True))
    built, names = [], set()
    for number, row in rows:
        def err(col, msg, number=number):
            report.errors.append(RowError(number, col, msg))

        name, region = row.get("企业名称", "").strip(), row.get("所在地", "").strip()
        if not name or not region:
            err("企业名称" if not name else "所在地", _("Required."))
            continue
        if name in have or name in names:
            err("企业名称", _("This firm is already in the target library or the zone's directory."))
            continue
        seg_name, chain_name = row.get("环节", "").strip(), row.get("产业链", "").strip()
        segment = None
        if seg_name:
            found = [segments[(chain_name, seg_name)]] if (chain_name, seg_name) in segments else \
                ([] if chain_name else by_name.get(seg_name, []))
            if len(found) != 1:
                err("环节", _("No segment of this name.") if not found else _("Name the chain too."))
                continue
            segment = found[0]
        supplies = []
        for code in (row.get("已配套的区内企业", "").replace("，", ",").replace("、", ",")).split(","):
            code = normalize_uscc(code)
            if code:
                if code not in firms:
                    err("已配套的区内企业", _("No enterprise with this credit code."))
                    break
                supplies.append(firms[code])
        else:
            names.add(name)
            built.append({"name": name, "region": region, "segment": segment, "supplies": supplies,
                          "products": row.get("产品", ""), "contacts": row.get("联系人", "")})
    if report.errors:
        return report
    with transaction.atomic():
        for b in built:
            target_add(actor=actor, origin=Target.Origin.IMPORTED, **b)
    report.created = len(built)
    return report
