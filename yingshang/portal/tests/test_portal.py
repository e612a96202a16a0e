"""The portal's front page, the public policies with the self-check by credit code (public attributes only), and
the zone's service figures (aggregates only)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from yingshang.directory.tests.factories import BureauFactory, EnterpriseFactory
from yingshang.service import matching


@pytest.fixture
def policies(db, make_user):
    from yingshang.service import services

    head = make_user("dept_head")
    dept = head.staff_profile.department
    common = dict(issuer="管委会", effective_on=date(2026, 1, 1), benefit="补助", paying_department=dept)
    small = services.policy_create(actor=head, title="小微企业补助", conditions={
        "all": [{"attr": "size", "op": "in", "value": ["small", "micro"]}]}, **common)
    rd = services.policy_create(actor=head, title="研发补助", conditions={
        "all": [{"attr": "size", "op": "in", "value": ["small"]}, {"attr": "rd_share", "op": "gte", "value": "3"}]},
        **common)
    large = services.policy_create(actor=head, title="大企业奖励", conditions={
        "all": [{"attr": "size", "op": "in", "value": ["large"]}]}, **common)
    draft = services.policy_create(actor=head, title="草案", conditions={"all": []}, **common)
    for p in (small, rd, large):
        services.policy_publish(actor=head, policy=p)
    return small, rd, large, draft


def test_the_self_check_judges_on_public_attributes_only(client, policies):
    small, rd, large, draft = policies
    firm = EnterpriseFactory(size="small", bureau=BureauFactory())
    page = client.get(f"/public/policies/?uscc={firm.uscc}")
    assert page.status_code == 200
    html = page.content.decode()
    verdicts = {p.title: v for p, v in ((small, "yes"), (rd, "maybe"), (large, "no"))}
    for title, v in verdicts.items():
        block = html[html.index(f">{title}</a>"):][:400]
        assert f'data-verdict="{v}"' in block, title
    assert "草案" not in html  # a draft is not public
    assert client.get(f"/public/policies/{draft.pk}/").status_code == 404
    one = client.get(f"/public/policies/{rd.pk}/?uscc={firm.uscc}").content.decode()
    assert 'data-verdict="maybe"' in one


@pytest.mark.parametrize("code, status", [("123", 400), ("91220101MA0Y3K7B2Y", 400), ("", 200),
                                          ("x\x00y", 400)])
def test_a_wrong_credit_code_is_a_400_with_a_message(client, policies, code, status):
    r = client.get("/public/policies/", {"uscc": code})
    assert r.status_code == status
    if status == 400 and "\x00" not in code:  # (a NUL byte is refused before any page, by the middleware)
        assert 'data-testid="check-error"' in r.content.decode()


def test_a_firm_not_of_the_zone_is_told_so(client, policies):
    from yingshang.core.uscc import make_uscc

    r = client.get("/public/policies/", {"uscc": make_uscc("220173", 99_999_001)})
    assert r.status_code == 400


leaf = st.one_of(
    st.builds(lambda v: {"attr": "size", "op": "in", "value": v}, st.lists(st.sampled_from(["large", "small"]),
                                                                            min_size=1, max_size=2)),
    st.builds(lambda v: {"attr": "revenue", "op": "gte", "value": str(v)}, st.integers(0, 100)),
    st.builds(lambda v: {"attr": "key", "op": "is", "value": v}, st.booleans()))
tree = st.recursive(leaf, lambda kids: st.one_of(st.builds(lambda c: {"all": c}, st.lists(kids, min_size=1, max_size=3)),
                                                 st.builds(lambda c: {"any": c}, st.lists(kids, min_size=1, max_size=3)),
                                                 st.builds(lambda c: {"not": c}, kids)), max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(tree, st.sampled_from(["large", "small"]), st.booleans(), st.integers(0, 100), st.integers(0, 100))
def test_a_public_verdict_holds_whatever_the_unpublished_figures_are(cond, size, key, rev1, rev2):
    firm = {"size": size, "key": key, "revenue": Decimal(rev1)}
    verdict, leaves = matching.verdict_known(cond, firm, {"size", "key"})
    outcomes = {matching.matches(cond, {**firm, "revenue": Decimal(r)}) for r in (rev1, rev2, 0, 100)}
    if verdict is not None:
        assert outcomes == {verdict}
    assert all(x.met is None for x in leaves if x.attr == "revenue")


def test_the_service_figures_are_the_ledgers_aggregates(client, make_user, enterprise):
    from yingshang.tickets import services as tickets
    from yingshang.tickets.models import Category

    cat = Category.objects.get_or_create(name="供电", parent=Category.objects.get_or_create(name="水电气热",
                                                                                          parent=None)[0])[0]
    member = make_user("enterprise", enterprise=enterprise)
    dispatcher = make_user("dispatcher")
    handler = make_user("handler")
    for i in range(3):
        t = tickets.ticket_register(actor=member, enterprise=enterprise, category=cat, title=f"机密问题{i}",
                                    description="d")
        tickets.ticket_dispatch(actor=dispatcher, ticket=t, lead_department=handler.staff_profile.department)
    page = client.get(f"/public/figures/?year={timezone.localdate().year}")
    html = page.content.decode()
    assert page.status_code == 200 and "机密问题" not in html and enterprise.name not in html
    row = html[html.index(handler.staff_profile.department.name):][:200]
    assert ">3<" in row
    assert client.get("/public/figures/?year=1999").status_code == 400
    assert client.get(f"/public/figures/?year={timezone.localdate().year + 1}").status_code == 400
    assert client.get("/public/").status_code == 200
