"""The demo's 万人助万企: a 服务企业周 campaign with visits across the nine bureaus (some firms not yet visited — the
R&D institute among them), twenty policies shaped like the zone's and the province's (R&D subsidies,
new-energy parts, talent, stable employment, 专精特新) with their conditions, firms' yearly figures, a pushed
policy, a 免申即享 payout list being paid, applications in every state; a 银企对接会 with six banks and matches
in every state; the epidemic-control command with its six task forces and a 保供 list of FAW's suppliers. Played
through the real services, as of their days. Loaded once: skipped when present."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from yingshang.service import services
from yingshang.service.models import Bank, BankMember, Campaign

from . import clock

MARKER = "2026年冬季“服务企业周”走访活动"
RD = "中国第一汽车集团有限公司研发总院"
LINGLONG = "吉林玲珑轮胎有限公司"

SMALL = {"attr": "size", "op": "in", "value": ["small", "micro"]}
SME = {"attr": "size", "op": "in", "value": ["medium", "small", "micro"]}
AUTO = {"attr": "industry", "op": "contains", "value": ["汽车", "零部件", "轮胎", "电池"]}
NOT_D = {"not": {"attr": "credit_grade", "op": "in", "value": ["D"]}}
# title, issuer, document number, paying department, amount, automatic, conditions, benefit, how to apply
POLICIES = [
    ("研发费用后补助", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕12号", "finance", 500000, False,
     {"all": [{"attr": "rd_share", "op": "gte", "value": "3"}, NOT_D]},
     "按上年度研发费用增量的 10% 给予后补助，单户最高 50 万元。", "登录平台提交研发费用专项审计报告，财政局 60 个工作日内兑现。"),
    ("新能源汽车零部件配套奖励", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕15号", "development", 1000000, False,
     {"all": [AUTO, {"attr": "revenue", "op": "gte", "value": "20000000"}, NOT_D]},
     "首次进入一汽新能源车型配套体系的零部件企业，按配套合同额 2% 奖励，最高 100 万元。", "提交配套合同及定点通知书。"),
    ("专精特新中小企业奖励", "吉林省工业和信息化厅", "吉工信中小〔2025〕88号", "development", 300000, False,
     {"all": [SME, {"attr": "rd_share", "op": "gte", "value": "3"}, {"attr": "age_years", "op": "gte", "value": 3}]},
     "认定为省级专精特新中小企业的，一次性奖励 30 万元。", "提交认定文件。"),
    ("稳岗返还", "长春市人力资源和社会保障局", "长人社发〔2026〕6号", "hrss", 50000, True,
     {"all": [{"attr": "headcount", "op": "gte", "value": 10}, NOT_D]},
     "上年度未裁员或裁员率低于规定的企业，按上年度实际缴纳失业保险费的 60% 返还（免申即享）。", ""),
    ("高层次人才安家补贴", "长春汽车经济技术开发区管委会", "长汽开发〔2025〕31号", "hrss", 200000, False,
     {"all": [{"attr": "industry", "op": "contains", "value": ["汽车", "研究", "软件", "电子"]}]},
     "引进博士及以上人才，给予每人最高 20 万元安家补贴。", "提交人才劳动合同及学历证明。"),
    ("汽车零部件企业技术改造补助", "长春市工业和信息化局", "长工信发〔2026〕9号", "development", 2000000, False,
     {"all": [AUTO, {"attr": "revenue", "op": "gte", "value": "50000000"}]},
     "技改设备投资额 500 万元以上的项目，按设备投资 8% 补助，最高 200 万元。", "提交技改项目备案及设备发票。"),
    ("小微企业首贷贴息", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕18号", "finance", 100000, False,
     {"all": [SMALL, NOT_D]},
     "首次获得银行贷款的小微企业，按贷款市场报价利率的 50% 贴息一年。", "提交贷款合同及付息凭证。"),
    ("纳税信用A级企业奖励", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕20号", "finance", 100000, True,
     {"all": [{"attr": "tax_a", "op": "is", "value": True}]},
     "纳税信用评价为 A 级的企业，一次性奖励 10 万元（免申即享）。", ""),
    ("重点企业用电保障补贴", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕7号", "utilities", 300000, False,
     {"all": [{"attr": "key", "op": "is", "value": True}]},
     "重点企业新增用电容量，按报装费用 30% 补贴。", "提交供电报装合同。"),
    ("新招用高校毕业生社保补贴", "长春市人力资源和社会保障局", "长人社发〔2026〕11号", "hrss", 30000, False,
     {"all": [SME]}, "招用离校 2 年内高校毕业生的，按单位缴纳社保费给予补贴。", "提交劳动合同及社保缴费明细。"),
    ("智能网联汽车应用场景示范奖励", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕22号", "development", 500000,
     False, {"all": [{"attr": "industry", "op": "contains", "value": ["软件", "电子", "研究"]}]},
     "在区内开展智能网联测试示范的企业，按投入 20% 奖励。", "提交示范方案及投入凭证。"),
    ("物流企业运输补贴", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕25号", "transport", 200000, False,
     {"all": [{"attr": "industry", "op": "contains", "value": ["运输", "仓储", "物流"]}]},
     "为一汽主机厂配套运输的物流企业，按运输量给予补贴。", "提交运输合同及结算单。"),
    ("新设立企业开办补贴", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕2号", "gov-data", 20000, False,
     {"all": [{"attr": "age_years", "op": "lte", "value": 1}]}, "新设立企业给予开办费用补贴 2 万元。", "提交营业执照。"),
    ("规上工业企业首次升规奖励", "长春市工业和信息化局", "长工信发〔2026〕3号", "development", 200000, False,
     {"all": [{"attr": "revenue", "op": "gte", "value": "20000000"}, {"attr": "revenue", "op": "lte",
                                                                     "value": "40000000"}]},
     "首次纳入规模以上工业统计的企业奖励 20 万元。", "提交统计部门入规证明。"),
    ("研发机构建设补助", "吉林省科学技术厅", "吉科发〔2025〕40号", "development", 1000000, False,
     {"all": [{"attr": "rd_share", "op": "gte", "value": "5"}, {"attr": "headcount", "op": "gte", "value": 50}]},
     "新认定省级以上企业技术中心、工程研究中心的，补助 100 万元。", "提交认定文件。"),
    ("动力电池回收利用项目补助", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕28号", "ecology", 800000, False,
     {"all": [{"attr": "industry", "op": "contains", "value": ["电池", "回收"]}]},
     "开展动力电池梯次利用与回收的项目，按投资 10% 补助。", "提交项目备案及环评批复。"),
    ("企业上云用数补贴", "长春市工业和信息化局", "长工信发〔2026〕14号", "gov-data", 50000, False,
     {"all": [SME]}, "购买云服务、工业互联网平台服务的，按费用 30% 补贴。", "提交服务合同及发票。"),
    ("安全生产标准化达标奖励", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕30号", "emergency", 50000, False,
     {"all": [{"attr": "industry", "op": "contains", "value": ["制造", "汽车", "金属"]}, NOT_D]},
     "安全生产标准化二级达标的企业奖励 5 万元。", "提交达标证书。"),
    ("返乡创业企业场地租金补贴", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕33号", "hrss", 60000, False,
     {"all": [SMALL, {"attr": "age_years", "op": "lte", "value": 3}]}, "返乡人员创办的小微企业，补贴场地租金。",
     "提交租赁合同。"),
    ("信用良好企业融资担保费补贴", "长春汽车经济技术开发区管委会", "长汽开发〔2026〕35号", "finance", 80000, True,
     {"all": [{"attr": "credit_grade", "op": "in", "value": ["A"]}, SME]},
     "信用 A 类中小企业的融资担保费，按 50% 补贴（免申即享）。", ""),
]

BANKS = [("中国工商银行长春汽车厂支行", "工行汽车厂支行"), ("中国建设银行长春汽车产业开发区支行", "建行汽开支行"),
         ("中国农业银行长春汽车城支行", "农行汽车城支行"), ("中国银行长春汽车厂支行", "中行汽车厂支行"),
         ("吉林银行长春汽车城支行", "吉林银行汽车城支行"), ("长春农村商业银行汽开区支行", "长春农商行汽开支行")]
GROUPS = [("物流保通专班", "transport"), ("配件供应专班", "development"), ("复工复产专班", "hrss"),
          ("防疫物资专班", "emergency"), ("人员管控专班", "market"), ("宣传专班", "gov-data")]


def _staff(depts, code, role):
    from yingshang.directory.models import StaffProfile

    return (StaffProfile.objects.filter(department=depts[code], user__groups__name=role, user__is_active=True)
            .select_related("user").order_by("user__username").first()).user


def load(*, depts, firms, users) -> int:
    from yingshang.directory.models import Enterprise, Stewardship

    if Campaign.objects.filter(name=MARKER).exists() or Enterprise.objects.count() > 5000:
        return 0
    rng = random.Random(2021)  # the year the campaign of the article ran
    today = timezone.localdate()
    n = 0
    ops = list(Enterprise.objects.filter(status="operating").order_by("pk"))
    # --- firms' yearly figures (2025): revenue, headcount, R&D
    for f in ops:
        base = {"large": 10**9, "medium": 10**8, "small": 2 * 10**7, "micro": 3 * 10**6}.get(f.size or "small")
        revenue = Decimal(int(base * rng.uniform(0.3, 1.6)))
        rd = (revenue * Decimal(rng.choice([0, 1, 2, 2.5, 3, 3.5, 4, 6, 8])) / 100).quantize(Decimal(1))
        headcount = {"large": 3000, "medium": 400, "small": 60, "micro": 8}.get(f.size or "small")
        with clock.story(date(2026, 3, 31)):
            services.facts_set(actor=users["admin"], enterprise=f, year=2025, revenue=revenue,
                               headcount=max(1, int(headcount * rng.uniform(0.4, 1.5))), rd_expense=rd)
    # --- policies
    head = users["leader"]
    policies = []
    with clock.story(date(2026, 1, 15)):
        for title, issuer, doc, dept, amount, auto, cond, benefit, how in POLICIES:
            p = services.policy_create(actor=head, title=title, issuer=issuer, document_number=doc,
                                       effective_on=date(2026, 1, 1), expires_on=date(2026, 12, 31) if auto else None,
                                       benefit=benefit, amount=Decimal(amount), paying_department=depts[dept],
                                       how_to_apply=how, automatic=auto, conditions=cond,
                                       window_closes=None if auto else date(2027, 6, 30))
            policies.append(services.policy_publish(actor=head, policy=p))
            n += 1
    draft = services.policy_create(actor=head, title="汽车后市场服务业发展扶持（征求意见稿）", issuer="长春汽车经济技术开发区管委会",
                                   effective_on=today, benefit="征求意见中。", paying_department=depts["development"],
                                   conditions={"all": [{"attr": "industry", "op": "contains", "value": ["汽车"]}]})
    by_title = {p.title: p for p in policies}
    # pushed to the firms it fits (送政策上门)
    with clock.story(today - timedelta(days=20)):
        services.policy_push(actor=head, policy=by_title["专精特新中小企业奖励"])
        services.policy_push(actor=head, policy=by_title["研发费用后补助"])
    # 免申即享: the stable-employment refund's list, approved by the head of the bureau, being paid
    hrss_clerk, hrss_head = _staff(depts, "hrss", "handler"), _staff(depts, "hrss", "dept_head")
    with clock.story(today - timedelta(days=12)):
        po = services.payout_prepare(actor=hrss_clerk, policy=by_title["稳岗返还"])
    with clock.story(today - timedelta(days=10)):
        po = services.payout_approve(actor=hrss_head, payout=po)
    for i, line in enumerate(po.lines.order_by("pk")[: max(1, po.lines.count() * 2 // 3)]):
        with clock.story(today - timedelta(days=8 - i % 5)):
            services.payout_pay(actor=hrss_clerk, line=line, voucher=f"RS-2026-{i + 1:05d}",
                                paid_on=today - timedelta(days=8 - i % 5))
    fin_clerk = _staff(depts, "finance", "handler")
    if _qualifies(by_title["纳税信用A级企业奖励"]):  # prepared, awaiting the head's approval
        with clock.story(today - timedelta(days=3)):
            services.payout_prepare(actor=fin_clerk, policy=by_title["纳税信用A级企业奖励"])
    # applications in every state
    n += _applications(by_title, firms, users, depts, today)
    # --- the campaign and its visits
    camp_start, camp_end = today - timedelta(days=6), today + timedelta(days=8)
    with clock.story(camp_start, 9):
        camp = services.campaign_create(
            actor=users["leader"], name=MARKER, department=depts["service-centre"], starts_on=camp_start,
            ends_on=camp_end, description="包保领导和服务专员走访包联企业，送政策上门，收集问题和需求，当场登记入账。")
    from yingshang.tickets.models import Category

    cats = {c.name: c for c in Category.objects.filter(parent__isnull=False, active=True)}
    stewards = dict(Stewardship.objects.filter(ended_on__isnull=True, enterprise__in=ops)
                    .values_list("enterprise_id", "steward_id"))
    from django.contrib.auth import get_user_model

    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=set(stewards.values()))}
    in_scope = [f for f in ops if f.bureau_id and f.pk in stewards]
    rng.shuffle(in_scope)
    not_yet = {firms[RD].pk}
    visited = [f for f in in_scope if f.pk not in not_yet][: int(len(in_scope) * 0.62)]
    topics = ["了解四季度生产经营和订单情况，宣讲研发费用后补助、稳岗返还政策。",
              "走访座谈，企业反映用工和物流方面的困难，现场答复能解决的事项。",
              "了解新项目建设进度，协调要素保障。", "电话回访上次走访反映问题的办理情况，企业表示满意。"]
    problems = [("招聘用工", "一线操作工缺口较大，希望对接职业院校订单培养"), ("供电", "新产线投产需增容，报装进度慢"),
                ("供水排水", "厂区雨季排水不畅，需市政管网接入"), ("交通组织", "早晚高峰厂区门口拥堵，希望增设信号灯")]
    rd_policy = by_title["研发费用后补助"]
    for i, f in enumerate(visited):
        steward = people[stewards[f.pk]]
        day = camp_start + timedelta(days=i % 7)
        if day > today:
            day = today
        kw = {}
        if i % 9 == 0:
            cat, title = problems[(i // 9) % len(problems)]
            if cat in cats:
                kw["problems"] = [{"category": cats[cat], "title": title,
                                   "description": f"走访中企业反映：{title}。"}]
        if i % 4 == 0:
            kw["needs"] = [{"kind": rng.choice(["staff", "financing", "power", "policy", "land", "market"]),
                            "detail": ""}]
        if i % 5 == 0:
            kw["policies"] = [rd_policy]
        with clock.story(day, 10 + i % 6):
            services.visit_record(actor=steward, enterprise=f, campaign=camp, visited_on=day,
                                  form=rng.choice(["onsite", "onsite", "onsite", "phone", "video"]),
                                  discussion=rng.choice(topics), companions=rng.choice(["", "企业服务中心 王科长"]),
                                  **kw)
        n += 1
    # Linglong's visit: confirmed by the firm
    ll = firms[LINGLONG]
    with clock.story(camp_start + timedelta(days=1), 14):
        v = services.visit_record(actor=users["steward"], enterprise=ll, campaign=camp,
                                  visited_on=camp_start + timedelta(days=1), form="onsite",
                                  discussion="走访玲珑轮胎，了解半钢子午线轮胎扩产项目进展，宣讲技改补助政策。",
                                  needs=[{"kind": "land", "detail": "扩产项目二期用地约 60 亩"},
                                         {"kind": "financing", "detail": "流动资金 5000 万元"}],
                                  policies=[by_title["汽车零部件企业技术改造补助"]])
    with clock.story(camp_start + timedelta(days=2), 9):
        services.visit_confirm(actor=users["linglong"], visit=v, comment="感谢专员上门服务。")
    n += _financing(firms, users, depts, today, rng)
    n += _taskforces(firms, users, depts, today)
    return n + bool(draft)


def _qualifies(policy) -> bool:
    from yingshang.service.selectors import policy_matches

    return bool(policy_matches(policy))


def _applications(by_title, firms, users, depts, today) -> int:
    """The R&D institute's and Linglong's applications: one paid, one approved, one under review, one denied."""
    from yingshang.service.selectors import firm_attributes
    from yingshang.service import matching

    n = 0
    plan = [(users["faw_rd"], firms[RD]), (users["linglong"], firms[LINGLONG])]
    steps = ["paid", "approved", "accepted", "submitted", "denied"]
    k = 0
    for member, firm in plan:
        attrs = firm_attributes([firm.pk])[0]
        for p in by_title.values():
            if p.automatic or not matching.matches(p.conditions, attrs) or k >= len(steps):
                continue
            target = steps[k]
            k += 1
            clerk, head = _staff(depts, p.paying_department.code, "handler"), _staff(
                depts, p.paying_department.code, "dept_head")
            start = today - timedelta(days=40 - 6 * k)
            with clock.story(start):
                a = services.application_submit(actor=member, policy=p, enterprise=firm,
                                                statement="本企业符合政策条件，申请兑现，相关材料已上传。",
                                                amount_requested=p.amount)
            if target == "submitted":
                n += 1
                continue
            with clock.story(start + timedelta(days=2)):
                if target == "denied":
                    services.application_deny(actor=head, application=a, reason="研发费用专项审计报告未覆盖申报年度，请补充后重新申报。")
                    n += 1
                    continue
                services.application_accept(actor=clerk, application=a)
            if target == "accepted":
                n += 1
                continue
            with clock.story(start + timedelta(days=9)):
                services.application_approve(actor=head, application=a, amount_granted=int(p.amount * 8 // 10))
            if target == "paid":
                with clock.story(start + timedelta(days=15)):
                    services.application_pay(actor=clerk, application=a, voucher=f"CZ-2026-{k:04d}",
                                             paid_on=start + timedelta(days=15))
            n += 1
    return n


def _financing(firms, users, depts, today, rng) -> int:
    banks = []
    for name, short in BANKS:
        b, _ = Bank.objects.get_or_create(name=name, defaults={"short_name": short, "contact": "客户经理 0431-8190"})
        banks.append(b)
    BankMember.objects.get_or_create(user=users["bank"], defaults={"bank": banks[0]})
    leader = users["leader"]
    products = [
        (banks[0], "科创贷", "3.20", "4.35", 36, 500000, 10000000, {"all": [{"attr": "rd_share", "op": "gte",
                                                                            "value": "2"}]}),
        (banks[0], "供应链e贷（一汽配套）", "3.45", "4.20", 12, 100000, 30000000, {"all": [AUTO, NOT_D]}),
        (banks[1], "善营贷", "3.50", "4.50", 24, 100000, 5000000, {"all": [SME, NOT_D]}),
        (banks[2], "链捷贷", "3.40", "4.30", 12, 500000, 20000000, {"all": [AUTO]}),
        (banks[3], "中银企E贷", "3.60", "4.60", 36, 1000000, 50000000, {"all": [NOT_D]}),
        (banks[4], "吉企贷", "3.80", "5.20", 24, 100000, 3000000, {"all": [SMALL]}),
        (banks[5], "助企贷", "4.00", "5.50", 12, 50000, 2000000, {"all": [SMALL, NOT_D]}),
    ]
    for bank, name, lo, hi, term, amin, amax, cond in products:
        services.product_save(actor=leader, bank=bank, name=name, rate_min=lo, rate_max=hi, term_months=term,
                              amount_min=amin, amount_max=amax, conditions=cond,
                              description=f"{bank.short_name}面向汽开区企业的{name}。")
    meeting_day = today - timedelta(days=25)
    from yingshang.directory.models import Enterprise

    candidates = list(Enterprise.objects.filter(status="operating", industry__contains="汽车")
                      .exclude(size="large").order_by("pk")[:12])
    with clock.story(meeting_day, 9):
        meeting = services.meeting_create(actor=leader, name="2026年汽开区大型银企对接会", held_on=meeting_day,
                                          place="汽开区管委会三楼报告厅", banks=banks,
                                          firms=candidates + [firms[LINGLONG]])
    n = 0
    purposes = ["购置生产设备", "补充流动资金", "新产线建设", "原材料采购"]
    states = ["suggested", "contacted", "diligence", "approved", "declined", "lent", "lent", "contacted", "lent",
              "suggested"]
    needs = []
    for i, f in enumerate(candidates[:10]):
        with clock.story(meeting_day - timedelta(days=5 - i % 3)):
            need = services.need_register(actor=leader, enterprise=f, amount=Decimal(rng.choice([100, 200, 300, 500,
                                                                                                   800]) * 10000),
                                          term_months=rng.choice([6, 12, 24]), purpose=rng.choice(purposes),
                                          collateral=rng.choice(["设备抵押", "应收账款质押", "信用", "厂房抵押"]))
        needs.append((need, states[i]))
    with clock.story(meeting_day - timedelta(days=2)):
        ll = services.need_register(actor=users["linglong"], enterprise=firms[LINGLONG], amount=Decimal(20000000),
                                    term_months=12, purpose="扩产项目流动资金", collateral="应收账款质押", urgency="urgent")
    needs.append((ll, "diligence"))
    for need, state in needs:
        with clock.story(meeting_day, 11):
            made = services.matches_suggest(actor=leader, need=need, meeting=meeting)
        if not made:
            continue
        n += 1
        m = made[0]
        steps = {"suggested": [], "contacted": ["contact"], "diligence": ["contact", "diligence"],
                 "approved": ["contact", "diligence", "approve"], "declined": ["contact", "decline"],
                 "lent": ["contact", "diligence", "approve", "lend"]}[state]
        for j, step in enumerate(steps):
            with clock.story(meeting_day + timedelta(days=2 + 4 * j)):
                if step == "contact":
                    m = services.match_contact(actor=leader, match=m)
                elif step == "diligence":
                    m = services.match_diligence(actor=leader, match=m)
                elif step == "approve":
                    m = services.match_approve(actor=leader, match=m)
                elif step == "decline":
                    m = services.match_decline(actor=leader, match=m, reason="企业近两年资产负债率偏高，建议补充担保后再申请。")
                else:
                    m = services.match_lend(actor=leader, match=m, amount_lent=min(need.amount, m.product.amount_max),
                                            lent_on=meeting_day + timedelta(days=2 + 4 * j))
    # Linglong authorised the demo's bank (ICBC's FAW branch), whose supply-chain loan it was matched with
    with clock.story(meeting_day + timedelta(days=1)):
        services.consent_grant(actor=users["linglong"], enterprise=firms[LINGLONG], bank=banks[0])
    return n


def _taskforces(firms, users, depts, today) -> int:
    from yingshang.directory.models import Enterprise
    from yingshang.tickets import services as tickets
    from yingshang.tickets.models import Category

    leader, leader2 = users["leader"], users["leader2"]
    start = today - timedelta(days=14)
    with clock.story(start, 8):
        hq = services.taskforce_create(
            actor=leader, name="汽开区疫情防控指挥部", lead=leader, starts_on=start,
            rules="指挥部统一调度，各专班 24 小时值守；涉企诉求 2 小时内签收、4 小时内回复、24 小时内办结；每日 17 时报送简报。",
            members=[users["supervisor"]])
        groups = {}
        for name, code in GROUPS:
            members = [_staff(depts, code, "handler"), _staff(depts, code, "dept_head")]
            groups[name] = services.taskforce_create(
                actor=leader, name=name, lead=leader2 if name in ("配件供应专班", "物流保通专班") else leader,
                starts_on=start, parent=hq, members=[m for m in members if m],
                accept_hours=1 if name == "配件供应专班" else 2, respond_hours=4, resolve_hours=24,
                rules="与一汽对口部门建立日调度机制。")
    supply = groups["配件供应专班"]
    suppliers = list(Enterprise.objects.filter(bureau__code="bureau-parts", status="operating").order_by("pk")[:14])
    statuses = {2: ("stopped", "原材料（芯片）断供，预计停产 3 天，影响一汽解放 J7 总装线"),
                5: ("at_risk", "物流通道受限，库存仅够 2 天"), 9: ("at_risk", "员工返岗率 70%")}
    for i, f in enumerate(suppliers):
        with clock.story(start + timedelta(days=1), 9):
            w = services.supply_add(actor=leader2, taskforce=supply, enterprise=f,
                                    supplies="为一汽解放、一汽红旗供应" + ("车身冲压件" if i % 2 else "电子控制单元"))
        if i in statuses:
            with clock.story(today, 9, i):
                services.supply_update(actor=leader2, watch=w, status=statuses[i][0], note=statuses[i][1])
    # a supplier's problem handed to the parts-supply group, with its hours
    cat = Category.objects.filter(parent__isnull=False, active=True, name__in=["物流运输", "交通组织", "其他"]).first() \
        or Category.objects.filter(parent__isnull=False, active=True).first()
    stopped = suppliers[2] if len(suppliers) > 2 else None
    if stopped is not None:
        with clock.story(today, 8, 30):
            t = tickets.ticket_register(actor=users["steward"], enterprise=stopped, category=cat,
                                        title="芯片断供导致停产，请求协调一汽采购部门调剂", urgency="urgent",
                                        description="供应商芯片断供，现有库存仅够 1 天，影响一汽解放 J7 总装线。")
            tickets.ticket_dispatch(actor=users["dispatcher"], ticket=t, lead_department=supply.department,
                                    note="配件供应专班 1 小时内签收。")
    return 1 + len(GROUPS)
