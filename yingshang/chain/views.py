"""The pages of the chains and 招商: the chains and the firms in trouble that reach a 链主 plant, a chain's map
and gaps, a segment, the supply relations (entered, imported, exported; confirmed by the firms), a firm's
impact downstream, the target library, the campaigns and their invitations, the recruiting board, and a firm's
own place on the chain."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from yingshang.core import actionforms, exports, inputs
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors
from yingshang.core.tabular import TableError
from yingshang.directory.models import Enterprise, EnterpriseMember

from . import forms, graph, selectors, services
from .actions import chain as CHAIN
from .actions import supply as SUPPLY
from .models import Campaign, Chain, Invitation, Placement, Relation, Segment, Stage, Target
from .permissions import may

TROUBLE = {"urgent": gettext_lazy("open urgent problem"), "at_risk": gettext_lazy("supply at risk"),
           "stopped": gettext_lazy("supply stopped"), "black": gettext_lazy("black list")}


def _staff(request):
    if not may(request.user, "chain.view"):
        raise PermissionDenied


def _int(request, name):
    v = request.GET.get(name, "")
    return inputs.object_id(v, name) if v else None


def _trouble_words(why):
    return [str(TROUBLE[w]) for w in why]


@login_required
def chains(request):
    _staff(request)
    rows = []
    for c in selectors.chains():
        segs = selectors.chain_segments(c)
        cov = {k: sum(1 for s in segs if s["coverage"] == k and s["leaf"]) for k in (graph.GAP, graph.WEAK, graph.STRONG)}
        rows.append({"chain": c, "coverage": cov, "n": len(segs)})
    board = selectors.impact_board()
    for b in board:
        b["why_words"] = _trouble_words(b["why"])
    return render(request, "chain/chains.html", {
        "rows": rows, "board": board, "can_add": may(request.user, "chain.add_chain"), "form": forms.ChainForm()})


@login_required
@require_POST
def chain_new(request):
    if not may(request.user, "chain.add_chain"):
        raise PermissionDenied
    form = forms.ChainForm(request.POST)
    if form.is_valid():
        try:
            c = services.chain_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Chain set up."))
            return redirect("chain:chain", pk=c.pk)
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("chain:chains")


def _chain_page(request, c: Chain, bound=None, status=200):
    seg = _int(request, "segment")
    segs = selectors.chain_segments(c, with_firms=True)
    ctx = {"c": c, "segments": segs, "segment": seg, "gaps": selectors.chain_gaps(c, rows=segs),
           "tree": selectors.chain_map(c, segment=seg, rows=segs),
           "firm_url": reverse("directory:enterprise", args=[0]).replace("/0/", "/{id}/"),
           "can_manage": may(request.user, "chain.manage_chain", c),
           "can_target": may(request.user, "chain.add_target"),
           "segment_form": forms.SegmentForm(chain=c), "anchors": list(c.anchors.all())}
    ctx.update(bound or {})
    return render(request, "chain/chain.html", ctx, status=status)


@login_required
def chain(request, pk: int):
    _staff(request)
    return _chain_page(request, get_object_or_404(Chain.objects.select_related("chief", "office"), pk=pk))


@login_required
@require_POST
def chain_act(request, pk: int, action: str):
    _staff(request)
    c = get_object_or_404(Chain, pk=pk)
    if action not in ("segment", "propose"):
        raise Http404
    perm = "chain.add_target" if action == "propose" else "chain.manage_chain"
    if not may(request.user, perm, c):  # who may act, before what they sent is read
        raise PermissionDenied
    bound = {}
    try:
        if action == "segment":
            form = bound["segment_form"] = forms.SegmentForm(request.POST, chain=c)
            if not form.is_valid():
                raise ValidationError(_("Check the form."))
            services.segment_add(actor=request.user, chain=c, **form.cleaned_data)
            messages.success(request, _("Segment added."))
        else:
            made = services.targets_propose(actor=request.user, chain=c)
            messages.success(request, ngettext("%(n)d target proposed from the gaps.",
                                               "%(n)d targets proposed from the gaps.", len(made)) % {"n": len(made)})
            return redirect(reverse("chain:targets") + "?origin=gap")
    except ValidationError as exc:
        for f in bound.values():
            add_errors(f, exc)
        messages.error(request, " ".join(exc.messages))
        return _chain_page(request, c, bound, status=400)
    return redirect("chain:chain", pk=c.pk)


@login_required
def segment(request, pk: int):
    _staff(request)
    s = get_object_or_404(Segment.objects.select_related("chain", "parent"), pk=pk)
    can = may(request.user, "chain.manage_chain", s)
    move_form = forms.MoveForm(segment=s, initial={"parent": s.parent_id})
    placement_form = forms.PlacementForm(request.POST if "enterprise" in request.POST else None)
    if request.method == "POST":
        if not can:
            raise PermissionDenied
        try:
            if "enterprise" in request.POST:
                if not placement_form.is_valid():
                    raise ValidationError(_("Check the form."))
                services.placement_add(actor=request.user, segment=s, **placement_form.cleaned_data)
            elif "placement" in request.POST:
                p = get_object_or_404(Placement, pk=inputs.object_id(request.POST["placement"], "placement"),
                                      segment=s)
                services.placement_end(actor=request.user, placement=p)
            else:
                move_form = forms.MoveForm(request.POST, segment=s)
                if not move_form.is_valid():
                    raise ValidationError(_("Check the form."))
                services.segment_move(actor=request.user, segment=s, parent=move_form.cleaned_data["parent"])
        except ValidationError as exc:
            add_errors(placement_form if "enterprise" in request.POST else move_form, exc)
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done."))
            return redirect("chain:segment", pk=s.pk)
    row = next((r for r in selectors.chain_segments(s.chain) if r["id"] == s.pk), None)
    return render(request, "chain/segment.html", {
        "s": s, "row": row, "can_manage": can, "move_form": move_form, "placement_form": placement_form,
        "placements": Placement.objects.filter(segment=s, active=True).select_related("enterprise"),
        "children": s.children.all(), "relations": selectors.relations().filter(segment=s)[:100],
        "targets": selectors.targets(segment=s.pk)[:50]}, status=400 if move_form.errors or placement_form.errors else 200)


# --- supply relations -------------------------------------------------------------------------------------------

RELATION_HEADER = ["供应商", "供应商统一社会信用代码", "区外供应商所在地", "客户", "客户统一社会信用代码", "产品",
                   "占客户需求比例", "起始日期", "产业链", "环节", "来源", "状态"]


@login_required
def relations(request):
    _staff(request)
    status = inputs.choice(request.GET.get("status", ""), "status", Relation.Status, required=False)
    outside = inputs.choice(request.GET.get("outside", ""), "outside", [("yes", ""), ("no", "")], required=False)
    q = inputs.text(request.GET.get("q", ""), "q", required=False, max_length=100, multiline=False)
    qs = selectors.relations(q=q, status=status, chain=_int(request, "chain"), outside=outside,
                             enterprise=_int(request, "enterprise"))
    if request.GET.get("format") == "xlsx":
        rows = ([r.supplier_label, r.supplier.uscc if r.supplier_id else "", r.supplier_region, r.customer.name,
                 r.customer.uscc, r.product, r.share if r.share is not None else "", r.since or "",
                 r.segment.chain.name if r.segment_id else "", r.segment.name if r.segment_id else "",
                 r.get_source_display(), r.get_status_display()] for r in qs.iterator(chunk_size=500))
        return exports.xlsx_response("供应关系.xlsx", RELATION_HEADER, rows, sheet="供应关系")
    from django.core.paginator import Paginator

    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    can_add = may(request.user, "chain.add_relation")
    return render(request, "chain/relations.html", {
        "page": page, "q": q, "status": status, "outside": outside, "statuses": Relation.Status.choices,
        "chains": Chain.objects.all(), "chain": _int(request, "chain"), "can_add": can_add,
        "form": forms.RelationForm() if can_add else None})


@login_required
@require_POST
def relation_new(request):
    if not may(request.user, "chain.add_relation"):
        raise PermissionDenied
    form = forms.RelationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Check the form."))
        r = services.relation_add(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        messages.error(request, _("Check the form."))
        from django.core.paginator import Paginator

        return render(request, "chain/relations.html", {
            "page": Paginator(selectors.relations(), 50).get_page(1), "statuses": Relation.Status.choices,
            "chains": Chain.objects.all(), "can_add": True, "form": form, "open_form": True}, status=400)
    messages.success(request, _("Supply relation recorded; the firms are asked to confirm it."))
    return redirect("chain:relation", pk=r.pk)


def _import_page(request, *, perm: str, template: tuple, run, done: str, back: str, tab: str, title, help_):
    """An all-or-nothing import page: ``?template=1`` downloads the template (file name, header, example row),
    a posted file is checked row by row by ``run(data, filename)``; on success ``done`` % count, then ``back``."""
    if not may(request.user, perm):
        raise PermissionDenied
    if request.GET.get("template"):
        filename, header, example = template
        return exports.xlsx_response(filename, header, [example], sheet=filename.split("导入")[0])
    form = forms.ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                report = run(f.read(), f.name)
            except TableError as exc:
                form.add_error("file", str(exc))
            else:
                if report.ok:
                    messages.success(request, done % {"n": report.created})
                    return redirect(back)
        status = 400
    return render(request, "chain/import.html", {"form": form, "report": report, "tab": tab, "title": title,
                                                 "help": help_}, status=status)


@login_required
def relations_import(request):
    return _import_page(
        request, perm="chain.add_relation", tab="relations", back=reverse("chain:relations"),
        template=("供应关系导入模板.xlsx", [h for h, _r in services.RELATION_COLUMNS],
                  ["", "长春某某铸造有限公司", "天津市", "91220101MA0Y3K7B2X", "缸体铸件", "30", "2021-06-01", "缸体铸件"]),
        run=lambda data, name: services.relations_import(actor=request.user, data=data, filename=name),
        done=_("Supply relations imported: %(n)d."), title=_("Import supply relations"),
        help_=_("Columns: 供应商统一社会信用代码 (a supplier in the zone) or 区外供应商名称 and 区外供应商所在地 (outside the "
                "zone), 客户统一社会信用代码, 产品, 占客户需求比例, 起始日期, 环节. Every row is checked first: if any "
                "row is wrong, nothing is imported."))


@login_required
def targets_import(request):
    return _import_page(
        request, perm="chain.add_target", tab="targets", back=reverse("chain:targets") + "?origin=imported",
        template=("招商目标导入模板.xlsx", [h for h, _r in services.TARGET_COLUMNS],
                  ["大连某某精密铸造有限公司", "辽宁大连", "汽车零部件", "缸体铸件", "发动机缸体", "", "李总 13900000000"]),
        run=lambda data, name: services.targets_import(actor=request.user, data=data, filename=name),
        done=_("Targets imported: %(n)d."), title=_("Import targets"),
        help_=_("Columns: 企业名称, 所在地, 产业链, 环节, 产品, 已配套的区内企业 (credit codes, separated by 、), 联系人. "
                "Every row is checked first: if any row is wrong, nothing is imported."))


def _relation_or_404(request, pk) -> Relation:
    r = get_object_or_404(Relation.objects.select_related("supplier", "customer", "segment__chain", "added_by"),
                          pk=pk)
    if may(request.user, "chain.view") or SUPPLY["confirm"].who(request.user, r):
        return r
    raise Http404


def _relation_context(request, r, bound=None):
    staff = may(request.user, "chain.view")
    events = r.events.select_related("actor").order_by("at", "id")
    return {"r": r, "staff": staff, "is_staff_member": staff,
            "events": events if staff else events.filter(public=True),
            "actions": actionforms.panels(SUPPLY, request.user, r,
                                          lambda name: reverse("chain:relation_act", args=[r.pk, name]), bound=bound)}


@login_required
def relation(request, pk: int):
    r = _relation_or_404(request, pk)
    return render(request, "chain/relation.html", _relation_context(request, r))


@login_required
@require_POST
def relation_act(request, pk: int, action: str):
    r = _relation_or_404(request, pk)
    try:
        form = actionforms.take(request, SUPPLY, action, r)
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the relation has changed meanwhile."))
        return render(request, "chain/relation.html", _relation_context(request, _relation_or_404(request, pk)),
                      status=409)
    if form is not None:
        return render(request, "chain/relation.html", _relation_context(request, r, {action: form}), status=400)
    messages.success(request, _("Done."))
    return redirect("chain:relation", pk=r.pk)


@login_required
def impact(request, pk: int):
    _staff(request)
    firm = get_object_or_404(Enterprise, pk=pk)
    why = selectors.troubles([firm.pk]).get(firm.pk, [])
    return render(request, "chain/impact.html", {
        "firm": firm, "rows": selectors.impact(firm.pk), "why": _trouble_words(why),
        "place": selectors.firm_place(firm)})


# --- targets, campaigns, invitations ----------------------------------------------------------------------------

@login_required
def targets(request):
    _staff(request)
    status = inputs.choice(request.GET.get("status", ""), "status", Target.Status, required=False)
    origin = inputs.choice(request.GET.get("origin", ""), "origin", Target.Origin, required=False)
    q = inputs.text(request.GET.get("q", ""), "q", required=False, max_length=100, multiline=False)
    can_add = may(request.user, "chain.add_target")
    form = forms.TargetForm(request.POST if request.method == "POST" else None) if can_add else None
    status_code = 200
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the form."))
            t = services.target_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            status_code = 400
        else:
            messages.success(request, _("%(name)s is in the target library.") % {"name": t.name})
            return redirect("chain:target", pk=t.pk)
    from django.core.paginator import Paginator

    qs = selectors.targets(q=q, status=status, segment=_int(request, "segment"), chain=_int(request, "chain"),
                           origin=origin)
    return render(request, "chain/targets.html", {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")), "q": q, "status": status, "origin": origin,
        "statuses": Target.Status.choices, "origins": Target.Origin.choices, "can_add": can_add, "form": form,
        "open_form": status_code == 400}, status=status_code)


@login_required
def target(request, pk: int):
    _staff(request)
    t = get_object_or_404(Target.objects.select_related("segment__chain", "added_by"), pk=pk)
    if request.method == "POST":
        if not may(request.user, "chain.add_target"):
            raise PermissionDenied
        form = forms.ReasonForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Say why it is dropped."))
            services.target_drop(actor=request.user, target=t, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Target dropped."))
        return redirect("chain:target", pk=t.pk)
    return render(request, "chain/target.html", {
        "t": t, "invitations": t.invitations.select_related("campaign", "project"),
        "supplies": t.supplies.all(), "events": t.events.select_related("actor").order_by("at", "id"),
        "can_drop": t.status == Target.Status.OPEN and may(request.user, "chain.add_target"),
        "reason_form": forms.ReasonForm()})


@login_required
def campaigns(request):
    _staff(request)
    can_add = may(request.user, "chain.add_campaign")
    form = forms.CampaignForm(request.POST if request.method == "POST" else None) if can_add else None
    status = 200
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the form."))
            c = services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("Campaign set up: invite the targets."))
            return redirect("chain:campaign", pk=c.pk)
    return render(request, "chain/campaigns.html", {"rows": selectors.campaigns(), "form": form,
                                                    "open_form": status == 400}, status=status)


@login_required
def campaign(request, pk: int):
    _staff(request)
    c = get_object_or_404(Campaign.objects.select_related("team"), pk=pk)
    can_invite = may(request.user, "chain.invite", c)
    form = forms.InviteForm(request.POST if request.method == "POST" else None) if can_invite else None
    status = 200
    if request.method == "POST":
        if not can_invite:
            raise PermissionDenied
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose the targets."))
            made = services.invite(actor=request.user, campaign=c, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            status = 400
        else:
            messages.success(request, ngettext("%(n)d target invited.", "%(n)d targets invited.", len(made))
                             % {"n": len(made)})
            return redirect("chain:campaign", pk=c.pk)
    stage = inputs.choice(request.GET.get("stage", ""), "stage", Stage, required=False)
    invs = selectors.invitations(c)
    counts = {s: 0 for s in Stage.values}
    for s in invs.values_list("stage", flat=True):
        counts[s] += 1
    return render(request, "chain/campaign.html", {
        "c": c, "rows": invs.filter(stage=stage) if stage else invs, "stage": stage, "form": form,
        "stages": [(v, label, counts[v]) for v, label in Stage.choices], "n": sum(counts.values()),
        "board": selectors.board(campaign=c.pk), "open_form": status == 400}, status=status)


def _invitation_context(request, inv, bound=None):
    return {"inv": inv, "contacts": inv.contacts.select_related("recorded_by"), "is_staff_member": True,
            "events": inv.events.select_related("actor").order_by("at", "id"),
            "actions": actionforms.panels(CHAIN, request.user, inv,
                                          lambda name: reverse("chain:invitation_act", args=[inv.pk, name]),
                                          bound=bound)}


def _invitation_or_404(pk):
    return get_object_or_404(Invitation.objects.select_related("campaign__team", "target__segment", "project"), pk=pk)


@login_required
def invitation(request, pk: int):
    _staff(request)
    return render(request, "chain/invitation.html", _invitation_context(request, _invitation_or_404(pk)))


@login_required
@require_POST
def invitation_act(request, pk: int, action: str):
    _staff(request)
    inv = _invitation_or_404(pk)
    try:
        form = actionforms.take(request, CHAIN, action, inv)
    except IllegalTransition:
        messages.error(request, _("This is no longer possible: the invitation has moved on meanwhile."))
        return render(request, "chain/invitation.html", _invitation_context(request, _invitation_or_404(pk)),
                      status=409)
    except PermissionDenied as exc:
        if str(exc):  # the project could not be opened by this official (projects' own rule)
            messages.error(request, str(exc))
            return render(request, "chain/invitation.html", _invitation_context(request, inv), status=403)
        raise
    if form is not None:
        return render(request, "chain/invitation.html", _invitation_context(request, inv, {action: form}), status=400)
    inv = _invitation_or_404(pk)
    if inv.project_id and action == "sign":
        messages.success(request, _("Signed: project %(number)s is in the pipeline as a returned project.")
                         % {"number": inv.project.number})
    else:
        messages.success(request, _("Done."))
    return redirect("chain:invitation", pk=inv.pk)


@login_required
def board(request):
    _staff(request)
    camp = _int(request, "campaign")
    return render(request, "chain/board.html", {"b": selectors.board(campaign=camp), "campaign": camp,
                                                "campaigns": Campaign.objects.all()})


# --- the firm's own place ---------------------------------------------------------------------------------------

@login_required
def mine(request):
    if not may(request.user, "chain.view_own"):
        raise PermissionDenied
    firms = Enterprise.objects.filter(pk__in=EnterpriseMember.objects.filter(
        user=request.user, active=True).values("enterprise_id"))
    return render(request, "chain/mine.html", {"places": [(f, selectors.firm_place(f)) for f in firms]})


# --- the 一企一档 panel ---------------------------------------------------------------------------------------------

def panel_visible(user, enterprise) -> bool:
    return may(user, "chain.view")


def enterprise_panel_context(request, enterprise):
    rows = selectors.impact(enterprise.pk)
    return {"place": selectors.firm_place(enterprise), "impact": rows[:8], "n_impact": len(rows),
            "plants": [r for r in rows if r["anchor"]], "enterprise": enterprise,
            "why": _trouble_words(selectors.troubles([enterprise.pk]).get(enterprise.pk, []))}
