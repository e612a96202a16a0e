"""Rules that once lived only in a page, held by the services: through the API as well as the pages."""

import pytest

from yingshang.directory.models import Enterprise
from yingshang.tickets import services, selectors
from yingshang.tickets.models import Category, Ticket
from yingshang.tickets.permissions import channels_for, may_raise_for


def _post(client, data, **headers):
    return client.post("/api/v1/tickets/", data, content_type="application/json", **headers)


def _body(w, **extra):
    cat = Category.objects.filter(parent__isnull=False, default_department__isnull=True).first()
    return {"enterprise": w.firm.uscc, "category": cat.pk, "title": "厂区道路破损", "description": "影响物流车辆通行",
            **extra}


@pytest.mark.django_db
def test_a_firm_registers_online_only_whatever_it_sends(world, client):
    client.force_login(world.member)
    r = _post(client, _body(world, channel="onsite"))
    assert r.status_code == 400 and r.json()["code"] == "invalid" and "channel" in r.json()["fields"]
    assert not Ticket.objects.exists()
    r = _post(client, _body(world))
    assert r.status_code == 201 and r.json()["channel"] == "web"
    # The page offers no channel to a firm; one added to the form by hand is not taken.
    cat = Category.objects.filter(parent__isnull=False, default_department__isnull=True).first()
    r = client.post("/tickets/new/", {"enterprise": world.firm.pk, "category": cat.pk, "title": "路灯不亮",
                                      "description": "夜间出行不便", "urgency": "normal", "channel": "onsite"})
    assert r.status_code == 302
    assert Ticket.objects.get(title="路灯不亮").channel == "web"


@pytest.mark.django_db
def test_each_role_registers_through_its_own_channels(world, client):
    assert channels_for(world.member) == ["web"]
    assert channels_for(world.leader)[0] == "onsite" and channels_for(world.steward)[0] == "steward"
    client.force_login(world.dispatcher)
    assert _post(client, _body(world, channel="onsite")).status_code == 400  # the on-site office is the leaders'
    r = _post(client, _body(world, channel="hotline"))
    assert r.status_code == 201 and r.json()["channel"] == "hotline"
    client.force_login(world.leader)
    r = _post(client, _body(world))
    assert r.status_code == 201 and r.json()["channel"] == "onsite"


@pytest.mark.django_db
def test_no_new_problem_for_a_firm_that_is_not_operating(world, client):
    Enterprise.objects.filter(pk=world.firm.pk).update(status=Enterprise.Status.DEREGISTERED)
    client.force_login(world.dispatcher)
    r = _post(client, _body(world))
    assert r.status_code == 400 and "enterprise" in r.json()["fields"]
    assert not Ticket.objects.exists()
    assert world.firm.pk not in set(selectors.raisable_enterprises(world.dispatcher).values_list("pk", flat=True))
    client.force_login(world.member)
    r = client.post("/tickets/new/", {"enterprise": world.firm.pk, "category": Category.objects.first().pk,
                                      "title": "x", "description": "y", "urgency": "normal"})
    assert r.status_code == 400 and not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "other_member", "steward", "dispatcher", "handler", "leader", "admin",
                                  "supervisor", "inspector"])
def test_who_may_raise_for_which_firm_is_one_rule(world, role):
    """The list the form offers and the rule the service applies say the same, for every role."""
    user = getattr(world, role)
    offered = set(selectors.raisable_enterprises(user).values_list("pk", flat=True))
    for firm in (world.firm, world.other_firm):
        assert (firm.pk in offered) == bool(may_raise_for(user, firm)), (role, firm)


@pytest.mark.django_db
def test_bulk_dispatch_is_one_service_that_skips_what_moved(world, client):
    a, b, c = world.ticket(), world.ticket(), world.ticket("in_progress")
    result = services.tickets_dispatch_bulk(actor=world.dispatcher, ids=[a.pk, b.pk, c.pk],
                                            lead_department=world.dept)
    assert result == {"dispatched": sorted([a.pk, b.pk]), "skipped": [c.pk]}
    c.refresh_from_db()
    assert c.status == "in_progress"
    d = world.ticket()
    client.force_login(world.handler)
    assert client.post("/tickets/ledger/dispatch/", {"ids": [d.pk], "bulk-lead_department": world.dept.pk}
                       ).status_code == 403
    client.force_login(world.dispatcher)
    r = client.post("/tickets/ledger/dispatch/", {"ids": [d.pk, "x"], "bulk-lead_department": world.dept.pk})
    assert r.status_code == 302 and Ticket.objects.get(pk=d.pk).status == "dispatched"


@pytest.mark.django_db
def test_the_api_checks_who_may_act_before_what_was_sent(world, client):
    t = world.ticket("registered")
    client.force_login(world.member)  # a firm may not dispatch: 403, even with a nonsense body
    r = client.post(f"/api/v1/tickets/{t.pk}/dispatch/", {"lead_department": "no-such"},
                    content_type="application/json")
    assert r.status_code == 403
    client.force_login(world.dispatcher)
    r = client.post(f"/api/v1/tickets/{t.pk}/dispatch/", {"lead_department": "no-such"},
                    content_type="application/json")
    assert r.status_code == 400 and "lead_department" in r.json()["fields"]
    r = client.post(f"/api/v1/tickets/{t.pk}/dispatch/", {"lead_department": world.dept.code},
                    content_type="application/json")
    assert r.status_code == 200
    r = client.post(f"/api/v1/tickets/{t.pk}/dispatch/", {"lead_department": world.other_dept.code},
                    content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    r = client.post(f"/api/v1/tickets/{t.pk}/redispatch/", {"lead_department": world.other_dept.code,
                                                          "reason": "应由其他部门办理"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["lead_department"] == world.other_dept.code


@pytest.mark.django_db
def test_dispatch_proposes_the_department_most_problems_of_the_category_went_to(world, client):
    earlier = world.ticket("dispatched")  # to world.dept
    t = world.ticket("registered")
    assert earlier.lead_department == world.dept
    client.force_login(world.dispatcher)
    page = client.get(f"/tickets/{t.pk}/").content.decode()
    form = page.split('data-testid="form-dispatch"')[1].split("</form>")[0]
    assert f'<option value="{world.dept.pk}" selected>' in form
