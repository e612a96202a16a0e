"""The chain's rules in the services: the tree, placements, supply relations (entered, imported, confirmed),
targets from the gaps, and a campaign's invitation up to the returned project."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yingshang.chain import selectors, services
from yingshang.chain.models import Event, Relation, Stage, Target
from yingshang.core.actions import IllegalTransition
from yingshang.projects.models import Project
from yingshang.projects.models import Stage as ProjectStage


def test_segment_tree_refuses_cycles_and_other_chains(world):
    top, mid, leaf = world.segments()
    with pytest.raises(ValidationError) as e:
        services.segment_move(actor=world.keeper, segment=top, parent=leaf)
    assert "parent" in e.value.message_dict
    top.refresh_from_db()
    assert top.parent_id is None
    services.segment_move(actor=world.keeper, segment=leaf, parent=top)
    leaf.refresh_from_db()
    assert leaf.parent_id == top.pk
    other = services.chain_create(actor=world.leader, name="智能网联", chief=world.leader, office=world.office)
    with pytest.raises(ValidationError):
        services.segment_add(actor=world.keeper, chain=other, name="激光雷达", parent=top)
    with pytest.raises(ValidationError):
        services.segment_add(actor=world.keeper, chain=world.chain, name="发动机")  # a name twice in a chain
    assert Event.objects.filter(action="chain.segment.moved").count() == 1


def test_coverage_counts_the_firms_of_a_segment_and_of_everything_under_it(world):
    top, mid, leaf = world.segments()
    cov = {s["name"]: s["coverage"] for s in selectors.chain_segments(world.chain)}
    assert cov == {"动力总成": "gap", "发动机": "gap", "缸体铸件": "gap"}
    services.placement_add(actor=world.keeper, segment=leaf, enterprise=world.tier2)
    cov = {s["name"]: s["coverage"] for s in selectors.chain_segments(world.chain)}
    assert cov == {"动力总成": "weak", "发动机": "weak", "缸体铸件": "weak"}
    services.placement_add(actor=world.keeper, segment=mid, enterprise=world.tier1)
    cov = {s["name"]: (s["coverage"], s["n_firms"]) for s in selectors.chain_segments(world.chain)}
    assert cov == {"动力总成": ("strong", 2), "发动机": ("strong", 2), "缸体铸件": ("weak", 1)}
    with pytest.raises(ValidationError):
        services.placement_add(actor=world.keeper, segment=leaf, enterprise=world.tier2)


def test_relation_rules(world):
    top, mid, leaf = world.segments()
    r = services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体",
                              segment=leaf, share="40")
    assert r.status == Relation.Status.UNCONFIRMED and r.share == Decimal("40")
    for bad, field in [({"supplier": world.plant}, "supplier"), ({"share": "120"}, "share"),
                       ({"supplier": None}, "supplier"), ({"supplier_name": "区外某厂"}, "supplier_name"),
                       ({"product": ""}, "product"), ({}, "product")]:
        values = {"supplier": world.tier1, "customer": world.plant, "product": "缸盖", "segment": leaf, **bad}
        if not bad:
            values["product"] = "缸体"  # the same relation twice
        with pytest.raises(ValidationError) as e:
            services.relation_add(actor=world.keeper, **values)
        assert field in e.value.message_dict, bad
    assert Relation.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.relation_add(actor=world.handler, supplier=world.tier1, customer=world.plant, product="曲轴")


def test_the_firm_confirms_or_disputes_only_its_own_relations(world):
    r = services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体")
    with pytest.raises(PermissionDenied):
        services.relation_confirm(actor=world.other_member, relation=r)
    r = services.relation_dispute(actor=world.member, relation=r, reason="只供应缸盖")
    assert r.status == Relation.Status.DISPUTED and r.dispute == "只供应缸盖"
    r = services.relation_confirm(actor=world.member, relation=r)
    assert r.status == Relation.Status.CONFIRMED and r.dispute == ""
    with pytest.raises(IllegalTransition):
        services.relation_confirm(actor=world.member, relation=r)
    services.relation_end(actor=world.keeper, relation=r, reason="停止配套")
    with pytest.raises(IllegalTransition):
        services.relation_dispute(actor=world.member, relation=r, reason="x")
    assert list(r.events.values_list("action", flat=True)) == [
        "supply.relation.added", "supply.relation.disputed", "supply.relation.confirmed", "supply.relation.ended"]


def _xlsx(rows, columns=None):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([h for h, _r in (columns or services.RELATION_COLUMNS)])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_is_all_or_nothing_with_row_errors(world):
    top, mid, leaf = world.segments()
    good = [world.tier1.uscc, "", "", world.plant.uscc, "缸体", "30%", "2021-06-01", "缸体铸件"]
    outside = ["", "潍坊华晟精密铸造有限公司", "山东潍坊", world.anchor.uscc, "缸体", "", "", "缸体铸件"]
    bad = [world.tier1.uscc, "", "", "91220101MA0Y3K7B2Y", "缸体", "", "2021-13-01", "不存在"]
    report = services.relations_import(actor=world.keeper, data=_xlsx([good, outside, bad]), filename="r.xlsx")
    assert not report.ok and report.errors[0].row == 4 and Relation.objects.count() == 0
    report = services.relations_import(actor=world.keeper, data=_xlsx([good, outside, good]), filename="r.xlsx")
    assert [e.row for e in report.errors] == [4]
    report = services.relations_import(actor=world.keeper, data=_xlsx([good, outside]), filename="r.xlsx")
    assert report.ok and report.created == 2
    assert set(Relation.objects.values_list("source", flat=True)) == {"imported"}
    assert Relation.objects.get(supplier__isnull=True).supplier_name == "潍坊华晟精密铸造有限公司"


def test_targets_are_proposed_from_the_gaps_once(world):
    top, mid, leaf = world.segments()
    services.relation_add(actor=world.keeper, supplier_name="潍坊华晟精密铸造有限公司", supplier_region="山东潍坊",
                          customer=world.plant, product="缸体", segment=leaf)  # the anchor's unit buys from afar
    services.relation_add(actor=world.keeper, supplier_name="区外普通供应商", customer=world.tier1, product="螺栓",
                          segment=leaf)  # not a 链主's unit: not proposed
    made = services.targets_propose(actor=world.keeper, chain=world.chain)
    assert [(t.name, t.region, t.segment_id, t.origin) for t in made] == [
        ("潍坊华晟精密铸造有限公司", "山东潍坊", leaf.pk, Target.Origin.GAP)]
    assert list(made[0].supplies.all()) == [world.plant]
    assert services.targets_propose(actor=world.keeper, chain=world.chain) == []
    # a segment covered by a large local firm is no gap
    services.placement_add(actor=world.keeper, segment=leaf, enterprise=world.tier1)
    assert selectors.chain_gaps(world.chain) == []


def test_campaign_to_a_returned_project(world, campaign):
    top, mid, leaf = world.segments()
    t = services.target_add(actor=world.recruiter, name="宁德瑞能电池科技有限公司", region="福建宁德", segment=leaf)
    with pytest.raises(PermissionDenied):
        services.invite(actor=world.handler, campaign=campaign, targets=[t])
    [inv] = services.invite(actor=world.recruiter, campaign=campaign, targets=[t])
    assert services.invite(actor=world.recruiter, campaign=campaign, targets=[t]) == []  # invited once
    services.contact_record(actor=world.recruiter, invitation=inv, kind="visit", on=date(2021, 7, 1), who="韩招商",
                            said="拜访总部")
    with pytest.raises(ValidationError):
        services.contact_record(actor=world.recruiter, invitation=inv, kind="call", on=date(2999, 1, 1), who="x",
                                said="y")
    inv = services.invitation_talks(actor=world.recruiter, invitation=inv)
    inv = services.invitation_intent(actor=world.recruiter, invitation=inv, expected_investment=500_000_000)
    with pytest.raises(IllegalTransition):
        services.invitation_talks(actor=world.recruiter, invitation=inv)
    inv = services.invitation_sign(actor=world.recruiter, invitation=inv, project_name="瑞能长春电池基地",
                                   investment=480_000_000, bureau=world.bureau, signed_on=date(2021, 9, 1))
    p = Project.objects.get()
    assert inv.stage == Stage.SIGNED and inv.project == p and inv.last_contact_on == date(2021, 7, 1)
    assert (p.is_returned, p.returned_from, p.stage, p.stage_since, p.investment, p.investor_name, p.steward) == (
        True, "福建宁德", ProjectStage.SIGNED, date(2021, 9, 1), Decimal(480_000_000), t.name, world.recruiter)
    t.refresh_from_db()
    assert t.status == Target.Status.SIGNED and p.invitation == inv
    with pytest.raises(IllegalTransition):
        services.invitation_decline(actor=world.recruiter, invitation=inv, reason="x")
    assert list(inv.events.values_list("action", flat=True)) == [
        "chain.invitation.invited", "chain.invitation.contacted", "chain.invitation.talks", "chain.invitation.intent",
        "chain.invitation.signed"]


def test_a_failed_signing_leaves_nothing(world, campaign):
    t = services.target_add(actor=world.recruiter, name="区外甲公司", region="江苏昆山")
    [inv] = services.invite(actor=world.recruiter, campaign=campaign, targets=[t])
    with pytest.raises(ValidationError):
        services.invitation_sign(actor=world.recruiter, invitation=inv, project_name="", investment=1,
                                 bureau=world.bureau, signed_on=date(2021, 9, 1))
    inv.refresh_from_db()
    assert inv.stage == Stage.INVITED and not Project.objects.exists()


def test_impact_reaches_the_plants_downstream_and_not_upstream(world):
    services.relation_add(actor=world.keeper, supplier=world.tier2, customer=world.tier1, product="毛坯")
    services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体")
    services.relation_add(actor=world.keeper, supplier=world.other, customer=world.tier2, product="钢材")
    rows = selectors.impact(world.tier2.pk)
    assert [(r["id"], r["depth"], r["anchor"]) for r in rows] == [(world.tier1.pk, 1, False), (world.plant.pk, 2, True)]
    assert rows[1]["path"] == [world.tier2.name, world.tier1.name, world.plant.name]
    assert world.other.pk not in {r["id"] for r in rows}
    r = Relation.objects.get(product="缸体")
    services.relation_end(actor=world.keeper, relation=r, reason="停供")
    assert [x["id"] for x in selectors.impact(world.tier2.pk)] == [world.tier1.pk]


def test_a_firm_in_trouble_is_on_the_impact_board(world, make_user):
    from yingshang.credit.models import ListEntry

    services.relation_add(actor=world.keeper, supplier=world.tier1, customer=world.plant, product="缸体")
    assert selectors.impact_board() == []
    ListEntry.objects.create(enterprise=world.tier1, kind=ListEntry.Kind.BLACK, basis="测试", starts_on=date(2026, 1, 1))
    [row] = selectors.impact_board()
    assert row["id"] == world.tier1.pk and row["why"] == ["black"] and [p["id"] for p in row["plants"]] == [world.plant.pk]


def _targets_xlsx(rows):
    return _xlsx(rows, services.TARGET_COLUMNS)


def test_targets_import_is_all_or_nothing(world):
    top, mid, leaf = world.segments()
    good = ["大连精铸科技有限公司", "辽宁大连", "汽车零部件", "缸体铸件", "缸体", f"{world.plant.uscc}、{world.anchor.uscc}",
            "李总"]
    plain = ["宁波甲公司", "浙江宁波", "", "", "", "", ""]
    for bad, col in [(["", "辽宁大连", "", "", "", "", ""], "企业名称"),
                     (["乙公司", "天津", "", "不存在的环节", "", "", ""], "环节"),
                     (["丙公司", "天津", "", "", "", "91220101MA0Y3K7B2Y", ""], "已配套的区内企业"),
                     ([world.tier1.name, "天津", "", "", "", "", ""], "企业名称")]:
        report = services.targets_import(actor=world.keeper, data=_targets_xlsx([good, bad]), filename="t.xlsx")
        assert [(e.row, e.column) for e in report.errors] == [(3, col)], bad
        assert not Target.objects.exists()
    report = services.targets_import(actor=world.keeper, data=_targets_xlsx([good, plain]), filename="t.xlsx")
    assert report.ok and report.created == 2
    t = Target.objects.get(name="大连精铸科技有限公司")
    assert (t.segment, t.origin, set(t.supplies.all())) == (leaf, "imported", {world.plant, world.anchor})
    with pytest.raises(PermissionDenied):
        services.targets_import(actor=world.handler, data=_targets_xlsx([plain]), filename="t.xlsx")
