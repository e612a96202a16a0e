"""A project step that is an approval item follows the firm's application: applying starts it, approval
finishes it with the licence number; another firm's application or another item changes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from yingshang.catalog import services as catalog
from yingshang.catalog.models import ItemType
from yingshang.projects import services
from yingshang.projects.models import Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(w):
    catalog.item_types_ensure_defaults()
    v = catalog.item_publish(actor=None, code="PL-012", basic_code="B012", fields={
        "name": "建设工程规划许可证核发", "type": ItemType.objects.get(code="01"), "department": w.planning,
        "statutory_limit": 20, "committed_limit": 5, "online": True, "online_depth": 4})
    p = w.project(starts_on=timezone.localdate())
    step = p.steps.filter(department=w.planning).order_by("order").first()
    step = services.step_update(actor=w.admin, step=step, item_code=v.item.code)
    return w, p, Step.objects.get(pk=step.pk), v.item


def test_applying_starts_the_step_and_approval_finishes_it(client, linked):
    w, p, step, item = linked
    assert step.item_code == "PL-012" and step.status == "todo"
    client.force_login(w.member)
    page = client.get(reverse("projects:detail", args=[p.pk])).content.decode()
    assert f'data-testid="apply-step-{step.code}"' in page
    r = client.post(reverse("catalog:apply", args=[item.code]) + f"?ref=projects.step:{step.pk}",
                    {"enterprise": w.firm.pk, "ref": f"projects.step:{step.pk}"})
    assert r.status_code == 302
    step.refresh_from_db()
    assert step.status == "doing"
    a = item.applications.get()
    a = catalog.application_accept(actor=w.planner, application=a)
    catalog.application_approve(actor=w.planner, application=a, licence_number="建字第220174202600012号")
    step.refresh_from_db()
    assert step.status == "done" and step.licence_number == "建字第220174202600012号"
    assert p.events.filter(action="projects.step.finished", step=step).exists()


def test_another_firms_application_changes_nothing(linked, make_user):
    from yingshang.directory.tests.factories import EnterpriseFactory

    w, p, step, item = linked
    other = EnterpriseFactory()
    catalog.application_submit(actor=make_user("enterprise", enterprise=other), item=item, enterprise=other,
                               ref=f"projects.step:{step.pk}")
    step.refresh_from_db()
    assert step.status == "todo"
    with pytest.raises(ValidationError):
        catalog.application_submit(actor=w.member, item=item, enterprise=w.firm, ref="projects.step:1;drop")


def test_a_step_names_only_a_published_item(linked):
    w, p, step, item = linked
    with pytest.raises(ValidationError):
        services.step_update(actor=w.admin, step=step, item_code="NO-SUCH")
