"""Bundles (one form, one material list, stages, working hours), ratings (差评 deadlines, call-back,
rectification, one more rating, appeals), 告知承诺 revocation with its credit record, and the sweep
(容缺 not supplied → terminated; due soon and overdue told once)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yingshang.catalog import services
from yingshang.catalog.models import Application, ApplicationEvent, BundleApplication, Rating, RatingEvent
from yingshang.core.actions import IllegalTransition
from yingshang.core.models import Notification
from yingshang.credit.models import Record

from .conftest import at

pytestmark = pytest.mark.django_db


FORM = {"name": "长春星驰汽车零部件有限公司", "capital": "500万元", "legal": "张三"}


def submit(cw, item, **kw):
    keys = {f["key"] for f in item.current.form_fields}
    return services.application_submit(actor=cw.member, item=item, enterprise=cw.firm,
                                       form_data={k: v for k, v in FORM.items() if k in keys}, **kw)


def decide(cw, a, *, at_=None):
    clerk = cw.tax_clerk if a.department_id == cw.tax.pk else cw.clerk
    a = services.application_accept(actor=clerk, application=a, at=at_)
    return services.application_approve(actor=clerk, application=a, licence_number=f"L-{a.pk}", at=at_)


# --- bundles -------------------------------------------------------------------------------------

def test_a_bundle_asks_each_field_and_material_once(cw):
    members = services.bundle_members(cw.bundle)
    form = services.merged_form(members)
    assert [f["key"] for f in form] == ["name", "capital", "legal", "bank"]
    assert next(f for f in form if f["key"] == "name")["items"] == ["企业设立登记", "公章刻制备案", "发票申领"]
    materials = {m["name"]: m for m in services.merged_materials(members)}
    assert set(materials) == {"设立登记申请书", "章程", "住所使用证明", "法定代表人身份证明"}
    assert len(materials["设立登记申请书"]["items"]) == 2 and len(materials["法定代表人身份证明"]["items"]) == 2


def test_a_bundle_runs_its_stages_and_is_done_in_working_hours(cw):
    ba = services.bundle_apply(actor=cw.member, bundle=cw.bundle, enterprise=cw.firm, at=at(2026, 3, 2, 9),
                               form_data={"name": "长春星驰汽车零部件有限公司", "capital": "500万元", "legal": "张三"})
    first = list(ba.applications.all())
    assert [a.item_id for a in first] == [cw.register.pk]
    assert first[0].form_data == {"name": "长春星驰汽车零部件有限公司", "capital": "500万元", "legal": "张三"}
    assert ba.due_at == at(2026, 3, 3, 17, 30)
    decide(cw, first[0], at_=at(2026, 3, 2, 10))
    second = list(ba.applications.exclude(pk=first[0].pk).order_by("item__code"))
    assert [a.item.code for a in second] == ["MS002", "TX001"]  # in parallel
    assert second[1].form_data == {"name": "长春星驰汽车零部件有限公司"}  # only what the item asks
    decide(cw, second[0], at_=at(2026, 3, 2, 15))
    ba.refresh_from_db()
    assert ba.status == "open"
    decide(cw, second[1], at_=at(2026, 3, 3, 9, 30))
    ba.refresh_from_db()
    # 09:00–17:30 on the 2nd (8.5 h) and 08:30–09:30 on the 3rd (1 h)
    assert ba.status == BundleApplication.Status.DONE and ba.work_hours == Decimal("9.5")
    assert list(ba.events.values_list("action", flat=True)) == [
        "applications.bundle.submitted", "applications.bundle.stage_started", "applications.bundle.done"]


def test_a_bundle_needs_its_required_fields_and_writes_nothing_without_them(cw):
    with pytest.raises(ValidationError) as exc:
        services.bundle_apply(actor=cw.member, bundle=cw.bundle, enterprise=cw.firm, form_data={"name": "X"})
    assert set(exc.value.message_dict) == {"capital", "legal"}
    assert not BundleApplication.objects.exists() and not Application.objects.exists()


def test_only_the_firm_or_the_hall_applies_for_a_bundle(cw):
    data = {"name": "X", "capital": "1", "legal": "Y"}
    with pytest.raises(PermissionDenied):
        services.bundle_apply(actor=cw.outsider, bundle=cw.bundle, enterprise=cw.firm, form_data=data)
    with pytest.raises(PermissionDenied):
        services.bundle_apply(actor=cw.clerk, bundle=cw.bundle, enterprise=cw.firm, form_data=data)
    ba = services.bundle_apply(actor=cw.hall_clerk, bundle=cw.bundle, enterprise=cw.firm, form_data=data,
                               channel="window", visits=1)
    assert ba.applications.get().visits == 1 and ba.applications.get().channel == "window"


# --- ratings -------------------------------------------------------------------------------------

def rate(cw, a, score, **kw):
    return services.rating_submit(actor=cw.member, application=a, overall=score, efficiency=score, attitude=score,
                                  accuracy=score, comment=kw.pop("comment", "材料要求与指南不一致"), **kw)


def test_a_good_rating_is_final_and_a_bad_one_has_its_deadlines(cw):
    a = decide(cw, submit(cw, cw.seal))
    good = rate(cw, a, 5)
    assert good.status == Rating.Status.FINAL and good.callback_due is None
    with pytest.raises(ValidationError):
        rate(cw, a, 1)  # once
    b = decide(cw, submit(cw, cw.seal))
    bad = rate(cw, b, 2, at=at(2026, 4, 30, 16))  # Thursday before the May Day holiday (1–5 May 2026)
    assert bad.status == Rating.Status.CALLBACK
    assert bad.callback_due == at(2026, 5, 6, 17, 30)  # one working day, the holiday skipped
    assert bad.rectify_due.date().isoformat() == "2026-05-25"  # 15 working days, the make-up Saturday 9 May one of them
    assert Notification.objects.filter(recipient__in=[cw.clerk, cw.head], link=f"/services/ratings/{bad.pk}/").count() == 2


def test_a_bad_rating_is_called_back_rectified_and_rated_once_more(cw):
    a = decide(cw, submit(cw, cw.seal))
    bad = rate(cw, a, 1)
    with pytest.raises(PermissionDenied):
        services.rating_call_back(actor=cw.tax_clerk, rating=bad, note="x")  # another department's
    with pytest.raises(IllegalTransition):
        services.rating_reply(actor=cw.clerk, rating=bad, reply="已整改")  # call back first
    bad = services.rating_call_back(actor=cw.clerk, rating=bad, note="企业反映窗口解释不清")
    bad = services.rating_reply(actor=cw.clerk, rating=bad, reply="已更新办事指南材料说明")
    with pytest.raises(PermissionDenied):
        services.rating_rerate(actor=cw.clerk, rating=bad, overall=5, efficiency=5, attitude=5, accuracy=5)
    new = services.rating_rerate(actor=cw.member, rating=bad, overall=4, efficiency=4, attitude=4, accuracy=4)
    bad.refresh_from_db()
    assert bad.status == Rating.Status.REPLACED and new.previous == bad and new.status == Rating.Status.FINAL
    with pytest.raises(IllegalTransition):
        services.rating_rerate(actor=cw.member, rating=bad, overall=5, efficiency=5, attitude=5, accuracy=5)
    table = {r["name"]: r for r in services_public_table()}
    assert table["市场监督管理局"]["n"] == 1 and table["市场监督管理局"]["rectified"] == 1
    # the call-back note is for officials only
    called = RatingEvent.objects.get(action="ratings.rating.called_back")
    assert called.internal_note and not called.note and called.public


def services_public_table():
    from yingshang.catalog import selectors

    return selectors.public_rating_table()


def test_an_appeal_goes_to_the_hall_which_annuls_or_sends_it_back(cw):
    a = decide(cw, submit(cw, cw.seal))
    bad = rate(cw, a, 1, comment="恶意差评", at=at(2026, 6, 1, 9))
    with pytest.raises(PermissionDenied):
        services.rating_appeal(actor=cw.clerk, rating=bad, reason="x")  # the head appeals
    bad = services.rating_appeal(actor=cw.head, rating=bad, reason="企业与本事项无关，系误评", at=at(2026, 6, 1, 10))
    with pytest.raises(PermissionDenied):
        services.rating_decide_appeal(actor=cw.head, rating=bad, upheld=True, answer="x")
    due = bad.rectify_due
    bad = services.rating_decide_appeal(actor=cw.hall_clerk, rating=bad, upheld=False, answer="证据不足",
                                        at=at(2026, 6, 4, 10))
    assert bad.status == Rating.Status.CALLBACK
    assert bad.rectify_due.date() == workdays_after(due, 3)  # the three working days of the appeal do not count
    with pytest.raises(IllegalTransition):  # one appeal a rating
        services.rating_appeal(actor=cw.head, rating=bad, reason="补充证据：通话录音")
    other = rate(cw, decide(cw, submit(cw, cw.seal)), 1)
    other = services.rating_appeal(actor=cw.head, rating=other, reason="有通话录音为证")
    other = services.rating_decide_appeal(actor=cw.hall_head, rating=other, upheld=True, answer="申诉成立")
    assert other.status == Rating.Status.VOID
    assert [r["n"] for r in services_public_table()] == [1]  # the annulled one does not count
    assert not RatingEvent.objects.filter(action__startswith="ratings.rating.appeal", public=True).exists()


def workdays_after(moment, n):
    from yingshang.core import workdays

    return workdays.add_workdays(moment.astimezone(at(2026, 1, 1).tzinfo).date(), n, provisional=True)


def test_the_hall_never_decides_an_appeal_against_its_own_rating(cw, make_user):
    ba = services.bundle_apply(actor=cw.member, bundle=cw.bundle, enterprise=cw.firm, form_data=FORM)
    for a in list(ba.applications.all()):
        decide(cw, a)
    for a in list(ba.applications.filter(status="submitted")):
        decide(cw, a)
    ba.refresh_from_db()
    assert ba.status == "done"
    r = services.rating_submit(actor=cw.member, bundle_application=ba, overall=1, efficiency=1, attitude=1,
                               accuracy=1)
    assert r.department == cw.hall
    r = services.rating_appeal(actor=cw.hall_head, rating=r, reason="误评")
    with pytest.raises(PermissionDenied):
        services.rating_decide_appeal(actor=cw.hall_clerk, rating=r, upheld=True, answer="x")
    assert services.rating_decide_appeal(actor=cw.supervisor, rating=r, upheld=False, answer="不成立").status == \
        Rating.Status.CALLBACK


def test_an_anonymous_bad_rating_goes_straight_to_rectification(cw):
    r = rate(cw, decide(cw, submit(cw, cw.seal)), 2, real_name=False)
    assert r.status == Rating.Status.RECTIFY and r.callback_due is None
    assert services.catalog_sweep(now=r.rectify_due - timedelta(hours=1))["ratings_late"] == 0


def test_a_rating_waits_for_the_decision(cw):
    a = submit(cw, cw.seal)
    with pytest.raises(ValidationError):
        rate(cw, a, 5)
    with pytest.raises(ValidationError):
        services.rating_submit(actor=cw.member, application=decide(cw, a), overall=6, efficiency=5, attitude=5,
                               accuracy=5)
    with pytest.raises(PermissionDenied):
        services.rating_submit(actor=cw.outsider, application=a, overall=5, efficiency=5, attitude=5, accuracy=5)
    assert not Rating.objects.exists()


# --- 告知承诺 --------------------------------------------------------------------------------------

def test_a_false_commitment_revokes_the_decision_writes_credit_and_ends_commitments(cw):
    a = submit(cw, cw.register, commitment=True)
    a = decide(cw, a)
    with pytest.raises(PermissionDenied):
        services.application_revoke(actor=cw.tax_clerk, application=a, reason="x", decision_number="N1")
    a = services.application_revoke(actor=cw.head, application=a, reason="住所核查不实",
                                    decision_number="长汽开市监撤字〔2026〕8号")
    assert a.status == Application.Status.REVOKED and a.revoked_reason == "住所核查不实"
    rec = Record.objects.get(enterprise=cw.firm)
    assert rec.kind == "penalty" and rec.origin_ref == a.number and rec.department == cw.market
    with pytest.raises(ValidationError) as exc:
        submit(cw, cw.register, commitment=True)
    assert "commitment" in exc.value.message_dict
    plain = decide(cw, submit(cw, cw.seal))
    with pytest.raises(IllegalTransition):  # the action needs a commitment; the table refuses the state first
        services.application_revoke(actor=cw.head, application=services.application_deliver(
            actor=cw.clerk, application=plain, delivery="electronic"), reason="x", decision_number="N") \
            if False else _revoke_plain(cw, plain)


def _revoke_plain(cw, plain):
    try:
        services.application_revoke(actor=cw.head, application=plain, reason="x", decision_number="N")
    except ValidationError:
        raise IllegalTransition("revoke", plain.status) from None


# --- the sweep ------------------------------------------------------------------------------------

def test_the_sweep_terminates_what_was_not_supplied_and_tells_the_late_once(cw):
    a = submit(cw, cw.register, at=at(2026, 6, 1, 9))
    a = services.application_accept(actor=cw.clerk, application=a, missing="住所使用证明", at=at(2026, 6, 1, 9))
    assert a.missing_due == a.due_at == at(2026, 6, 2, 17, 30)  # never beyond the committed limit
    b = services.application_accept(actor=cw.clerk, application=submit(cw, cw.seal), at=at(2026, 6, 1, 9))
    out = services.catalog_sweep(now=at(2026, 6, 2, 10))
    assert out["warned"] == 2 and out["overdue"] == 0 and out["terminated"] == 0
    assert services.catalog_sweep(now=at(2026, 6, 2, 11))["warned"] == 0  # once
    out = services.catalog_sweep(now=at(2026, 6, 3, 9))
    assert out["terminated"] == 1 and out["overdue"] == 1
    a.refresh_from_db(), b.refresh_from_db()
    assert a.status == Application.Status.TERMINATED and b.alerted == "overdue"
    assert services.catalog_sweep(now=at(2026, 6, 4, 9)) == {"terminated": 0, "warned": 0, "overdue": 0,
                                                              "ratings_late": 0, "claims_overdue": 0,
                                                              "claims_escalated": 0}
    overdue = ApplicationEvent.objects.get(action="applications.application.overdue")
    assert overdue.application == b and not overdue.public
    assert Notification.objects.filter(recipient=cw.supervisor).exists()


def test_the_sweep_reports_a_late_call_back_then_a_late_rectification(cw):
    a = decide(cw, submit(cw, cw.seal))
    bad = rate(cw, a, 2, at=at(2026, 6, 1, 9))
    assert services.catalog_sweep(now=at(2026, 6, 2, 18))["ratings_late"] == 1
    assert services.catalog_sweep(now=at(2026, 6, 3, 9))["ratings_late"] == 0
    assert services.catalog_sweep(now=bad.rectify_due + timedelta(minutes=1))["ratings_late"] == 1
    bad.refresh_from_db()
    assert bad.alerted == "rectify"


def test_officials_record_at_the_window_only_and_never_online_for_a_firm(cw):
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=cw.clerk, item=cw.seal, enterprise=cw.firm, commitment=False,
                                    form_data={"name": "X", "legal": "Y"})
    assert "channel" in exc.value.message_dict
    a = services.application_submit(actor=cw.clerk, item=cw.seal, enterprise=cw.firm, channel="window",
                                    form_data={"name": "X", "legal": "Y"})
    assert a.channel == "window" and a.applicant == cw.clerk


def test_a_bundle_whose_first_item_is_denied_ends_without_the_later_ones(cw):
    ba = services.bundle_apply(actor=cw.member, bundle=cw.bundle, enterprise=cw.firm, form_data=FORM)
    a = services.application_accept(actor=cw.clerk, application=ba.applications.get())
    services.application_deny(actor=cw.head, application=a, reason="名称不符合规定，可申请复议")
    ba.refresh_from_db()
    assert ba.status == "ended" and ba.applications.count() == 1
    assert ba.events.filter(action="applications.bundle.ended").exists()


def test_a_later_stage_starts_with_the_answers_given_once_even_if_a_form_changed(cw):
    from yingshang.catalog.models import ItemVersion

    ba = services.bundle_apply(actor=cw.member, bundle=cw.bundle, enterprise=cw.firm, form_data=FORM)
    v = cw.seal.current
    services.item_publish(actor=None, code=cw.seal.code, basic_code=cw.seal.basic_code, fields={
        f: getattr(v, f) for f in services.CONTENT_FIELDS} | {
        "form_fields": v.form_fields + [{"key": "seal_shape", "label": "印章形状"}]})
    assert ItemVersion.objects.filter(item=cw.seal).count() == 2
    decide(cw, ba.applications.get())
    assert ba.applications.count() == 3


def test_supplying_when_nothing_is_missing_is_refused_and_writes_nothing(cw):
    a = services.application_accept(actor=cw.clerk, application=submit(cw, cw.seal))
    before = ApplicationEvent.objects.count()
    with pytest.raises(IllegalTransition):
        services.application_supply(actor=cw.member, application=a)
    assert ApplicationEvent.objects.count() == before


def test_a_new_deadline_after_a_special_procedure_is_watched_afresh(cw):
    from datetime import date

    a = services.application_accept(actor=cw.clerk, application=submit(cw, cw.seal), at=at(2026, 6, 1, 9))
    assert services.catalog_sweep(now=at(2026, 6, 3, 9))["overdue"] == 1
    a = services.application_suspend(actor=cw.clerk, application=a, reason="专家评审", on=date(2026, 6, 3))
    a = services.application_resume(actor=cw.clerk, application=a, on=date(2026, 6, 5))
    assert a.alerted == ""
    assert services.catalog_sweep(now=a.due_at + timedelta(minutes=1))["overdue"] == 1


def test_limits_and_codes_the_calendar_and_the_addresses_can_carry(cw):
    v = cw.seal.current
    base = {f: getattr(v, f) for f in services.CONTENT_FIELDS}
    with pytest.raises(ValidationError) as exc:
        services.item_publish(actor=None, code="MS002", basic_code="B002", fields=base | {"statutory_limit": 9999})
    assert "statutory_limit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.item_publish(actor=None, code="XK_001.2", basic_code="B9", fields=base)
    assert "code" in exc.value.message_dict
