"""The ratings' and the claims' actions × every role: the rated department calls back, replies and (its head)
appeals; the hall decides appeals; the firm rates once more; the licensing department claims. A refused
action writes nothing; a new action without an expectation here fails."""

import pytest
from django.core.exceptions import PermissionDenied

from yingshang.catalog import services
from yingshang.catalog.actions import ratings as RATINGS
from yingshang.catalog.actions import registrations as CLAIMS
from yingshang.catalog.models import Claim, RatingEvent, RegistrationEvent, ScopeRule

pytestmark = pytest.mark.django_db
ROLES = ["member", "outsider", "clerk", "head", "tax_clerk", "hall_clerk", "hall_head", "supervisor", "admin"]
ALLOWED = {"call_back": {"clerk", "head", "admin"}, "reply": {"clerk", "head", "admin"},
           "appeal": {"head", "admin"}, "decide_appeal": {"hall_clerk", "hall_head", "admin"},
           "rerate": {"member"}}
CLAIM_ALLOWED = {"claim": {"tax_clerk", "admin"}}


def test_every_action_has_an_expectation():
    assert set(ALLOWED) == set(RATINGS.actions) and set(CLAIM_ALLOWED) == set(CLAIMS.actions)


def bring(cw, name):
    a = services.application_submit(actor=cw.member, item=cw.seal, enterprise=cw.firm,
                                    form_data={"name": "X", "legal": "Y"})
    a = services.application_approve(actor=cw.clerk, application=services.application_accept(
        actor=cw.clerk, application=a), licence_number="L")
    r = services.rating_submit(actor=cw.member, application=a, overall=1, efficiency=1, attitude=1, accuracy=1)
    if name in ("reply", "rerate"):
        r = services.rating_call_back(actor=cw.admin, rating=r, note="回访")
    if name == "rerate":
        r = services.rating_reply(actor=cw.admin, rating=r, reply="已整改")
    if name == "decide_appeal":
        r = services.rating_appeal(actor=cw.admin, rating=r, reason="误评")
    return r


CALLS = {"call_back": {"note": "回访"}, "reply": {"reply": "已整改"}, "appeal": {"reason": "误评"},
         "decide_appeal": {"upheld": True, "answer": "成立"},
         "rerate": {"overall": 4, "efficiency": 4, "attitude": 4, "accuracy": 4}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_rating_action_by_role(cw, name, role):
    r = bring(cw, name)
    actor = getattr(cw, role)
    assert RATINGS[name].allowed(actor, r) == (role in ALLOWED[name]), (name, role)
    before = RatingEvent.objects.count()
    fn = getattr(services, f"rating_{name}")
    if role in ALLOWED[name]:
        fn(actor=actor, rating=r, **CALLS[name])
        assert RatingEvent.objects.count() > before
    else:
        with pytest.raises(PermissionDenied):
            fn(actor=actor, rating=r, **CALLS[name])
        assert RatingEvent.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_claim_by_role(cw, role):
    from yingshang.directory.tests.factories import EnterpriseFactory

    ScopeRule.objects.create(keyword="发票", item=cw.invoice)
    reg = services.registration_record(actor=None, uscc=EnterpriseFactory.build().uscc, name="甲", scope="发票代开",
                                       registered_on="2026-06-01")
    c = Claim.objects.get(registration=reg)
    actor = getattr(cw, role)
    assert CLAIMS["claim"].allowed(actor, c) == (role in CLAIM_ALLOWED["claim"]), role
    before = RegistrationEvent.objects.count()
    if role in CLAIM_ALLOWED["claim"]:
        services.claim_claim(actor=actor, claim=c)
        assert RegistrationEvent.objects.count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            services.claim_claim(actor=actor, claim=c)
        assert RegistrationEvent.objects.count() == before
