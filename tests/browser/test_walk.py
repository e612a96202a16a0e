"""Every page of every role, on a 1440-px desktop and a 390-px phone: each answers below 400, loads nothing
that fails, logs no console error (a script the Content-Security-Policy blocked would), and fits the width
without scrolling sideways."""

import pytest

from .conftest import login

DESKTOP, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}

STAFF_COMMON = ["/", "/notifications/", "/notifications/settings/", "/accounts/tokens/", "/accounts/password/",
                "/directory/enterprises/", "/directory/departments/"]
PAGES = {
    "leader": STAFF_COMMON + ["/tickets/ledger/", "/tickets/board/", "/tickets/statistics/", "/credit/", "/credit/firms/",
                              "/credit/records/", "/credit/lists/", "/credit/requests/", "/credit/measures/",
                              "/inspections/", "/inspections/campaigns/", "/projects/", "/projects/pipeline/",
                              "/projects/ledger/", "{ticket}", "{enterprise}", "{project}", "{record}", "{plan}",
                              "{campaign}", "/cockpit/", "/cockpit/?preset=year", "/cockpit/wall/",
                              "/cockpit/figures/tickets.registered/?preset=year", "/cockpit/figures/credit.red_list/",
                              "/cockpit/reports/", "{enterprise}location/", "{project}edit/",
                              "/assist/", "{svc_campaign}", "{svc_campaign}?show=todo", "/assist/visits/",
                              "{svc_visit}", "/assist/visits/new/", "/assist/policies/", "/assist/policies/new/",
                              "{svc_policy}", "{svc_policy}edit/", "{svc_firm}", "/assist/applications/",
                              "{svc_application}", "{svc_payout}", "/assist/financing/", "{svc_need}",
                              "/assist/financing/products/", "/assist/financing/meetings/", "/assist/financing/new/",
                              "/assist/taskforces/", "/assist/taskforces/new/", "{svc_taskforce}",
                              "{svc_taskforce}brief/", "/assist/campaigns/new/",
                              "/chain/", "{chain}", "{chain_segment}", "/chain/relations/", "{chain_relation}",
                              "{chain_impact}", "/chain/targets/", "{chain_target}", "/chain/campaigns/",
                              "{chain_campaign}", "{chain_invitation}", "/chain/board/", "/chain/sites/",
                              "/chain/consultations/", "{chain_consultation}", "/chain/factors/", "{chain_meeting}"],
    "dispatcher": STAFF_COMMON + ["/tickets/ledger/", "/tickets/new/", "/tickets/board/", "/tickets/statistics/",
                                  "{ticket}", "{sheet}", "{notice}", "/exports/"],
    "chainoffice": ["/", "/chain/", "{chain}", "/chain/relations/", "/chain/relations/import/", "{chain_segment}",
                    "/chain/factors/", "/chain/sites/"],
    "depthead": ["/", "/tickets/inbox/?tab=extensions", "/tickets/statistics/", "/credit/requests/",
                 "{chain_open_consultation}"],
    "recruiter": ["/", "/chain/targets/", "{chain_campaign}", "{chain_invitation}", "/chain/board/"],
    "handler": STAFF_COMMON + ["/tickets/inbox/", "/tickets/ledger/", "/credit/records/new/", "/credit/records/import/",
                               "/inspections/plans/new/", "{dept_ticket}", "{project}"],
    "steward": ["/", "/tickets/new/", "/tickets/ledger/?waiting=callback", "/projects/new/", "{enterprise}",
                "/assist/", "/assist/visits/new/", "/assist/visits/?mine=1"],
    "linglong": ["/", "/chain/mine/", "{own_relation}"],
    "bank": ["/", "/assist/financing/", "{bank_need}", "{bank_file}", "/assist/financing/products/"],
    "inspector": ["/", "/inspections/mine/", "/inspections/campaigns/", "{visit}"],
    "supervisor": ["/", "/tickets/board/", "/tickets/statistics/", "/credit/", "/audit/", "/audit/?kind=tickets",
                   "/cockpit/?preset=quarter", "/cockpit/figures/projects.major_started/?preset=year",
                   "{enterprise}timeline/", "{enterprise}file/"],
    "window": ["/", "/services/inbox/", "/services/inbox/?tab=all", "/services/counter/", "/services/statistics/",
               "/services/registrations/", "/services/claims/", "/services/ratings/", "{application}",
               "{registration}", "{notice_missing}"],
    "admin": ["/", "/credit/rules/", "/directory/enterprises/import/", "/admin/", "/audit/", "/jobs/",
              "/jobs/?state=done"],
    "faw_rd": ["/", "/tickets/mine/", "/tickets/new/", "/credit/mine/", "/notifications/", "/services/mine/",
               "/services/bundles/", "/services/bundles/kaiban-qiye/apply/", "{own_application}", "{apply_item}",
               "{own_ticket}",
               "{own_enterprise}", "{own_enterprise}timeline/", "{own_enterprise}file/",
               "/assist/for-you/", "/assist/visits/", "/assist/applications/", "/assist/financing/",
               "/assist/financing/new/", "{own_policy}", "{own_policy}apply/", "{own_application_svc}"],
    None: ["/public/", "/public/policies/", "/public/figures/", "{public_policy}", "/public/data/",
           "/public/data/credit-records/",
           "/public/credit/", "/public/inspections/", "/accounts/login/", "{public_draw}", "/public/guide/",
           "/public/ratings/", "/public/ratings/?by=item",
           "/public/guide/?life_event=start", "{guide_item}"],
}


def _objects(django_db_blocker) -> dict:
    from yingshang.catalog.models import Item
    from yingshang.core.models import User
    from yingshang.credit.models import Record
    from yingshang.directory.models import EnterpriseMember
    from yingshang.inspections.models import Campaign, Draw, Plan, Visit
    from yingshang.projects.models import Project
    from yingshang.tickets.models import SupervisionNotice, Ticket

    with django_db_blocker.unblock():
        firm = EnterpriseMember.objects.get(user__username="faw_rd").enterprise
        inspector = User.objects.get(username="inspector")
        visit = Visit.objects.filter(inspectors__user=inspector).first() or Visit.objects.first()
        dispatched = Ticket.objects.filter(lead_department__isnull=False).order_by("-pk").first()
        dept = User.objects.get(username="handler").staff_profile.department
        dept_ticket = Ticket.objects.filter(lead_department=dept).order_by("-pk").first()
        return {
            "ticket": f"/tickets/{dispatched.pk}/", "dept_ticket": f"/tickets/{dept_ticket.pk}/", "sheet": f"/tickets/{dispatched.pk}/sheet/",
            "notice": f"/tickets/notices/{SupervisionNotice.objects.first().pk}/",
            "enterprise": f"/directory/enterprises/{firm.pk}/", "project": f"/projects/{Project.objects.first().pk}/",
            "record": f"/credit/records/{Record.objects.first().pk}/", "plan": f"/inspections/plans/{Plan.objects.first().pk}/",
            "campaign": f"/inspections/campaigns/{Campaign.objects.first().pk}/", "visit": f"/inspections/visits/{visit.pk}/",
            "own_ticket": f"/tickets/{Ticket.objects.filter(enterprise=firm).first().pk}/",
            "own_enterprise": f"/directory/enterprises/{firm.pk}/",
            "public_draw": f"/public/inspections/draws/{Draw.objects.filter(status='drawn').first().pk}/",
            "guide_item": f"/public/guide/{Item.objects.order_by('code').first().code}/",
            **_catalog(firm), **_service(firm), **_chain(),
        }


def _service(firm) -> dict:
    from yingshang.core.models import User
    from yingshang.service import selectors
    from yingshang.service.models import (Application, Campaign, Consent, FinancingNeed, Payout, Policy, TaskForce,
                                          Visit)

    need = FinancingNeed.objects.filter(matches__isnull=False).order_by("pk").first()
    consent = Consent.objects.filter(revoked_at__isnull=True).first()
    own_policy = next(p for p, _leaves in selectors.firm_policies(firm)["qualifies"] if not p.automatic)
    return {"svc_campaign": f"/assist/campaigns/{Campaign.objects.first().pk}/",
            "svc_visit": f"/assist/visits/{Visit.objects.filter(problems__isnull=False).first().pk}/",
            "svc_policy": f"/assist/policies/{Policy.objects.filter(status='published').first().pk}/",
            "svc_firm": f"/assist/firms/{firm.pk}/",
            "svc_application": f"/assist/applications/{Application.objects.first().pk}/",
            "svc_payout": f"/assist/payouts/{Payout.objects.first().pk}/",
            "svc_need": f"/assist/financing/{need.pk}/",
            "svc_taskforce": f"/assist/taskforces/{TaskForce.objects.filter(supply__isnull=False).first().pk}/",
            "bank_need": f"/assist/financing/{selectors.needs_visible_to(User.objects.get(username='bank')).first().pk}/",
            "bank_file": f"/assist/bank/firms/{consent.enterprise_id}/",
            "own_policy": f"/assist/policies/{own_policy.pk}/",
            "public_policy": f"/public/policies/{own_policy.pk}/?uscc={firm.uscc}",
            "own_application_svc": f"/assist/applications/{Application.objects.filter(enterprise=firm).first().pk}/"}


def _chain() -> dict:
    from yingshang.chain.models import Campaign, Chain, Consultation, Invitation, Meeting, Relation, Segment, Target

    relation = Relation.objects.filter(supplier__isnull=False).order_by("pk").first()
    own = Relation.objects.filter(supplier__name="吉林玲珑轮胎有限公司").order_by("pk").first()
    return {"chain": f"/chain/{Chain.objects.get(name='汽车零部件').pk}/",
            "chain_segment": f"/chain/segments/{Segment.objects.get(name='缸体铸件').pk}/",
            "chain_relation": f"/chain/relations/{relation.pk}/", "own_relation": f"/chain/relations/{own.pk}/",
            "chain_impact": f"/chain/impact/{relation.supplier_id}/",
            "chain_target": f"/chain/targets/{Target.objects.order_by('pk').first().pk}/",
            "chain_campaign": f"/chain/campaigns/{Campaign.objects.first().pk}/",
            "chain_invitation": f"/chain/invitations/{Invitation.objects.filter(stage='signed').first().pk}/",
            "chain_consultation": f"/chain/consultations/{Consultation.objects.filter(status='concluded').first().pk}/",
            "chain_open_consultation": f"/chain/consultations/{Consultation.objects.filter(status='open').first().pk}/",
            "chain_meeting": f"/chain/meetings/{Meeting.objects.first().pk}/"}


def _catalog(firm) -> dict:
    from yingshang.catalog import services
    from yingshang.catalog.models import Application, Item, Registration
    from yingshang.core.models import User

    own = Application.objects.filter(enterprise=firm).order_by("-pk").first()
    item = Item.objects.get(current__name="企业设立登记")
    missing = Application.objects.filter(missing_due__isnull=False).first()
    if missing is None:  # one accepted with a material missing, for its printed notice
        a = services.application_submit(actor=None, item=item, enterprise=firm, form_data={
            "name": firm.name, "capital": "100", "legal": "王德平", "address": "东风大街", "scope": "研发"})
        missing = services.application_accept(actor=User.objects.get(username="admin"), application=a,
                                               missing="住所使用证明")
    reg = Registration.objects.first()
    return {"application": f"/services/{own.pk}/", "own_application": f"/services/{own.pk}/",
            "apply_item": f"/services/apply/{item.code}/", "registration": f"/services/registrations/{reg.pk}/",
            "notice_missing": f"/services/{missing.pk}/notice/"}


@pytest.mark.parametrize("role", list(PAGES), ids=lambda r: r or "public")
def test_every_page_of_every_role_fits_and_loads_cleanly(new_page, role, django_db_blocker):
    urls = [u.format(**_objects(django_db_blocker)) if "{" in u else u for u in PAGES[role]]
    problems = []
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport=viewport)
        errors, failed = [], []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.on("requestfailed", lambda r, failed=failed: failed.append(f"{r.url} {r.failure}"))
        if role:
            login(page, role)
            page.wait_for_load_state("networkidle")  # the home's scripts, before the walk navigates away
        for url in urls:
            errors.clear()
            failed.clear()
            response = page.goto(url)
            page.wait_for_load_state("networkidle")
            where = f"{role} {viewport['width']}px {url}"
            if response is None or response.status >= 400:
                problems.append(f"{where}: HTTP {response.status if response else '—'}")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 1:
                problems.append(f"{where}: {overflow}px wider than the screen")
            problems += [f"{where}: console: {e}" for e in errors if "favicon" not in e]
            # the browser's own favicon fetch may be cut off when the next page is opened
            problems += [f"{where}: request failed: {f}" for f in failed if "favicon" not in f]
    assert problems == []
