"""The catalogue's pages for the people who apply and those who handle: 我的办件, applying for an item or
a bundle, the window's counter, a department's inbox, an application's page with the actions the user may
take, the 容缺受理通知书, ratings and the 差评 a department works on. Thin: parse, call a service or a
selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.core import actionforms, inputs, paging, roles
from yingshang.core.actions import IllegalTransition
from yingshang.core.forms import add_errors
from yingshang.directory.models import Department, Enterprise

from . import forms, selectors, services
from .actions import applications as TABLE
from .actions import ratings as RATINGS
from .models import DECIDED, Application, Bundle, BundleApplication, Item, Rating
from .services.registrations import HEADERS as REGISTRATION_HEADERS


@login_required
def index(request):
    if roles.is_staff_member(request.user):
        return redirect("catalog:inbox")
    return redirect("catalog:mine")


def _firms(user):
    from yingshang.directory.selectors import enterprise_ids_of_member

    return list(Enterprise.objects.filter(pk__in=enterprise_ids_of_member(user), status="operating").order_by("name"))


@login_required
def mine(request):
    """我的办件: the firm's applications and bundles, what is needed from it now first."""
    tab = request.GET.get("tab", "")
    qs = selectors.firm_applications(request.user)
    S = Application.Status
    if tab == "todo":
        qs = qs.filter(status=S.CORRECTION) | qs.filter(status__in=(S.REVIEW, S.SPECIAL), missing_due__isnull=False)
    elif tab == "open":
        qs = qs.filter(status__in=(S.SUBMITTED, S.CORRECTION, S.REVIEW, S.SPECIAL))
    elif tab == "done":
        qs = qs.exclude(status__in=(S.SUBMITTED, S.CORRECTION, S.REVIEW, S.SPECIAL))
    page = paging.paginate(request, qs.order_by("-created_at", "-id"), 20)
    selectors.lights(page.object_list)
    bundles = list(selectors.bundle_applications_visible_to(request.user).select_related("bundle", "enterprise")
                   .filter(status=BundleApplication.Status.OPEN)[:10]) if not roles.is_staff_member(request.user) else []
    return render(request, "catalog/mine.html", {"page": page, "tab": tab, "query": f"tab={tab}",
                                                 "bundles": bundles})


@login_required
def apply(request, code: str):
    """A firm applies online for an item of the guide."""
    item = Item.objects.select_related("current", "current__department").filter(code=code,
                                                                                 current__isnull=False).first()
    if item is None:
        raise Http404
    firms = _firms(request.user)
    if not firms:
        raise PermissionDenied(_("Only a firm's own staff apply online; the window records counter applications."))
    v = item.current
    materials = list(v.materials.all())
    form = forms.ApplyForm(request.POST or None, request.FILES or None, firms=firms, fields=v.form_fields,
                           commitment_allowed=v.commitment_allowed, materials=materials,
                           initial={"ref": request.GET.get("ref", "")[:60]})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            firm = next(f for f in firms if str(f.pk) == form.cleaned_data["enterprise"])
            try:
                a = services.application_submit(actor=request.user, item=item, enterprise=firm,
                                                commitment=form.cleaned_data.get("commitment", False),
                                                form_data=form.form_data(), ref=form.cleaned_data.get("ref", ""),
                                                files=form.uploaded())
            except ValidationError as exc:
                add_errors(form, _prefixed(exc))
            else:
                messages.success(request, _("Application %(number)s submitted to %(department)s.")
                                 % {"number": a.number, "department": v.department.name})
                return redirect("catalog:detail", pk=a.pk)
    return render(request, "catalog/apply.html", {"form": form, "v": v, "item": item, "materials": materials},
                  status=status)


def _prefixed(exc: ValidationError) -> ValidationError:
    """A service's errors on the form's own fields (``f_<key>`` for the application form's answers)."""
    if not hasattr(exc, "error_dict"):
        return exc
    known = {"enterprise", "commitment", "uscc", "code", "visits", "files"}
    return ValidationError({(k if k in known else f"f_{k}" if k not in ("item", "__all__") else "__all__"): v
                            for k, v in exc.error_dict.items()})


@login_required
def bundles(request):
    """一件事一次办: the bundles on offer, each with its items."""
    return render(request, "catalog/bundles.html", {"bundles": selectors.bundles_offered(),
                                                    "can_apply": bool(_firms(request.user))})


@login_required
def bundle_apply(request, code: str):
    bundle = get_object_or_404(Bundle, code=code, active=True)
    firms = _firms(request.user)
    if not firms:
        raise PermissionDenied(_("Only a firm's own staff apply online; the window records counter applications."))
    members = services.bundle_members(bundle)
    form = forms.ApplyForm(request.POST or None, firms=firms, fields=services.merged_form(members))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            firm = next(f for f in firms if str(f.pk) == form.cleaned_data["enterprise"])
            try:
                ba = services.bundle_apply(actor=request.user, bundle=bundle, enterprise=firm,
                                           form_data=form.form_data())
            except ValidationError as exc:
                add_errors(form, _prefixed(exc))
            else:
                messages.success(request, _("%(number)s submitted: every department has it at once.")
                                 % {"number": ba.number})
                return redirect("catalog:bundle_detail", pk=ba.pk)
    return render(request, "catalog/bundle_apply.html", {
        "form": form, "bundle": bundle, "members": members, "materials": services.merged_materials(members),
        "fields": services.merged_form(members)}, status=status)


@login_required
def bundle_detail(request, pk: int):
    ba = selectors.bundle_applications_visible_to(request.user).select_related("bundle", "enterprise") \
        .filter(pk=pk).first()
    if ba is None:
        raise Http404
    apps = list(selectors.application_rows(ba.applications.all()).order_by("id"))
    selectors.lights(apps)
    rating = selectors.rating_of(ba)
    may_rate = ba.status == BundleApplication.Status.DONE and rating is None and \
        any(f.pk == ba.enterprise_id for f in _firms(request.user))
    events = ba.events.select_related("actor")
    return render(request, "catalog/bundle_detail.html", {
        "ba": ba, "apps": apps, "rating": rating, "events": events,
        "rating_form": forms.RatingForm(prefix="rate") if may_rate else None})


@login_required
def counter(request):
    """The window (综合窗口): an application brought to the counter, for an item or a bundle. Once the code
    names one, its application form is shown to be copied from the paper the firm brought."""
    if not (request.user.has_perm("catalog.counter") or roles.has_role(request.user, roles.HANDLER, roles.DEPT_HEAD)):
        raise PermissionDenied
    code = inputs.text(request.POST.get("code", "")[:60], "code", required=False, multiline=False) \
        if request.method == "POST" and not inputs.has_control(request.POST.get("code", "")) else ""
    item = Item.objects.select_related("current").filter(code=code, current__isnull=False).first() if code else None
    bundle = Bundle.objects.filter(code=code, active=True).first() if code and item is None else None
    fields = item.current.form_fields if item else services.merged_form(services.bundle_members(bundle)) \
        if bundle else []
    form = forms.CounterForm(request.POST or None, fields=fields)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            firm = Enterprise.objects.filter(uscc=d["uscc"]).first()
            if firm is None:
                form.add_error("uscc", _("No firm has this credit code."))
            elif item is None and bundle is None:
                form.add_error("code", _("No item or bundle has this code."))
            else:
                try:
                    if item is not None:
                        a = services.application_submit(actor=request.user, item=item, enterprise=firm,
                                                        channel=Application.Channel.WINDOW, visits=d["visits"],
                                                        form_data=form.form_data())
                        messages.success(request, _("Application %(number)s recorded.") % {"number": a.number})
                        return redirect("catalog:detail", pk=a.pk)
                    ba = services.bundle_apply(actor=request.user, bundle=bundle, enterprise=firm,
                                               channel=Application.Channel.WINDOW, visits=d["visits"],
                                               form_data=form.form_data())
                    messages.success(request, _("%(number)s recorded.") % {"number": ba.number})
                    return redirect("catalog:bundle_detail", pk=ba.pk)
                except PermissionDenied:
                    form.add_error("code", _("This window does not take applications for this item."))
                except ValidationError as exc:
                    add_errors(form, _prefixed(exc))
    recent = selectors.application_rows(selectors.applications_visible_to(request.user)
                                        .filter(applicant=request.user)).order_by("-created_at", "-id")[:10]
    return render(request, "catalog/counter.html", {"form": form, "recent": recent, "chosen": item or bundle},
                  status=status)


@login_required
def inbox(request):
    """A department's inbox, with the lights of the committed deadlines."""
    if not roles.is_staff_member(request.user):
        raise PermissionDenied
    tab = request.GET.get("tab", "todo")
    if tab not in selectors.INBOX_TABS:
        tab = "todo"
    q = inputs.text(request.GET.get("q", "")[:60], "q", required=False, multiline=False)
    f, bad = _drill(request)
    department = f["department"]
    qs = selectors.application_rows(selectors.inbox(request.user, tab=tab, q=q, **f))
    page = paging.paginate(request, qs, 30)
    selectors.lights(page.object_list)
    counts = selectors.inbox_counts(request.user, department=department)
    all_seeing = selectors._sees_all(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    if bad:
        messages.error(request, _("Some filters were not understood and are left out: %(fields)s.")
                       % {"fields": "、".join(bad)})
    return render(request, "catalog/inbox.html", {
        "page": page, "tab": tab, "counts": counts, "q": q, "department": department, "drill": f,
        "departments": Department.objects.exclude(kind=Department.Kind.BUREAU).order_by("sort_order", "name")
        if all_seeing else None, "query": query.urlencode(),
        "tabs": [("todo", _("To accept")), ("review", _("Under review")), ("soon", _("Due soon")),
                 ("late", _("Overdue")), ("done", _("Finished")), ("all", _("All"))]})


def _drill(request) -> tuple[dict, list[str]]:
    """The inbox's filters from the query string, as the statistics link them; what does not parse is left
    out and named."""
    f = {"department": None, "item": None, "since": None, "until": None, "channel": "", "late": False,
         "zero": False}
    bad = []
    g = request.GET
    for key, parse in (("department", lambda v: inputs.optional_id(v, "department")),
                       ("item", lambda v: inputs.optional_id(v, "item")),
                       ("since", lambda v: inputs.day(v, "since", required=False)),
                       ("until", lambda v: inputs.day(v, "until", required=False)),
                       ("channel", lambda v: inputs.choice(v, "channel", Application.Channel, required=False))):
        if g.get(key):
            try:
                f[key] = parse(g[key])
            except ValidationError:
                bad.append(key)
    f["late"], f["zero"] = g.get("late") == "1", g.get("zero") == "1"
    return f, bad


@login_required
def statistics(request):
    """政务服务 statistics for a period (this year by default): every figure drills down to the applications."""
    if not roles.is_staff_member(request.user):
        raise PermissionDenied
    from django.utils import timezone

    today = timezone.localdate()
    status = 200
    try:
        since = inputs.day(request.GET.get("since") or today.replace(month=1, day=1).isoformat(), "since")
        until = inputs.day(request.GET.get("until") or today.isoformat(), "until")
        if until < since:
            raise ValidationError({"until": _("The end comes before the start.")})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        since, until, status = today.replace(month=1, day=1), today, 400
    s = selectors.statistics(request.user, since=since, until=until)
    return render(request, "catalog/statistics.html", {"s": s, "since": since, "until": until,
                                                       "period": f"since={since}&until={until}"}, status=status)


# --- an application -------------------------------------------------------------------------------

def _panels(request, table, obj, url_name, bound=None):
    panels = []
    for a in table.available(request.user, obj):
        form = (bound or {}).get(a.name) or actionforms.form_class(a)(prefix=a.name)
        panels.append({"action": a.name, "label": a.label, "style": a.style, "form": form,
                       "url": reverse(url_name, args=[obj.pk, a.name]), "open": bool(bound and a.name in bound)})
    if not bound and panels:
        main = next((p for p in panels if not p["style"].startswith("outline")), None)
        if main is not None:
            main["open"] = True
            panels.remove(main)
            panels.insert(0, main)
    return panels


def _detail_context(request, a: Application, bound=None, rating_form=None):
    selectors.lights([a])
    staff = roles.is_staff_member(request.user)
    rating = selectors.rating_of(a)
    may_rate = a.status in DECIDED and rating is None and any(f.pk == a.enterprise_id for f in _firms(request.user))
    return {"a": a, "v": a.version, "events": list(selectors.application_events(request.user, a)),
            "actions": _panels(request, TABLE, a, "catalog:act", bound), "is_staff_member": staff,
            "needed": selectors.needed_from_firm(a), "rating": rating,
            "rating_form": (rating_form or forms.RatingForm(prefix="rate")) if may_rate else None,
            "materials": list(a.version.materials.all()), "files": list(a.files.all())}


def _application(request, pk: int) -> Application:
    try:
        return selectors.application_detail(request.user, pk)
    except Application.DoesNotExist:
        raise Http404 from None


@login_required
def detail(request, pk: int):
    return render(request, "catalog/detail.html", _detail_context(request, _application(request, pk)))


def _act(request, table, obj, action, redirect_to, rerender):
    """One action of a table on one record, through its service: who may act is checked before the form is
    read; a state that moved on meanwhile is a 409 that changes nothing."""
    if action not in table.actions:
        raise Http404
    a = table[action]
    if not a.allowed(request.user, obj):
        raise PermissionDenied
    form = actionforms.form_class(a)(request.POST, request.FILES, prefix=action)
    status = 400
    if form.is_valid():
        try:
            a.perform(request.user, obj, form.cleaned_data)
        except IllegalTransition:
            messages.error(request, _("This step is no longer possible: someone else has just moved it on. The page "
                                      "shows its current state."))
            status = 409
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect(redirect_to)
    return rerender({action: form} if status == 400 else None, status)


@login_required
@require_POST
def act(request, pk: int, action: str):
    a = _application(request, pk)
    return _act(request, TABLE, a, action, reverse("catalog:detail", args=[pk]),
                lambda bound, status: render(request, "catalog/detail.html",
                                             _detail_context(request, _application(request, pk), bound),
                                             status=status))


@login_required
def submitted_file(request, pk: int):
    """A material an applicant uploaded, to those who may see its application."""
    from yingshang.core import uploads

    from .models import SubmittedFile

    f = SubmittedFile.objects.filter(pk=pk, application__in=selectors.applications_visible_to(request.user)).first()
    if f is None:
        raise Http404
    return uploads.serve(f.file, f.name)


@login_required
def notice(request, pk: int):
    """容缺受理通知书: what is missing, in which form, by when, and what happens if it is late (printable)."""
    a = _application(request, pk)
    accepted = a.events.filter(action="applications.application.accepted").order_by("-at").first()
    missing = (accepted.data.get("missing") if accepted else None) or a.missing
    if not missing or a.accepted_at is None:
        raise Http404
    mats = {m.name: m for m in a.version.materials.all()}
    return render(request, "catalog/notice.html", {"a": a, "v": a.version, "accepted": accepted,
                                                   "missing": [mats.get(n) or n for n in missing]})


@login_required
@require_POST
def rate(request, pk: int, kind: str = "application"):
    """The firm rates a decided application (or a done bundle)."""
    if kind == "bundle":
        subject = selectors.bundle_applications_visible_to(request.user).filter(pk=pk).first()
    else:
        subject = selectors.applications_visible_to(request.user).filter(pk=pk).first()
    if subject is None:
        raise Http404
    if not any(f.pk == subject.enterprise_id for f in _firms(request.user)):
        raise PermissionDenied  # who may rate, before what they sent is read
    form = forms.RatingForm(request.POST, prefix="rate")
    back = reverse("catalog:bundle_detail" if kind == "bundle" else "catalog:detail", args=[pk])
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.rating_submit(actor=request.user, **({"bundle_application": subject} if kind == "bundle"
                                                          else {"application": subject}),
                                   overall=d["overall"], efficiency=d["efficiency"], attitude=d["attitude"],
                                   accuracy=d["accuracy"], comment=d["comment"], real_name=d["real_name"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your rating is recorded."))
            return redirect(back)
    messages.error(request, _("Choose a rating for each of the four aspects."))
    if kind == "bundle":
        return redirect(back)
    return render(request, "catalog/detail.html", _detail_context(request, _application(request, pk),
                                                                  rating_form=form), status=400)


# --- ratings --------------------------------------------------------------------------------------

@login_required
def ratings(request):
    """The 差评 a department works on: call back, rectify, reply; appeals for the service hall."""
    if not roles.is_staff_member(request.user):
        raise PermissionDenied
    page = paging.paginate(request, selectors.bad_ratings(request.user), 30)
    return render(request, "catalog/ratings.html", {"page": page})


def _rating(request, pk: int) -> Rating:
    r = selectors.ratings_visible_to(request.user).select_related(
        "department", "enterprise", "application", "bundle_application", "item__current", "previous").filter(
        pk=pk).first()
    if r is None:
        raise Http404
    return r


def _rating_context(request, r, bound=None):
    return {"r": r, "events": list(selectors.rating_events(request.user, r)),
            "actions": _panels(request, RATINGS, r, "catalog:rating_act", bound),
            "is_staff_member": roles.is_staff_member(request.user)}


@login_required
def rating(request, pk: int):
    return render(request, "catalog/rating.html", _rating_context(request, _rating(request, pk)))


@login_required
@require_POST
def rating_act(request, pk: int, action: str):
    r = _rating(request, pk)
    return _act(request, RATINGS, r, action, reverse("catalog:rating", args=[pk]),
                lambda bound, status: render(request, "catalog/rating.html",
                                             _rating_context(request, _rating(request, pk), bound), status=status))


# --- 证照分离 · 双告知 -----------------------------------------------------------------------------

@login_required
def registrations(request):
    """The zone's new registrations: the market-regulation department records them (one or a day's file);
    officials read them with the claims they pushed."""
    from yingshang.core.tabular import TableError
    from yingshang.directory.forms import ImportForm

    if not roles.is_staff_member(request.user):
        raise PermissionDenied
    may_register = request.user.has_perm("catalog.register_firm")
    if request.method == "POST" and not may_register:
        raise PermissionDenied  # who may record, before the form is read
    form = forms.RegistrationForm(request.POST if request.POST.get("do") == "record" else None, prefix="reg")
    upload = ImportForm(request.POST if request.POST.get("do") == "import" else None,
                        request.FILES if request.POST.get("do") == "import" else None)
    report, status = None, 200
    if request.method == "POST":
        status = 400
        if request.POST.get("do") == "record" and form.is_valid():
            try:
                reg = services.registration_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Registration recorded: %(n)d permits told, pushed to %(d)d departments.")
                                 % {"n": reg.items.count(), "d": reg.claims.count()})
                return redirect("catalog:registration", pk=reg.pk)
        elif request.POST.get("do") == "import" and upload.is_valid():
            f = upload.cleaned_data["file"]
            try:
                report = services.registrations_import(actor=request.user, data=f.read(), filename=f.name)
            except TableError as exc:
                upload.add_error("file", str(exc))
            if report is not None and report.ok:
                messages.success(request, _("Import finished: %(c)d registrations recorded.") % {"c": report.created})
                return redirect("catalog:registrations")
    page = paging.paginate(request, selectors.registrations_visible_to(request.user)
                           .prefetch_related("claims"), 30)
    return render(request, "catalog/registrations.html", {
        "page": page, "form": form, "upload": upload, "report": report, "may_register": may_register,
        "headers": "、".join(h for h, _k in REGISTRATION_HEADERS)}, status=status)


@login_required
def registration(request, pk: int):
    """One registration: the 告知书 (the permits its scope needs, with links to apply; printable) and the
    departments' claims."""
    from .actions import registrations as CLAIMS

    from .models import Registration

    try:
        reg = selectors.registration_detail(request.user, pk)
    except Registration.DoesNotExist:
        raise Http404 from None
    for c in reg.claim_list:
        c.may_claim = CLAIMS["claim"].allowed(request.user, c) and c.status == "pending"
    return render(request, "catalog/registration.html", {"reg": reg, "is_staff_member":
                                                         roles.is_staff_member(request.user)})


@login_required
def claims(request):
    """A licensing department's claims to make (认领), oldest deadline first."""
    if not roles.is_staff_member(request.user):
        raise PermissionDenied
    tab = "all" if request.GET.get("tab") == "all" else "pending"
    from .actions import registrations as CLAIMS

    page = paging.paginate(request, selectors.claims_for(request.user, tab=tab), 30)
    for c in page.object_list:
        c.may_claim = c.status == "pending" and CLAIMS["claim"].allowed(request.user, c)
    return render(request, "catalog/claims.html", {"page": page, "tab": tab, "query": f"tab={tab}"})


@login_required
@require_POST
def claim_act(request, pk: int):
    from .actions import registrations as CLAIMS
    from .models import Claim

    c = Claim.objects.select_related("registration", "department").filter(pk=pk).first()
    if c is None or not roles.is_staff_member(request.user):
        raise Http404
    if not CLAIMS["claim"].allowed(request.user, c):
        raise PermissionDenied
    form = actionforms.form_class(CLAIMS["claim"])(request.POST, prefix="claim")
    if form.is_valid():
        try:
            CLAIMS["claim"].perform(request.user, c, form.cleaned_data)
        except IllegalTransition:
            messages.error(request, _("This registration was claimed meanwhile."))
            return redirect("catalog:registration", pk=c.registration_id)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Claimed: guide the firm to its permit."))
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("catalog:claims")
                    else reverse("catalog:registration", args=[c.registration_id]))
