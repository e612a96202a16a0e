"""The demo's 产业链与招商: four chains around FAW (整车, 汽车零部件, 新能源汽车与动力电池, 智能网联) with about forty
segments, the demo's suppliers placed on them and supplying FAW's units (some through a tier-one supplier),
gaps the leading firms fill from outside the zone, sixty targets, and the 2021 供应保障暨落实“六个回归”动员会
with its 38 invitations in every stage — the signed ones opened as returned projects. Played through the
services, as of their days. Loaded once: skipped when present."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from yingshang.chain import selectors, services
from yingshang.chain.models import Campaign, Chain, Position, Stage, Target
from yingshang.directory.models import Enterprise

from . import clock

MARKER = "2021年供应保障暨落实“六个回归”动员会"
UP, MID, DOWN = Position.UP, Position.MID, Position.DOWN

# chain → [(segment, parent, position, key)]
CHAINS = {
    "整车": [("乘用车整车", None, DOWN, True), ("商用车整车", None, DOWN, True), ("整车物流", None, DOWN, False),
             ("汽车金融", None, DOWN, False), ("整车研发试验", None, MID, True)],
    "汽车零部件": [
        ("动力总成", None, MID, True), ("发动机", "动力总成", MID, True), ("缸体铸件", "发动机", UP, True),
        ("曲轴锻件", "发动机", UP, False), ("变速器", "动力总成", MID, True), ("齿轮", "变速器", UP, False),
        ("车身", None, MID, False), ("冲压件", "车身", MID, False), ("焊装总成", "车身", MID, False),
        ("底盘", None, MID, True), ("制动系统", "底盘", MID, True), ("转向系统", "底盘", MID, False),
        ("轮胎", "底盘", MID, False), ("内外饰", None, MID, False), ("座椅系统", "内外饰", MID, False),
        ("保险杠", "内外饰", MID, False), ("电子电器", None, MID, True), ("汽车空调", "电子电器", MID, False),
        ("线束", "电子电器", MID, False), ("车载娱乐", "电子电器", MID, False),
        ("原材料", None, UP, False), ("汽车钢板", "原材料", UP, False), ("工程塑料", "原材料", UP, False)],
    "新能源汽车与动力电池": [
        ("动力电池", None, MID, True), ("电芯", "动力电池", UP, True), ("电池包PACK", "动力电池", MID, False),
        ("电池管理系统", "动力电池", MID, False), ("电驱动", None, MID, True), ("驱动电机", "电驱动", MID, True),
        ("电机控制器", "电驱动", MID, False), ("充换电设施", None, DOWN, False)],
    "智能网联": [
        ("环境感知", None, UP, True), ("激光雷达", "环境感知", UP, True), ("摄像头模组", "环境感知", UP, False),
        ("决策控制", None, MID, True), ("自动驾驶域控制器", "决策控制", MID, True), ("车规级芯片", "决策控制", UP, True),
        ("车联网服务", None, DOWN, False)],
}
FAW = "中国第一汽车集团有限公司"
UNITS = ["一汽红旗汽车有限公司", "一汽解放集团股份有限公司", "一汽-大众汽车有限公司", "奥迪一汽新能源汽车有限公司",
         "一汽丰田汽车有限公司", "长春一汽丰越汽车有限公司"]
# named firm → [(segment, products, customers)]
NAMED = {
    "一汽红旗汽车有限公司": [("乘用车整车", "红旗品牌乘用车", [])],
    "一汽-大众汽车有限公司": [("乘用车整车", "大众、奥迪品牌乘用车", [])],
    "奥迪一汽新能源汽车有限公司": [("乘用车整车", "PPE平台纯电动车", [])],
    "一汽丰田汽车有限公司": [("乘用车整车", "丰田品牌乘用车", [])],
    "长春一汽丰越汽车有限公司": [("乘用车整车", "丰田品牌SUV", [])],
    "一汽解放集团股份有限公司": [("商用车整车", "解放J6、J7重卡", [])],
    "一汽物流有限公司": [("整车物流", "整车及零部件物流", [])],
    "一汽汽车金融有限公司": [("汽车金融", "汽车消费及经销商金融", [])],
    "中国第一汽车集团有限公司研发总院": [("整车研发试验", "整车及三电系统试验", [])],
    "长春富赛汽车电子有限公司": [("车载娱乐", "智能座舱域控制器", ["一汽红旗汽车有限公司", "一汽解放集团股份有限公司"])],
    "吉林玲珑轮胎有限公司": [("轮胎", "高性能子午线轮胎", ["一汽红旗汽车有限公司", "一汽-大众汽车有限公司",
                                                   "一汽解放集团股份有限公司"])],
    "长春一汽三富汽车零部件有限公司": [("座椅系统", "座椅骨架、后视镜", ["一汽解放集团股份有限公司", "一汽红旗汽车有限公司"])],
    "一汽法雷奥汽车空调有限公司": [("汽车空调", "空调总成", ["一汽-大众汽车有限公司", "一汽丰田汽车有限公司"])],
    "长春繁荣冲压件有限公司": [("冲压件", "车身冲压件", ["一汽-大众汽车有限公司"])],
    "长春卡斯马汽车系统有限公司": [("焊装总成", "白车身焊装总成", ["一汽-大众汽车有限公司", "奥迪一汽新能源汽车有限公司"])],
    "长春鹏昊金属制品有限公司": [("冲压件", "小型冲压件", ["长春繁荣冲压件有限公司"])],
    "长春德赛西威汽车电子有限公司": [("车载娱乐", "车载信息娱乐系统", ["一汽丰田汽车有限公司"]),
                             ("自动驾驶域控制器", "智能驾驶域控制器", ["一汽红旗汽车有限公司"])],
}
# generated firms' industries → segments they work in
BY_INDUSTRY = {
    "汽车零部件及配件制造": ["制动系统", "转向系统", "齿轮", "保险杠", "线束", "电池包PACK", "电机控制器", "焊装总成"],
    "汽车电子装置制造": ["线束", "电池管理系统", "摄像头模组"],
    "金属制品业": ["冲压件", "曲轴锻件", "汽车钢板"],
    "橡胶和塑料制品业": ["工程塑料", "保险杠"],
    "道路货物运输": ["整车物流"],
    "软件和信息技术服务业": ["车联网服务"],
    "通用设备制造业": ["充换电设施"],
}
# the leading firms' suppliers outside the zone, in the gaps: name, where, segment, product, customers
OUTSIDE = [
    ("潍坊华晟精密铸造有限公司", "山东潍坊", "缸体铸件", "发动机缸体", ["一汽解放集团股份有限公司"]),
    ("天津海泰铸造有限公司", "天津武清", "缸体铸件", "缸盖铸件", ["一汽丰田汽车有限公司"]),
    ("宁德瑞能电池科技有限公司", "福建宁德", "电芯", "三元锂电芯", ["一汽红旗汽车有限公司", "奥迪一汽新能源汽车有限公司"]),
    ("常州恒源动力电池有限公司", "江苏常州", "电芯", "磷酸铁锂电芯", ["一汽解放集团股份有限公司"]),
    ("苏州驰远激光雷达有限公司", "江苏苏州", "激光雷达", "车规级激光雷达", ["一汽红旗汽车有限公司"]),
    ("上海芯驰微电子有限公司", "上海嘉定", "车规级芯片", "智能座舱芯片", ["一汽红旗汽车有限公司", "一汽-大众汽车有限公司"]),
    ("深圳芯联半导体有限公司", "广东深圳", "车规级芯片", "功率半导体", ["一汽解放集团股份有限公司"]),
    ("宁波博远电机有限公司", "浙江宁波", "驱动电机", "永磁同步电机", ["一汽红旗汽车有限公司"]),
    ("重庆两江齿轮传动有限公司", "重庆两江", "变速器", "自动变速器总成", ["一汽丰田汽车有限公司"]),
    ("柳州华驰转向系统有限公司", "广西柳州", "转向系统", "电动助力转向器", ["一汽-大众汽车有限公司"]),
    ("芜湖瑞丰制动系统有限公司", "安徽芜湖", "制动系统", "线控制动系统", ["一汽红旗汽车有限公司"]),
    ("武汉光谷智联车载通信有限公司", "湖北武汉", "车联网服务", "5G车载通信模组", ["一汽解放集团股份有限公司"]),
]
REGIONS = ["江苏昆山", "浙江宁波", "广东佛山", "上海嘉定", "天津武清", "重庆两江", "湖北武汉", "山东青岛", "广东惠州",
           "山东招远", "辽宁沈阳", "河北保定"]
TRADE = ["精工", "科达", "恒润", "华翔", "拓普", "均胜", "银轮", "旭升", "文灿", "岱美", "新泉", "凌云", "保隆", "星宇",
         "伯特利", "中鼎", "宁波华", "长鹰", "隆盛", "威孚", "富临", "双环", "万向", "亚太", "正裕", "腾龙", "贝斯特",
         "豪能", "泉峰", "云意", "德尔", "恒帅", "光洋", "川环", "金麒麟", "圣龙", "继峰", "模塑", "日盈", "常熟", "东箭", "湘油",
         "飞龙", "西菱", "天润", "浙江仙", "钧达", "苏奥", "松芝", "英利"]
# 38 invitations: stage → how many
STAGES = [(Stage.SIGNED, 12), (Stage.INTENT, 6), (Stage.TALKS, 8), (Stage.INVITED, 8), (Stage.DECLINED, 4)]
YI = Decimal(100_000_000)


def load(*, depts, firms, users) -> int:
    if Campaign.objects.filter(name=MARKER).exists() or Enterprise.objects.count() > 5000:
        return 0
    rng = random.Random(197)  # the returned projects of the article
    leader, office, recruiter = users["leader"], users["chainoffice"], users["recruiter"]
    n = 0
    by_name = {e.name: e for e in Enterprise.objects.filter(name__in=[*NAMED, FAW, *UNITS])}
    units = [by_name[u] for u in UNITS if u in by_name]
    segs = {}
    with clock.story(date(2021, 5, 10)):
        for order, (cname, rows) in enumerate(CHAINS.items()):
            c = services.chain_create(actor=leader, name=cname, chief=users["leader2"] if order % 2 else leader,
                                      office=depts["development"], anchors=[by_name[FAW], *units],
                                      description=f"{cname}产业链：链长制，一汽为链主。")
            for name, parent, pos, key in rows:
                segs[name] = services.segment_add(actor=office, chain=c, name=name, parent=segs.get(parent),
                                                  position=pos, is_key=key)
                n += 1
    # local firms on their segments, and who they supply
    with clock.story(date(2021, 5, 20)):
        for name, places in NAMED.items():
            firm = by_name.get(name)
            if firm is None:
                continue
            for seg, products, customers in places:
                services.placement_add(actor=office, segment=segs[seg], enterprise=firm, products=products)
                for cust in customers:
                    services.relation_add(actor=office, supplier=firm, customer=by_name[cust], product=products,
                                          segment=segs[seg], share=Decimal(rng.choice([15, 20, 30, 40, 60])),
                                          since=date(rng.choice([2012, 2015, 2018, 2020]), 1, 1))
        tier1 = [by_name[x] for x in ("长春富赛汽车电子有限公司", "长春一汽三富汽车零部件有限公司",
                                      "长春卡斯马汽车系统有限公司", "一汽法雷奥汽车空调有限公司") if x in by_name]
        generated = Enterprise.objects.filter(industry__in=BY_INDUSTRY, status="operating").exclude(
            name__in=list(NAMED)).order_by("pk")[:90]
        for i, firm in enumerate(generated):
            seg = BY_INDUSTRY[firm.industry][i % len(BY_INDUSTRY[firm.industry])]
            services.placement_add(actor=office, segment=segs[seg], enterprise=firm, products=seg)
            # tier two: a generated supplier supplies a tier-one supplier, or a FAW unit directly
            cust = tier1[i % len(tier1)] if i % 3 else units[i % len(units)]
            if firm.industry not in ("道路货物运输", "软件和信息技术服务业", "通用设备制造业"):
                services.relation_add(actor=office, supplier=firm, customer=cust, product=seg, segment=segs[seg])
        for sup, region, seg, product, customers in OUTSIDE:
            for cust in customers:
                services.relation_add(actor=office, supplier_name=sup, supplier_region=region, customer=by_name[cust],
                                      product=product, segment=segs[seg],
                                      share=Decimal(rng.choice([30, 50, 70, 100])))
    # a few relations confirmed by the firms (their staff, where the demo has them)
    from yingshang.chain.models import Relation
    from yingshang.directory.models import EnterpriseMember

    with clock.story(date(2021, 6, 1)):
        for m in EnterpriseMember.objects.filter(active=True).select_related("user", "enterprise"):
            for r in Relation.objects.filter(supplier=m.enterprise, status=Relation.Status.UNCONFIRMED)[:2]:
                services.relation_confirm(actor=m.user, relation=r)
    held = date(2021, 6, 18)
    with clock.story(date(2021, 6, 1), 9):  # the meeting is called; its team fills the library
        camp = services.campaign_create(actor=leader, name=MARKER, held_on=held, team=depts["investment"],
                                        description="邀请区外38户一汽核心配套企业，推动配套回归、产能回归、研发回归等“六个回归”。")
    # the target library: the gaps' outside suppliers, proposed; and the rest entered by the team
    with clock.story(date(2021, 6, 2)):
        proposed = []
        for c in Chain.objects.all():
            proposed += services.targets_propose(actor=office, chain=c)
        leaves = [s for s in segs.values() if not s.children.exists()]
        entered = []
        for i, trade in enumerate(TRADE):
            if len(proposed) + len(entered) >= 60:
                break
            seg = leaves[(i * 7) % len(leaves)]
            region = REGIONS[i % len(REGIONS)]
            entered.append(services.target_add(
                actor=recruiter, name=f"{region[2:]}{trade}汽车部件有限公司", region=region, segment=seg,
                products=seg.name, supplies=[units[i % len(units)]] if i % 2 else [],
                contacts=f"{trade[0]}总（总经理） 1390000{i:04d}"))
    targets = proposed + entered
    # the 2021 campaign: 38 invited at the meeting, followed up, some signed as returned projects
    with clock.story(held, 9):
        invs = services.invite(actor=recruiter, campaign=camp, targets=targets[:38])
    bureaus = [depts["bureau-parts"], depts["bureau-nev"], depts["bureau-parts"], depts["bureau-hongqi"]]
    k = 0
    for stage, count in STAGES:
        for j in range(count):
            inv = invs[k]
            k += 1
            day = held + timedelta(days=7 + 11 * j + k)
            amount = Decimal(rng.choice([3, 5, 8, 12, 20, 35, 60])) * YI / 10
            if stage == Stage.INVITED:
                if j % 2:
                    with clock.story(day):
                        services.contact_record(actor=recruiter, invitation=inv, kind="call", on=day, who="韩招商",
                                                said="电话回访，对方表示将评估来长配套的可行性。")
                continue
            with clock.story(day):
                services.contact_record(actor=recruiter, invitation=inv, kind="visit", on=day,
                                        who="韩招商、投资促进局局长", said="赴企业总部拜访，介绍汽开区配套政策和一汽新车型定点计划。")
                if stage == Stage.DECLINED:
                    services.invitation_decline(actor=recruiter, invitation=inv, reason="企业产能布局已定，暂无回归计划。")
                    continue
                services.invitation_talks(actor=recruiter, invitation=inv)
            if stage == Stage.TALKS:
                continue
            later = day + timedelta(days=30 + 5 * j)
            with clock.story(later):
                services.contact_record(actor=recruiter, invitation=inv, kind="meeting", on=later,
                                        who="王建国、韩招商", said="管委会会谈：用地、厂房代建和首年配套量。")
                services.invitation_intent(actor=recruiter, invitation=inv, expected_investment=amount)
            if stage == Stage.INTENT:
                continue
            signed = later + timedelta(days=45 + 9 * j)
            with clock.story(signed, 15):
                services.invitation_sign(actor=recruiter, invitation=inv, bureau=bureaus[j % len(bureaus)],
                                         project_name=f"{inv.target.name.replace('有限公司', '')}长春配套基地项目",
                                         investment=amount, signed_on=signed)
            n += 1
    return n + len(Target.objects.all()) + sites_and_factors(depts=depts, users=users)


# --- 选址会商 and 要素保障调度 ---------------------------------------------------------------------------------------
SITES = [  # name, area of the zone, offset from the area's middle (lng, lat), mu, land status, planned use
    ("富锦路东侧工业地块", "富锦街道", (0.002, 0.001), 320, "clean", "汽车零部件制造"),
    ("富锦路西侧预留地块", "富锦街道", (-0.003, -0.002), 180, "to_acquire", "汽车零部件制造"),
    ("新城大街北工业地块", "新城街道", (0.002, 0.002), 260, "clean", "新能源汽车配套"),
    ("兰家物流园南地块", "兰家镇", (0.001, -0.002), 400, "rezoning", "仓储物流"),
    ("长沙路智能网联产业地块", "长沙街道", (-0.001, 0.001), 150, "clean", "智能网联研发制造"),
]


def _middle(area):
    from yingshang.core import geo

    f = next(f for f in geo.zone_map()["features"] if f["properties"]["name"] == area)
    ring = geo.rings(f)[0]
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def sites_and_factors(*, depts, users) -> int:
    """Two site consultations (one concluded, its conditions now steps; one awaiting opinions), the capacity of
    the suppliers per area with a power shortfall ahead in 富锦街道, and a dispatch meeting whose decisions are
    in the ledger (one delivered)."""
    from yingshang.chain.models import Meeting, Site
    from yingshang.core import geo
    from yingshang.projects.models import Project
    from yingshang.tickets import services as tickets

    if Site.objects.exists():
        return 0
    leader, office = users["leader"], users["chainoffice"]
    today = date.today()
    features = geo.zone_map()["features"]
    sites = {}
    with clock.story(today - timedelta(days=40)):
        for name, area, (dx, dy), mu, status, use in SITES:
            lng, lat = _middle(area)
            lng, lat = round(lng + dx, 6), round(lat + dy, 6)
            if geo.area_of(lng, lat, features) != area:
                lng, lat = (round(v, 6) for v in _middle(area))
            sites[name] = services.site_add(actor=office, name=name, lng=lng, lat=lat, area_mu=mu, land_status=status,
                                            planned_use=use)
    signed = list(Project.objects.filter(invitation__stage="signed").order_by("pk"))
    departments = [depts[c] for c in ("planning", "ecology", "emergency", "utilities")]
    # a returned project's site, concluded with conditions
    if signed:
        p = signed[0]
        meets = today - timedelta(days=30)
        with clock.story(meets, 9):
            c = services.consultation_convene(actor=leader, project=p, meets_on=meets, limit_days=5,
                                              sites=[sites["富锦路东侧工业地块"], sites["富锦路西侧预留地块"]],
                                              departments=departments, agenda="比选富锦路东、西两处地块，确定项目选址。")
        words = {"planning": ("conditional", "东侧地块符合控规，建议选址东侧。", "按规划条件退让富锦路红线 20 米\n办理建设用地规划许可"),
                 "ecology": ("conditional", "与居住区距离满足要求。", "编制环境影响报告表并报批"),
                 "emergency": ("agree", "无重大危险源，同意。", ""),
                 "utilities": ("conditional", "东侧地块可就近接入 66kV 线路。", "建设单位自建 10kV 配电室")}
        for i, o in enumerate(c.opinions.select_related("department")):
            view, text, cond = words[o.department.code]
            with clock.story(meets + timedelta(days=1 + i), 15):
                services.opinion_give(actor=_official(o.department, users), opinion=o, view=view, text=text,
                                      conditions=cond, site=sites["富锦路东侧工业地块"])
        with clock.story(meets + timedelta(days=7), 10):
            services.consultation_conclude(actor=leader, consultation=c, site=sites["富锦路东侧工业地块"],
                                           conclusion="经会商，项目选址富锦路东侧工业地块（320 亩，净地），各部门条件纳入项目任务清单。")
    # one awaiting opinions: called three days ago
    waiting = Project.objects.filter(name="一汽物流智慧物流园").first()
    if waiting is not None:
        meets = today - timedelta(days=3)
        with clock.story(meets, 9):
            c = services.consultation_convene(actor=leader, project=waiting, meets_on=meets, limit_days=5,
                                              sites=[sites["兰家物流园南地块"], sites["新城大街北工业地块"]],
                                              departments=departments, agenda="物流园二期选址。")
        o = c.opinions.get(department=depts["planning"])
        with clock.story(meets + timedelta(days=1), 16):
            services.opinion_give(actor=_official(o.department, users), opinion=o, view="conditional",
                                  text="兰家地块正在调整规划，建议选新城大街北地块。", conditions="核实地块规划用途",
                                  site=sites["新城大街北工业地块"])
    # the suppliers' capacity: enough everywhere except power in 富锦街道 (a substation comes later)
    b = selectors.factor_balance(start=today, months=24)
    with clock.story(today - timedelta(days=20)):
        for r in b["rows"]:
            need = r["months"][-1]["need"]
            dept = depts["planning"] if r["factor"] == "land" else depts["utilities"]
            if (r["area"], r["factor"]) == ("富锦街道", "power"):
                soon = r["months"][9]["need"] or need / 2  # what is needed within ten months
                now = (soon * Decimal("0.8")).quantize(Decimal(1))
                services.capacity_record(actor=office, area=r["area"], factor="power", month=today, amount=now,
                                         department=dept, note="现有 66kV 富锦变剩余容量")
                services.capacity_record(actor=office, area=r["area"], factor="power",
                                         month=date(today.year + 2, 3, 1),
                                         amount=((need - now) * Decimal("0.9")).quantize(Decimal(1)),
                                         department=dept, note="富锦变扩建工程投运")
            else:
                services.capacity_record(actor=office, area=r["area"], factor=r["factor"], month=today,
                                         amount=(need * Decimal("1.15")).quantize(Decimal(1)), department=dept)
    # the dispatch meeting: the power shortfall, and land for a project
    short = [p for p in Project.objects.exclude(stage="dropped").filter(investor__isnull=False, lng__isnull=False,
                                                                          power_kva__isnull=False).order_by("pk")
             if geo.area_of(float(p.lng), float(p.lat), features) == "富锦街道"][:2]
    with clock.story(today - timedelta(days=10), 9):
        m = services.meeting_hold(actor=leader, title=f"{today.year}年{today.month}月要素保障调度会", held_on=today - timedelta(days=10),
                                  notes="富锦街道电力缺口：公用事业服务中心协调供电公司提前实施富锦变扩建，过渡期采用临时箱变。")
        decisions = [services.decision_record(actor=leader, meeting=m, project=p, factor="power",
                                              amount=Decimal(p.power_kva) / 4, department=depts["utilities"],
                                              what=f"为{p.name}敷设临时供电线路并安装箱变",
                                              due_on=today + timedelta(days=20 + 10 * i))
                     for i, p in enumerate(short)]
    if decisions:
        handler = users["handler3"]
        with clock.story(today - timedelta(days=4), 14):
            tickets.ticket_accept(actor=handler, ticket=decisions[0].ticket)
            tickets.ticket_resolve(actor=handler, ticket=decisions[0].ticket, answer="临时箱变已安装送电。",
                                   outcome="solved")
    return len(sites) + len(decisions) + Meeting.objects.count()


def _official(department, users):
    from yingshang.directory.models import StaffProfile

    return StaffProfile.objects.filter(department=department, user__is_active=True).select_related("user").order_by(
        "user__username").first().user
