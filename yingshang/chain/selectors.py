"""Reads of the chains and 招商: the segment tree with how well each segment is covered, the chain map, who
depends on a firm downstream (and which 链主 plants a firm in trouble would stop), a firm's place on the chain,
the target library, the recruiting board."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from yingshang.directory.models import Enterprise

from . import graph
from .models import STAGE_ORDER, Campaign, Chain, Invitation, Placement, Relation, Segment, Stage, Target

LIVE = ~Q(status=Relation.Status.ENDED)


def chains() -> QuerySet[Chain]:
    return Chain.objects.select_related("chief", "office").prefetch_related("anchors").annotate(
        n_segments=Count("segments", distinct=True))


def anchor_firm_ids(chain: Chain | None = None) -> set[int]:
    """The 链主 firms of ``chain`` (of every chain without one) and the units of their groups (the plants)."""
    qs = Chain.anchors.through.objects.all()
    if chain is not None:
        qs = qs.filter(chain_id=chain.pk)
    anchors = set(qs.values_list("enterprise_id", flat=True))
    groups = set(Enterprise.objects.filter(pk__in=anchors, group__isnull=False).values_list("group_id", flat=True))
    return anchors | set(Enterprise.objects.filter(group_id__in=groups).values_list("pk", flat=True))


def chain_segments(chain: Chain, *, with_firms: bool = False) -> list[dict]:
    """The chain's segments in tree order, each with its depth, its own local firms and its coverage (by the
    firms on it and on every segment under it)."""
    segs = list(Segment.objects.filter(chain=chain).values("id", "parent_id", "name", "position", "is_key", "order"))
    placed = defaultdict(list)
    for p in (Placement.objects.filter(segment__chain=chain, active=True)
              .values("segment_id", "enterprise_id", "enterprise__name", "enterprise__size", "products")):
        placed[p["segment_id"]].append({"id": p["enterprise_id"], "name": p["enterprise__name"],
                                        "size": p["enterprise__size"], "products": p["products"]})
    children = defaultdict(list)
    for s in sorted(segs, key=lambda s: (s["order"], s["id"])):
        children[s["parent_id"]].append(s["id"])
    by_id = {s["id"]: s for s in segs}
    out = []

    def walk(node, depth):
        s = by_id[node]
        under = graph.subtree(children, node)
        sizes = [f["size"] for n in under for f in placed[n]]
        firms = {f["id"] for n in under for f in placed[n]}
        out.append({**s, "depth": depth, "coverage": graph.coverage(sizes), "n_firms": len(firms),
                    "firms": placed[node] if with_firms else [], "n_own": len(placed[node]),
                    "leaf": not children[node]})
        for c in children[node]:
            walk(c, depth + 1)

    for root in children[None]:
        walk(root, 0)
    return out


COLOURS = {graph.GAP: "#dc3545", graph.WEAK: "#fd7e14", graph.STRONG: "#198754"}


def chain_map(chain: Chain, *, segment: int | None = None, rows: list[dict] | None = None) -> dict:
    """The ECharts tree of the chain (or of one segment and what is under it): segments coloured by coverage,
    the local firms on each as leaves that link to their file. ``rows``: ``chain_segments(chain, with_firms=True)``
    when the caller has it already."""
    rows = chain_segments(chain, with_firms=True) if rows is None else rows
    nodes = {r["id"]: {"name": r["name"], "id": f"s{r['id']}", "coverage": r["coverage"],
                       "itemStyle": {"color": COLOURS[r["coverage"]]}, "children": [],
                       "label": {"fontWeight": "bold" if r["is_key"] else "normal"}} for r in rows}
    roots = []
    for r in rows:
        node = nodes[r["id"]]
        node["children"].extend({"name": f["name"], "id": f"e{f['id']}-{r['id']}", "firm": f["id"],
                                 "itemStyle": {"color": "#0d6efd"}} for f in r["firms"])
        (nodes[r["parent_id"]]["children"] if r["parent_id"] else roots).append(node)
    if segment is not None and segment in nodes:
        roots = [nodes[segment]]
    return {"name": chain.name, "id": f"c{chain.pk}", "children": roots, "itemStyle": {"color": "#6c757d"}}


def gap_suppliers(chain: Chain, segment_ids: set[int]) -> list[dict]:
    """The suppliers outside the zone that the 链主's units buy from in ``segment_ids``: name, region, the segment,
    the products, the local customers."""
    anchors = anchor_firm_ids(chain)
    found: dict[str, dict] = {}
    for r in (Relation.objects.filter(LIVE, supplier__isnull=True, segment_id__in=segment_ids,
                                      customer_id__in=anchors).select_related("segment", "customer")
              .order_by("segment__order", "id")):
        p = found.setdefault(r.supplier_name, {"name": r.supplier_name, "region": r.supplier_region,
                                               "segment": r.segment, "products": [], "customers": []})
        if r.product not in p["products"]:
            p["products"].append(r.product)
        if r.customer not in p["customers"]:
            p["customers"].append(r.customer)
    return list(found.values())


def chain_gaps(chain: Chain, *, rows: list[dict] | None = None) -> list[dict]:
    """The segments marked 缺链 or 弱链 (leaves and key segments), with the outside suppliers the 链主 buy from in
    each and whether each is in the target library already."""
    rows = [dict(s) for s in (chain_segments(chain) if rows is None else rows)
            if s["coverage"] != graph.STRONG and (s["leaf"] or s["is_key"])]
    outside = defaultdict(list)
    for p in gap_suppliers(chain, {s["id"] for s in rows}):
        outside[p["segment"].pk].append(p)
    in_library = set(Target.objects.filter(name__in=[p["name"] for ps in outside.values() for p in ps])
                     .values_list("name", flat=True))
    for s in rows:
        s["outside"] = [{**p, "in_library": p["name"] in in_library} for p in outside[s["id"]]]
        s["n_targets"] = 0
    counts = dict(Target.objects.filter(segment_id__in=[s["id"] for s in rows], status=Target.Status.OPEN)
                  .values_list("segment_id").annotate(n=Count("id")).values_list("segment_id", "n"))
    for s in rows:
        s["n_targets"] = counts.get(s["id"], 0)
    return rows


# --- supply and impact ------------------------------------------------------------------------------------------

_GRAPH: dict = {}


def _graph_stamp() -> tuple:
    """Changes whenever a relation is added or changes state (each change raises its version) or a chain's
    leading firms change: the cached graph is read again then."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MAX(id), SUM(version), SUM(customer_id), SUM(COALESCE(supplier_id, 0)) "
                       "FROM chain_relation")
        relations = cursor.fetchone()
        cursor.execute("SELECT COUNT(*), MAX(id), SUM(enterprise_id) FROM chain_chain_anchors")
        anchors = cursor.fetchone()
        cursor.execute("SELECT COUNT(*), MAX(id), SUM(group_id) FROM directory_enterprise WHERE group_id IS NOT NULL")
        grouped = cursor.fetchone()
    return (connection.alias, connection.settings_dict.get("NAME"), *relations, *anchors, *grouped)


def supply_graph(*, fresh: bool = False) -> dict[int, list[int]]:
    """supplier → the local firms it supplies (live relations between firms of the zone); kept in the process
    until a relation or a chain's leading firms change."""
    return _graph_state(fresh=fresh)[0]


def _graph_state(*, fresh: bool = False) -> tuple[dict[int, list[int]], set[int]]:
    stamp = _graph_stamp()
    if fresh or _GRAPH.get("stamp") != stamp:
        out: dict[int, list[int]] = defaultdict(list)
        for s, c in Relation.objects.filter(LIVE, supplier__isnull=False).values_list("supplier_id", "customer_id"):
            out[s].append(c)
        _GRAPH.update(stamp=stamp, customers=dict(out), anchors=anchor_firm_ids())
    return _GRAPH["customers"], _GRAPH["anchors"]


def impact(enterprise_id: int, *, customers=None, anchors: set[int] | None = None) -> list[dict]:
    """Every firm that depends on ``enterprise_id`` downstream, nearest first: its depth, the firm it is reached
    through, whether it is a 链主 plant."""
    if customers is None or anchors is None:
        customers, anchors = _graph_state()
    found = graph.downstream(customers, enterprise_id)
    if not found:
        return []
    names = dict(Enterprise.objects.filter(pk__in=[*found, enterprise_id]).values_list("pk", "name"))
    rows = [{"id": f, "name": names.get(f, ""), "depth": d, "via": via, "via_name": names.get(via, ""),
             "anchor": f in anchors, "path": [names.get(x, "") for x in graph.path_to(found, enterprise_id, f)]}
            for f, (d, via) in found.items()]
    return sorted(rows, key=lambda r: (r["depth"], not r["anchor"], r["name"]))


def troubles(enterprise_ids=None) -> dict[int, list[str]]:
    """Firms in trouble now and why: an open urgent problem, a 保供 status at risk or stopped, the black list."""
    from yingshang.credit.models import ListEntry
    from yingshang.service.models import SupplyWatch
    from yingshang.tickets.models import OPEN, Ticket, Urgency

    why: dict[int, list[str]] = defaultdict(list)

    def scoped(qs, field="enterprise_id"):
        return qs if enterprise_ids is None else qs.filter(**{f"{field}__in": list(enterprise_ids)})

    for e in scoped(Ticket.objects.filter(urgency=Urgency.URGENT, status__in=sorted(OPEN))).order_by().values_list(
            "enterprise_id", flat=True).distinct():
        why[e].append("urgent")
    for e, s in scoped(SupplyWatch.objects.filter(status__in=[SupplyWatch.Status.AT_RISK,
                                                              SupplyWatch.Status.STOPPED],
                                                  taskforce__status="active")).values_list("enterprise_id", "status"):
        if s not in why[e]:
            why[e].append(s)
    for e in scoped(ListEntry.objects.filter(kind=ListEntry.Kind.BLACK, status=ListEntry.Status.ACTIVE)).values_list(
            "enterprise_id", flat=True).distinct():
        if "black" not in why[e]:
            why[e].append("black")
    return dict(why)


def impact_board(*, limit: int = 20) -> list[dict]:
    """The firms in trouble whose trouble reaches a 链主 plant through supply: which plants, how far."""
    customers, anchors = _graph_state()
    trouble = troubles([s for s in customers])
    names = dict(Enterprise.objects.filter(pk__in=trouble).values_list("pk", "name"))
    out = []
    for firm, why in trouble.items():
        hit = [r for r in impact(firm, customers=customers, anchors=anchors) if r["anchor"]]
        if hit:
            out.append({"id": firm, "name": names.get(firm, ""), "why": why, "plants": hit})
    out.sort(key=lambda r: ("stopped" not in r["why"], -len(r["plants"]), r["name"]))
    return out[:limit]


def relations(*, q: str = "", status: str = "", chain: int | None = None, outside: str = "",
              enterprise: int | None = None) -> QuerySet[Relation]:
    qs = Relation.objects.select_related("supplier", "customer", "segment__chain")
    if q:
        qs = qs.filter(Q(supplier__name__icontains=q) | Q(supplier_name__icontains=q) | Q(customer__name__icontains=q)
                       | Q(product__icontains=q))
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(LIVE)
    if chain:
        qs = qs.filter(segment__chain_id=chain)
    if outside == "yes":
        qs = qs.filter(supplier__isnull=True)
    elif outside == "no":
        qs = qs.filter(supplier__isnull=False)
    if enterprise:
        qs = qs.filter(Q(supplier_id=enterprise) | Q(customer_id=enterprise))
    return qs.order_by("customer__name", "product", "id")


def firm_place(enterprise: Enterprise) -> dict:
    """Where a firm sits on the chains and who it supplies and is supplied by."""
    placements = list(Placement.objects.filter(enterprise=enterprise, active=True)
                      .select_related("segment__chain", "segment__parent"))
    rels = list(relations(enterprise=enterprise.pk))
    return {"placements": placements, "supplies": [r for r in rels if r.supplier_id == enterprise.pk],
            "supplied_by": [r for r in rels if r.customer_id == enterprise.pk]}


# --- targets and the recruiting board --------------------------------------------------------------------------

def targets(*, q: str = "", status: str = "", segment: int | None = None, chain: int | None = None,
            origin: str = "") -> QuerySet[Target]:
    qs = Target.objects.select_related("segment__chain").annotate(
        n_invitations=Count("invitations", distinct=True))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(products__icontains=q) | Q(region__icontains=q) | Q(number=q.upper()))
    if status:
        qs = qs.filter(status=status)
    if segment:
        qs = qs.filter(segment_id=segment)
    if chain:
        qs = qs.filter(segment__chain_id=chain)
    if origin:
        qs = qs.filter(origin=origin)
    return qs.order_by("-created_at", "-id")


def invitations(campaign: Campaign) -> QuerySet[Invitation]:
    return campaign.invitations.select_related("target__segment", "project").order_by("target__name")


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("team").annotate(
        n=Count("invitations"), n_signed=Count("invitations", filter=Q(invitations__stage=Stage.SIGNED)),
        signed=Sum("invitations__project__investment", filter=Q(invitations__stage=Stage.SIGNED)))


def _rate(n: int, d: int) -> float | None:
    return round(100 * n / d, 1) if d else None


def board(*, campaign: int | None = None, today: date | None = None) -> dict:
    """The recruiting team's board: invitations by stage and segment, the ones not contacted for a while,
    conversion by campaign and by segment, investment expected and signed."""
    today = today or timezone.localdate()
    qs = Invitation.objects.select_related("target__segment", "campaign", "project")
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    rows = list(qs)
    stages = [s for s in STAGE_ORDER] + [Stage.DECLINED]
    by_segment: dict[str, dict] = {}
    by_campaign: dict[int, dict] = {}
    totals = {s: 0 for s in stages}
    expected = signed = Decimal(0)
    stale = []
    for inv in rows:
        seg = inv.target.segment.name if inv.target.segment_id else "—"
        cell = by_segment.setdefault(seg, {"segment": seg, **{s: 0 for s in stages}, "n": 0})
        cell[inv.stage] += 1
        cell["n"] += 1
        camp = by_campaign.setdefault(inv.campaign_id, {"campaign": inv.campaign, "n": 0, "signed": 0,
                                                         "investment": Decimal(0)})
        camp["n"] += 1
        totals[inv.stage] += 1
        if inv.stage == Stage.SIGNED:
            camp["signed"] += 1
            amount = inv.project.investment if inv.project_id else Decimal(0)
            camp["investment"] += amount
            signed += amount
        elif inv.stage != Stage.DECLINED:
            expected += inv.expected_investment or 0
            last = inv.last_contact_on or inv.stage_since
            stale.append({"inv": inv, "days": (today - last).days})
    for c in by_campaign.values():
        c["rate"] = _rate(c["signed"], c["n"])
    for s in by_segment.values():
        s["rate"] = _rate(s[Stage.SIGNED], s["n"])
    stale.sort(key=lambda r: -r["days"])
    return {"stages": [(s, Stage(s).label) for s in stages], "totals": totals, "n": len(rows),
            "by_segment": sorted(by_segment.values(), key=lambda r: -r["n"]),
            "by_campaign": sorted(by_campaign.values(), key=lambda r: r["campaign"].held_on, reverse=True),
            "stale": stale[:30], "expected": expected, "signed": signed,
            "rate": _rate(totals[Stage.SIGNED], len(rows))}


# --- 选址会商 and 要素保障调度 -------------------------------------------------------------------------------------

def consultations() -> QuerySet:
    from .models import Consultation

    return Consultation.objects.select_related("project", "chosen_site", "convened_by").annotate(
        n_opinions=Count("opinions"), n_given=Count("opinions", filter=Q(opinions__given_on__isnull=False)))


def projects_before_land() -> QuerySet:
    from yingshang.projects.models import LANDED, Project, Stage as ProjectStage

    return Project.objects.exclude(stage__in=[*LANDED, ProjectStage.DROPPED]).order_by("name")


def _need_month(p, factor):
    from . import balance

    d = (p.target_start or p.starts_on or p.target_production) if factor == "land" else \
        (p.target_production or p.target_start or p.starts_on)
    return balance.month_of(d) if d else None


def factor_balance(*, start: date | None = None, months: int = 24) -> dict:
    """The balance of land, power, water and gas per area of the zone for ``months`` months from ``start``'s
    month: what projects need by then against the capacity suppliers deliver, with the shortfalls; the projects
    left out (no place on the map, no dates)."""
    from yingshang.core import geo
    from yingshang.projects.models import Project, Stage as ProjectStage
    from yingshang.tickets.models import Ticket

    from . import balance
    from .models import Capacity, Decision, Factor

    start = balance.month_of(start or timezone.localdate())
    month_list = balance.months_from(start, months)
    features = geo.zone_map()["features"]
    needs, unplaced = [], []
    fields = {"land": "land_mu", "power": "power_kva", "water": "water_t_day", "gas": "gas_m3_day"}
    for p in Project.objects.exclude(stage=ProjectStage.DROPPED).only(
            "pk", "number", "name", "lng", "lat", "target_start", "starts_on", "target_production", *fields.values()):
        wanted = {f: getattr(p, field) for f, field in fields.items() if getattr(p, field)}
        if not wanted:
            continue
        area = geo.area_of(float(p.lng), float(p.lat), features) if p.lng is not None and p.lat is not None else None
        if not area:
            unplaced.append(p)
            continue
        for f, amount in wanted.items():
            m = _need_month(p, f)
            if m is None:
                unplaced.append(p)
                break
            needs.append(balance.Flow(area, f, m, Decimal(amount)))
    supplies = [balance.Flow(c.area, c.factor, c.month, c.amount) for c in Capacity.objects.all()]
    delivered = Decision.objects.filter(ticket__status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED]).values_list(
        "area", "factor", "amount", "ticket__resolved_at")
    for area, f, amount, at in delivered:
        supplies.append(balance.Flow(area, f, balance.month_of(timezone.localtime(at).date()), amount))
    table = balance.compute(needs, supplies, month_list)
    labels = dict(Factor.choices)
    rows = [{"area": a, "factor": f, "factor_label": labels[f], "months": r, "first_short": balance.first_shortfall(r)}
            for (a, f), r in table.items()]
    rows.sort(key=lambda r: (r["first_short"] is None, r["first_short"] or start, r["area"], r["factor"]))
    return {"months": month_list, "rows": rows, "unplaced": list({p.pk: p for p in unplaced}.values()),
            "shortfalls": [r for r in rows if r["first_short"]]}
