"""The authorization matrix over objects: every page and API endpoint that names a record by its id is tried
by people who must not reach that record — another firm's staff and steward, another department's officials,
an inspector not drawn for the visit — reading it and acting on it. The endpoints come from the URL
configuration: a new one without an entry below fails this test, so none can be forgotten."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

# Endpoints anyone may read (一公开): published draws and their records, policies in force.
PUBLIC = {"portal:inspection_draw", "portal:inspection_record", "portal:inspection_results_csv",
          "inspection-draw-record", "portal:guide_file", "portal:policy"}  # and the service guide's forms (current versions)
NOT_RECORDS = {"admin:auth_user_password_change"}  # the admin site has its own permissions

# url name → (the record it names, "read" or "act", who must be refused, POST data)
# Officials read the credit ledger, plans, campaigns and projects of the whole zone; a firm only its own.
FIRM_OUTSIDERS = ("member_a",)
# A problem is scoped further: its firm, that firm's steward, its departments (and leaders, dispatchers).
STAFF_OUTSIDERS = ("member_a", "steward_a", "handler_y", "inspector_b")
# Acting needs more than reading: a steward or another department's official acts on none of these.
ACT_OUTSIDERS = ("member_a", "steward_a", "handler_y")
SPEC = {
    "directory:enterprise": ("firm_b", "read", ("member_a",), None),
    "directory:timeline": ("firm_b", "read", ("member_a",), None),
    "directory:file": ("firm_b", "read", ("member_a",), None),
    "directory:location": ("firm_b", "act", ("member_a", "member_b", "steward_a", "handler_y"),
                           {"lng": "125.2", "lat": "43.8"}),
    # The cockpit's reports: leaders, the supervision office and administrators only.
    "dashboard:report_file": ("report", "read", ("member_a", "member_b", "steward_a", "handler_x", "dispatcher"),
                              None),
    "enterprise-detail": ("firm_b", "read", ("member_a",), None),
    "department-detail": ("dept_x", "read", ("member_a",), None),
    "tickets:detail": ("ticket", "read", STAFF_OUTSIDERS, None),
    "tickets:act": ("ticket", "act", STAFF_OUTSIDERS, {"respond-note": "越权回复"}),
    "tickets:notice": ("notice", "read", STAFF_OUTSIDERS + ("member_b",), None),
    "tickets:sheet": ("ticket", "read", STAFF_OUTSIDERS + ("member_b",), None),
    "tickets:attachment": ("attachment", "read", STAFF_OUTSIDERS, None),
    "ticket-detail": ("ticket", "read", STAFF_OUTSIDERS, None),
    "ticket-events": ("ticket", "read", STAFF_OUTSIDERS, None),
    **{f"ticket-{a}": ("ticket", "act", STAFF_OUTSIDERS, {"note": "越权", "reason": "越权", "answer": "越权",
                                                         "outcome": "solved", "rating": "satisfied",
                                                         "comment": "越权", "workdays": 1, "approve": True,
                                                         "into": "QS-2026-000001", "instruction": "越权",
                                                         "lead_department": "dept-y"})
       for a in ("accept", "callback", "confirm", "decide_extension", "dispatch", "instruct", "merge", "redispatch",
                 "request_extension", "resolve", "respond", "resume", "return", "supervise", "suspend",
                 "take_charge", "urge", "withdraw", "publish", "unpublish", "sender_reject")},
    # Background jobs: administrators only.
    "job_retry": ("job", "act", ("member_a", "steward_a", "handler_x", "dispatcher", "leader"), {}),
    # A background export: whoever asked for it, no one else (not even another dispatcher or a leader).
    "export_page": ("export", "read", ("member_a", "steward_a", "handler_x", "leader", "admin"), None),
    "export_file": ("export", "read", ("member_a", "steward_a", "handler_x", "leader", "admin"), None),
    "export-detail": ("export", "read", ("member_a", "steward_a", "handler_x", "leader", "admin"), None),
    "export-download": ("export", "read", ("member_a", "steward_a", "handler_x", "leader", "admin"), None),
    "credit:record": ("record", "read", FIRM_OUTSIDERS, None),
    "credit-record-detail": ("record", "read", FIRM_OUTSIDERS, None),
    "credit:record_act": ("record", "act", ACT_OUTSIDERS, {"revoke-reason": "越权撤销"}),
    "credit:evidence": ("request", "read", FIRM_OUTSIDERS, None),
    "credit:list_end": ("list_entry", "act", ACT_OUTSIDERS + ("inspector_b",), {"reason": "越权"}),
    "credit:rules_edit": ("ruleset", "read", FIRM_OUTSIDERS + ("handler_x", "head_y"), None),
    "inspections:plan": ("plan", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "inspections:plan_act": ("plan", "act", ACT_OUTSIDERS + ("inspector_b",), {}),
    "inspection-plan-detail": ("plan", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "inspections:visit": ("visit", "read", FIRM_OUTSIDERS + ("inspector_b",), None),
    "inspections:visit_act": ("visit", "act", ACT_OUTSIDERS + ("inspector_b",), {}),
    "inspections:result_photo": ("result", "read", FIRM_OUTSIDERS + ("inspector_b",), None),
    "inspections:order_evidence": ("order", "read", FIRM_OUTSIDERS + ("inspector_b",), None),
    "inspection-visit-detail": ("visit", "read", FIRM_OUTSIDERS + ("inspector_b",), None),
    "inspections:campaign": ("campaign", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "inspections:hazard_rectify": ("hazard", "act", ("member_a", "member_b", "steward_a"), {"rectification": "越权"}),
    "inspection-campaign-detail": ("campaign", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "inspection-campaign-checks": ("campaign", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "inspection-campaign-statistics": ("campaign", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "projects:detail": ("project", "read", FIRM_OUTSIDERS, None),
    "projects:edit": ("project", "read", ACT_OUTSIDERS + ("member_b",), None),
    "projects:act": ("project", "act", ACT_OUTSIDERS + ("member_b",), {"stage-to": "talks"}),
    "projects:step_act": ("step", "act", ACT_OUTSIDERS + ("member_b",), {}),
    "project-detail": ("project", "read", FIRM_OUTSIDERS, None),
    "project-schedule": ("project", "read", FIRM_OUTSIDERS, None),
    "project-steps": ("project", "read", FIRM_OUTSIDERS, None),
    "project-step-detail": ("step", "read", FIRM_OUTSIDERS, None),
    "project-step-done": ("step", "act", ACT_OUTSIDERS + ("member_b",), {}),
    "project-step-start": ("step", "act", ACT_OUTSIDERS + ("member_b",), {}),
    "token-revoke": ("token", "act", ("member_a", "handler_x", "admin"), {}),
    "catalog:detail": ("application", "read", STAFF_OUTSIDERS, None),
    "catalog:notice": ("application", "read", STAFF_OUTSIDERS, None),
    "catalog:act": ("application", "act", STAFF_OUTSIDERS, {"supply-note": "越权"}),
    "catalog:rate": ("decided", "act", STAFF_OUTSIDERS + ("handler_x",), {
        "rate-overall": "1", "rate-efficiency": "1", "rate-attitude": "1", "rate-accuracy": "1"}),
    "catalog:bundle_detail": ("bundle_application", "read", STAFF_OUTSIDERS, None),
    "catalog:bundle_rate": ("bundle_application", "act", STAFF_OUTSIDERS, {
        "rate-overall": "1", "rate-efficiency": "1", "rate-attitude": "1", "rate-accuracy": "1"}),
    "catalog:rating": ("rating", "read", STAFF_OUTSIDERS, None),
    "catalog:rating_act": ("rating", "act", STAFF_OUTSIDERS, {"call_back-note": "越权", "appeal-reason": "越权"}),
    "catalog:registration": ("registration", "read", FIRM_OUTSIDERS, None),
    "catalog:file": ("submitted_file", "read", STAFF_OUTSIDERS, None),
    "catalog:claim": ("claim", "act", ACT_OUTSIDERS + ("member_b",), {}),
    "catalog-application-detail": ("application", "read", STAFF_OUTSIDERS, None),
    "catalog-application-events": ("application", "read", STAFF_OUTSIDERS, None),
    **{f"catalog-application-{a}": ("application", "act", STAFF_OUTSIDERS, {
        "note": "越权", "reason": "越权", "correction": "越权", "licence_number": "X", "delivery": "window",
        "decision_number": "X", "missing": ""})
       for a in ("accept", "approve", "deliver", "deny", "refuse", "request_correction", "resubmit", "resume",
                 "revoke", "supply", "suspend")},
    "catalog-bundle-application-detail": ("bundle_application", "read", STAFF_OUTSIDERS, None),
    "catalog-rating-detail": ("rating", "read", STAFF_OUTSIDERS, None),
    **{f"catalog-rating-{a}": ("rating", "act", STAFF_OUTSIDERS, {
        "note": "越权", "reply": "越权", "reason": "越权", "answer": "越权", "upheld": True, "overall": 5,
        "efficiency": 5, "attitude": 5, "accuracy": 5})
       for a in ("appeal", "call_back", "decide_appeal", "reply", "rerate")},
    # 万人助万企: officials read campaigns, visits and firms' service files; a firm its own visits and the
    # policies in force; only a visit's author corrects it, only its firm confirms it.
    "service:campaign": ("svc_campaign", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "service:visit": ("svc_visit", "read", FIRM_OUTSIDERS, None),
    "service:visit_edit": ("svc_visit", "read", ACT_OUTSIDERS + ("member_b", "handler_x", "dispatcher"), None),
    "service:visit_act": ("svc_visit", "act", ACT_OUTSIDERS, {"annotate-note": "越权", "confirm-comment": "越权"}),
    "service:photo": ("svc_photo", "read", FIRM_OUTSIDERS, None),
    "service:policy": ("svc_draft_policy", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "service:policy_edit": ("svc_policy", "read", ACT_OUTSIDERS + ("member_b", "handler_x"), None),
    "service:policy_act": ("svc_policy", "act", ACT_OUTSIDERS + ("member_b", "handler_x"), {"reason": "越权"}),
    "service:firm": ("firm_b", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "service-visit-detail": ("svc_visit", "read", FIRM_OUTSIDERS, None),
    "service-visit-annotate": ("svc_visit", "act", ACT_OUTSIDERS, {"note": "越权"}),
    "service-visit-confirm": ("svc_visit", "act", ACT_OUTSIDERS, {"comment": "越权"}),
    "service-policy-detail": ("svc_draft_policy", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "service-policy-matches": ("svc_draft_policy", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "service-campaign-detail": ("svc_campaign", "read", FIRM_OUTSIDERS + ("member_b",), None),
    # money: the firm applies, the paying department (x) works it; another department's officials act on none
    "service:application_new": ("svc_draft_policy", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "service:payout_prepare": ("svc_auto_policy", "act", ACT_OUTSIDERS + ("member_b",), {}),
    "service:application": ("svc_application", "read", FIRM_OUTSIDERS + ("bank_a",), None),
    "service:application_act": ("svc_application", "act", ACT_OUTSIDERS + ("bank_a",), {
        "approve-amount_granted": "1", "deny-reason": "越权", "pay-voucher": "X", "pay-paid_on": "2026-01-01",
        "withdraw-reason": "越权"}),
    "service:payout": ("svc_payout", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "service:payout_act": ("svc_payout", "act", ACT_OUTSIDERS + ("member_b",), {"voucher": "X",
                                                                               "paid_on": "2026-01-01"}),
    **{f"service-application-{a}": ("svc_application", "act", ACT_OUTSIDERS + ("bank_a",), {
        "amount_granted": 1, "reason": "越权", "voucher": "X", "paid_on": "2026-01-01"})
       for a in ("accept", "approve", "deny", "pay", "withdraw")},
    "service-application-detail": ("svc_application", "read", FIRM_OUTSIDERS + ("bank_a",), None),
    # financing: a bank sees a firm only under the firm's consent
    "service:need": ("svc_need", "read", FIRM_OUTSIDERS + ("bank_a",), None),
    "service:need_act": ("svc_need", "act", ("member_a", "steward_a", "bank_a"), {}),
    "service:match_act": ("svc_match", "act", ("member_a", "member_b", "steward_a", "bank_a"), {
        "decline-reason": "越权"}),
    "service:consent": ("svc_bank", "act", ("handler_x", "steward_a", "bank_a"), {}),
    "service:bank_file": ("firm_b", "read", ("bank_a", "member_a", "handler_x"), None),
    "service-need-detail": ("svc_need", "read", FIRM_OUTSIDERS + ("bank_a",), None),
    "service-need-matches": ("svc_need", "read", FIRM_OUTSIDERS + ("bank_a",), None),
    "service-match-detail": ("svc_match", "read", FIRM_OUTSIDERS + ("bank_a",), None),
    **{f"service-match-{a}": ("svc_match", "act", ("member_a", "member_b", "steward_a", "bank_a"), {
        "reason": "越权", "amount_lent": 1, "lent_on": "2026-01-01"})
       for a in ("contact", "diligence", "approve_loan", "decline", "lend")},
    # task forces: officials read them; only its members and lead act
    "service:taskforce": ("svc_taskforce", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "service:brief": ("svc_taskforce", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "service:taskforce_act": ("svc_taskforce", "act", ACT_OUTSIDERS + ("handler_x", "bank_a"), {
        "status": "stopped", "note": "越权", "watch": "1"}),
    "service-taskforce-detail": ("svc_taskforce", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "service-taskforce-supply": ("svc_taskforce", "act", ACT_OUTSIDERS + ("handler_x", "bank_a"), {
        "enterprise": "X", "status": "stopped"}),
    # chains: officials read them; the chain office keeps a chain, the firms party to a relation confirm it, the
    # campaign's team works its invitations
    "chain:chain": ("chain", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain:chain_act": ("chain", "act", ACT_OUTSIDERS + ("member_b", "bank_a"), {"name": "越权", "segment": "1"}),
    "chain:segment": ("chain_segment", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "chain:impact": ("firm_b", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain:relation": ("chain_relation", "read", FIRM_OUTSIDERS + ("bank_a",), None),
    "chain:relation_act": ("chain_relation", "act", ACT_OUTSIDERS + ("bank_a",), {"dispute-reason": "越权",
                                                                                  "end-reason": "越权"}),
    "chain:target": ("chain_target", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain:campaign": ("chain_campaign", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain:invitation": ("chain_invitation", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain:invitation_act": ("chain_invitation", "act", ACT_OUTSIDERS + ("handler_x", "member_b"), {
        "talks-x": "1", "decline-reason": "越权"}),
    "chain:consultation": ("chain_consultation", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain:meeting": ("chain_meeting", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain-detail": ("chain", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain-relation-detail": ("chain_relation", "read", FIRM_OUTSIDERS + ("bank_a",), None),
    **{f"chain-relation-{a}": ("chain_relation", "act", ACT_OUTSIDERS + ("bank_a",), {"reason": "越权"})
       for a in ("confirm", "dispute", "end")},
    "chain-impact-detail": ("firm_b", "read", FIRM_OUTSIDERS + ("member_b", "bank_a"), None),
    "chain-target-detail": ("chain_target", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "chain-campaign-detail": ("chain_campaign", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "chain-consultation-detail": ("chain_consultation", "read", FIRM_OUTSIDERS + ("member_b",), None),
    "chain-invitation-detail": ("chain_invitation", "read", FIRM_OUTSIDERS + ("member_b",), None),
    **{f"chain-invitation-{a}": ("chain_invitation", "act", ACT_OUTSIDERS + ("handler_x", "member_b"), {
        "reason": "越权", "kind": "call", "on": "2026-01-01", "who": "x", "said": "y", "expected_investment": 1})
       for a in ("contact", "talks", "intent", "sign", "decline")},
}
ACTIONS_OF = {"tickets:act": ["respond", "withdraw", "resolve", "urge", "dispatch"],
              "credit:record_act": ["revoke", "objection", "decide"],
              "inspections:plan_act": ["approve", "freeze", "draw", "publish"],
              "inspections:visit_act": ["result", "complete", "submit", "verify"],
              "projects:act": ["stage", "step-add"],
              "projects:step_act": ["start", "done", "reopen", "remove", "link", "unlink", "edit"],
              "catalog:act": ["supply", "approve", "request_correction", "suspend"],
              "catalog:rating_act": ["call_back", "appeal", "reply"],
              "service:visit_act": ["annotate", "confirm"],
              "service:policy_act": ["publish", "withdraw", "push"],
              "service:application_act": ["accept", "approve", "deny", "pay", "withdraw"],
              "service:payout_act": ["approve", "pay"],
              "service:need_act": ["suggest", "withdraw"],
              "service:match_act": ["contact", "decline"],
              "service:consent": ["grant", "revoke"],
              "service:taskforce_act": ["members", "close", "supply_add", "supply_update"],
              "chain:chain_act": ["segment", "propose"],
              "chain:relation_act": ["confirm", "dispute", "end"],
              "chain:invitation_act": ["contact", "talks", "intent", "sign", "decline"]}


def url_names() -> set[str]:
    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and ("pk" in str(p.pattern) or "<id" in str(p.pattern)):
                yield f"{ns}{p.name}"
    return set(walk(get_resolver().url_patterns))


def test_every_endpoint_that_names_a_record_is_in_the_matrix():
    assert url_names() - set(SPEC) - PUBLIC - NOT_RECORDS == set()


@pytest.fixture
def world(make_user, tmp_path, settings):
    from yingshang.credit import services as credit
    from yingshang.directory.models import Department
    from yingshang.directory.services import stewardship_assign
    from yingshang.directory.tests.factories import DepartmentFactory, EnterpriseFactory
    from yingshang.inspections import services as insp
    from yingshang.inspections.models import Inspector, Item, Order, Visit
    from yingshang.projects import services as proj
    from yingshang.projects.models import Template
    from yingshang.tickets import services as tickets
    from yingshang.tickets.models import Category

    settings.MEDIA_ROOT = tmp_path
    credit.defaults_ensure()
    proj.templates_ensure_defaults()
    x = DepartmentFactory(code="dept-x", name="市场监督管理局X")
    y = DepartmentFactory(code="dept-y", name="生态环境分局Y")
    bureau = DepartmentFactory(code="bureau-x", name="服务局X", kind=Department.Kind.BUREAU)
    a, b = EnterpriseFactory(), EnterpriseFactory(bureau=bureau)
    w = {"dept_x": x, "firm_b": b}
    w.update(member_a=make_user("enterprise", enterprise=a), member_b=make_user("enterprise", enterprise=b),
             steward_a=make_user("steward"), handler_x=make_user("handler", department=x),
             head_x=make_user("dept_head", department=x), handler_y=make_user("handler", department=y),
             head_y=make_user("dept_head", department=y), dispatcher=make_user("dispatcher"),
             admin=make_user("admin"), leader=make_user("leader"), bureau_staff=make_user("handler", department=bureau))
    stewardship_assign(actor=None, enterprise=a, steward=w["steward_a"], leader=w["leader"])
    cat = Category.objects.get_or_create(name="供电", parent=Category.objects.get_or_create(name="水电气热",
                                                                                          parent=None)[0])[0]
    t = tickets.ticket_register(actor=w["member_b"], enterprise=b, category=cat, title="B 企业的问题", description="d",
                                attachments=[SimpleUploadedFile("b.pdf", b"%PDF-1.4", content_type="application/pdf")])
    tickets.ticket_dispatch(actor=w["dispatcher"], ticket=t, lead_department=x)
    tickets.ticket_accept(actor=w["handler_x"], ticket=t)
    w["ticket"] = t
    w["attachment"] = t.attachments.first()
    w["notice"] = tickets.ticket_supervise(actor=w["leader"], ticket=t, note="限期办结")
    rec = credit.record_create(actor=w["handler_x"], enterprise=b, kind="penalty", severity="serious",
                               decision_number="X罚〔2025〕1号", decided_on=timezone.localdate() - timedelta(days=400),
                               description="处罚")
    w["record"] = rec
    w["request"] = credit.repair_apply(actor=w["member_b"], record=rec, reason="已整改", evidence=SimpleUploadedFile(
        "整改.pdf", b"%PDF-1.4", content_type="application/pdf"))
    w["list_entry"] = credit.list_add(actor=w["head_x"], enterprise=b, kind="black", basis="联合惩戒")
    w["ruleset"] = credit.ruleset_new_draft(actor=w["admin"])
    items = [Item.objects.create(department=x, code="SC-01", name="营业执照")]
    ins = []
    for i in range(3):
        u = make_user("inspector", department=x)
        ins.append(Inspector.objects.create(user=u, name=u.get_full_name(), department=x, certificate=f"22X{i:04d}"))
    plan = insp.plan_create(actor=w["handler_x"], name="抽查", lead_department=x, departments=[x], items=items,
                            starts_on=date.today(), ends_on=date.today() + timedelta(days=30), ratios={"B": "1"},
                            min_inspectors=2)
    insp.plan_approve(actor=w["head_x"], plan=plan)
    draw = insp.draw_run(actor=w["handler_x"], draw=insp.pools_freeze(actor=w["handler_x"], plan=plan), seed="7")
    visit = Visit.objects.filter(draw=draw, enterprise=b).first() or Visit.objects.filter(draw=draw).first()
    assigned = set(visit.inspectors.values_list("pk", flat=True))
    w["inspector_b"] = next(i.user for i in ins if i.pk not in assigned)
    w.update(plan=plan, draw=draw, visit=visit)
    from yingshang.demo import pictures

    w["result"] = insp.result_record(actor=visit.inspectors.first().user, visit=visit, item=items[0],
                                     outcome="ordered", requirement="整改", workdays_to_rectify=5,
                                     photo=SimpleUploadedFile("现场.png", pictures.png(), content_type="image/png"))
    insp.visit_complete(actor=visit.inspectors.first().user, visit=visit)
    w["order"] = Order.objects.get(visit=visit)
    insp.order_submit(actor=w["member_b"] if visit.enterprise_id == b.pk else w["member_a"], order=w["order"],
                      note="已整改", evidence=SimpleUploadedFile("整改.pdf", b"%PDF-1.4", content_type="application/pdf"))
    camp = insp.campaign_create(actor=w["handler_x"], name="专项排查", sector="fire", department=x,
                                starts_on=date.today(), ends_on=date.today() + timedelta(days=30))
    chk = insp.check_record(actor=w["handler_x"], campaign=camp, enterprise=b, checked_on=date.today(),
                            checkers="甲、乙", hazards=[{"description": "通道堵塞", "level": "general", "workdays": 5}])
    w.update(campaign=camp, hazard=chk.hazards.first())
    p = proj.project_create(actor=w["bureau_staff"], template=Template.objects.get(name="一般工业项目（四阶段）"),
                            name="B 企业项目", investor=b, bureau=bureau, investment=100_000_000,
                            starts_on=date.today())
    w.update(project=p, step=p.steps.order_by("order").first())
    from yingshang.core.tokens import token_create

    w["token"] = token_create(actor=w["member_b"])[0]
    from yingshang.catalog import services as cat
    from yingshang.catalog.models import ItemType

    cat.item_types_ensure_defaults()
    common = {"type": ItemType.objects.get(code="01"), "department": x, "statutory_limit": 20,
              "committed_limit": 5, "online": True, "online_depth": 4, "tolerant": True}
    i1 = cat.item_publish(actor=None, code="X-001", basic_code="B1", fields={**common, "name": "经营许可"},
                          materials=[{"name": "申请书"}, {"name": "制度", "necessity": "secondary"}]).item
    i2 = cat.item_publish(actor=None, code="X-002", basic_code="B2", fields={**common, "name": "备案"}).item
    app = cat.application_submit(actor=w["member_b"], item=i1, enterprise=b, files=[
        ("申请书", SimpleUploadedFile("申请书.pdf", b"%PDF-1.4", content_type="application/pdf"))])
    w["submitted_file"] = app.files.get()
    w["application"] = cat.application_accept(actor=w["handler_x"], application=app)  # b is blacklisted: no 容缺
    dec = cat.application_accept(actor=w["handler_x"], application=cat.application_submit(
        actor=w["member_b"], item=i2, enterprise=b))
    w["decided"] = cat.application_approve(actor=w["handler_x"], application=dec, licence_number="L1")
    w["rating"] = cat.rating_submit(actor=w["member_b"], application=w["decided"], overall=1, efficiency=1,
                                    attitude=1, accuracy=1)
    bundle = cat.bundle_define(actor=w["admin"], code="b-x", name="一件事", items=[(i1, 1), (i2, 1)])
    w["bundle_application"] = cat.bundle_apply(actor=w["member_b"], bundle=bundle, enterprise=b)
    from yingshang.catalog.models import ScopeRule

    ScopeRule.objects.create(keyword="经营", item=i1)
    w["registration"] = cat.registration_record(actor=None, uscc=b.uscc, name=b.name, scope="经营",
                                                registered_on=date.today())
    w["claim"] = w["registration"].claims.get()
    from yingshang.dashboard import services as cockpit

    from yingshang.service import services as svc

    w["svc_campaign"] = svc.campaign_create(actor=w["leader"], name="服务企业周", department=x,
                                            starts_on=date.today() - timedelta(days=1),
                                            ends_on=date.today() + timedelta(days=5))
    policy = dict(issuer="管委会", effective_on=date.today(), benefit="补助", paying_department=x)
    w["svc_policy"] = svc.policy_publish(actor=w["head_x"], policy=svc.policy_create(actor=w["head_x"], title="补助",
                                                                                     **policy))
    w["svc_draft_policy"] = svc.policy_create(actor=w["head_x"], title="草案", **policy)
    w["svc_visit"] = svc.visit_record(actor=w["leader"], enterprise=b, visited_on=date.today(), form="onsite",
                                      discussion="走访", campaign=w["svc_campaign"], photos=[SimpleUploadedFile(
                                          "p.jpg", b"\xff\xd8\xff0000", content_type="image/jpeg")])
    w["svc_photo"] = w["svc_visit"].photos.get()
    w["svc_auto_policy"] = svc.policy_publish(actor=w["head_x"], policy=svc.policy_create(
        actor=w["head_x"], title="免申即享", automatic=True, amount=1000, **policy))
    w["svc_payout"] = svc.payout_prepare(actor=w["handler_x"], policy=w["svc_auto_policy"])
    w["svc_application"] = svc.application_submit(actor=w["member_b"], policy=w["svc_policy"], enterprise=b,
                                                  statement="申请", amount_requested=1)
    from yingshang.service.models import Bank, BankMember

    w["svc_bank"] = Bank.objects.create(name="工商银行")
    w["bank_a"] = make_user("bank")
    BankMember.objects.create(user=w["bank_a"], bank=Bank.objects.create(name="另一家银行"))
    svc.product_save(actor=w["leader"], bank=w["svc_bank"], name="科技贷", rate_min=3, rate_max=4, term_months=36,
                     amount_max=10**7)
    w["svc_need"] = svc.need_register(actor=w["member_b"], enterprise=b, amount=10**6, term_months=12,
                                      purpose="流动资金")
    w["svc_match"] = svc.matches_suggest(actor=w["leader"], need=w["svc_need"])[0]
    w["svc_taskforce"] = svc.taskforce_create(actor=w["leader"], name="保供专班", lead=w["leader"],
                                              starts_on=date.today(), members=[w["head_x"]])
    svc.supply_add(actor=w["leader"], taskforce=w["svc_taskforce"], enterprise=b)
    from yingshang.chain import services as chain

    w["chain"] = chain.chain_create(actor=w["leader"], name="汽车零部件", chief=w["leader"], office=x, anchors=[a])
    w["chain_segment"] = chain.segment_add(actor=w["handler_x"], chain=w["chain"], name="缸体铸件")
    w["chain_relation"] = chain.relation_add(actor=w["handler_x"], supplier=b, customer=EnterpriseFactory(),
                                             product="缸体", segment=w["chain_segment"])
    w["chain_target"] = chain.target_add(actor=w["handler_x"], name="区外甲公司", region="江苏昆山")
    w["chain_campaign"] = chain.campaign_create(actor=w["leader"], name="六个回归", held_on=date.today(),
                                                team=bureau)
    w["chain_invitation"] = chain.invite(actor=w["bureau_staff"], campaign=w["chain_campaign"],
                                         targets=[w["chain_target"]])[0]
    site = chain.site_add(actor=w["handler_x"], name="地块", lng=125.2, lat=43.8, area_mu=10, land_status="clean")
    w["chain_consultation"] = chain.consultation_convene(actor=w["bureau_staff"], project=p, sites=[site],
                                                         departments=[x], meets_on=date.today())
    w["chain_meeting"] = chain.meeting_hold(actor=w["leader"], title="调度会", held_on=date.today())
    from yingshang.core.models import Job

    w["job"] = Job.objects.create(name="test.nothing", state=Job.State.FAILED, attempts=8, last_error="x")
    from yingshang.core import exports

    w["export"] = exports.request_export(actor=w["dispatcher"], scope="tickets.ledger", fmt="csv", query="")
    exports.run_job({"export": w["export"].pk})
    w["report"] = cockpit.report_write(actor=w["leader"], kind="custom", start=date.today() - timedelta(days=6),
                                       end=date.today())
    return w


def snapshot():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in (
        "tickets", "credit", "inspections", "projects", "directory", "catalog", "dashboard", "service", "chain")} | {
        "statuses": [list(apps.get_model(*n.split(".")).objects.order_by("pk").values_list(f, flat=True))
                     for n, f in (("tickets.Ticket", "status"), ("tickets.Ticket", "published"),
                                  ("core.Job", "state"), ("credit.Record", "status"),
                                  ("inspections.Order", "status"), ("projects.Step", "status"),
                                  ("core.ApiToken", "revoked_at"), ("credit.ListEntry", "status"),
                                  ("catalog.Application", "status"), ("catalog.Rating", "status"),
                                  ("catalog.Claim", "status"), ("directory.Enterprise", "lng"),
                                  ("service.Policy", "status"), ("service.Visit", "confirmed_at"),
                                  ("service.Application", "status"), ("service.Payout", "status"),
                                  ("service.Match", "status"), ("service.FinancingNeed", "status"),
                                  ("service.SupplyWatch", "status"), ("service.TaskForce", "status"),
                                  ("service.Consent", "revoked_at"), ("chain.Relation", "status"),
                                  ("chain.Invitation", "stage"), ("chain.Target", "status"),
                                  ("chain.Opinion", "view"), ("chain.Consultation", "status"))]}


def _urls(name, obj):
    if name == "dashboard:report_file":
        return [reverse(name, kwargs={"pk": obj.pk, "fmt": f}) for f in ("docx", "xlsx", "pdf")]
    if name in ACTIONS_OF:
        return [reverse(name, kwargs={"pk": obj.pk, "action": a}) for a in ACTIONS_OF[name]]
    return [reverse(name if ":" in name else name, kwargs={"pk": obj.pk})]


@pytest.mark.parametrize("name", sorted(SPEC))
def test_outsiders_neither_read_nor_act(client, world, name):
    key, kind, outsiders, data = SPEC[name]
    obj = world[key]
    api = not (":" in name)
    before = snapshot()
    for role in outsiders:
        client.force_login(world[role])
        for url in _urls(name, obj):
            if kind == "read":
                r = client.get(url)
            elif api:
                r = client.post(url, data or {}, content_type="application/json")
            else:
                r = client.post(url, data or {})
            assert r.status_code in (403, 404), f"{role} {r.status_code} {url}"
    assert snapshot() == before
