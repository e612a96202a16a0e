"""The demo inspections: items of five departments, their inspectors (the demo's three inspector accounts
among them), a joint market-and-fire plan drawn, inspected, rectified and published, and an emergency
management plan under way. Played through the real services. Loaded once: skipped when present."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from yingshang.inspections import services
from yingshang.inspections.models import Inspector, Item, Plan, Visit

from . import clock, pictures

MARKER = "2026年第一批市场监管与消防联合双随机抽查"

ITEMS = [
    ("market", "SC-01", "营业执照（登记事项）规范使用情况", "《市场主体登记管理条例》", "key"),
    ("market", "SC-02", "年度报告公示信息情况", "《企业信息公示暂行条例》", "general"),
    ("market", "SC-03", "产品质量及标识标注情况", "《产品质量法》", "key"),
    ("fire", "XF-01", "消防设施、器材配置及完好有效情况", "《消防法》第十六条", "key"),
    ("fire", "XF-02", "疏散通道、安全出口畅通情况", "《消防法》第二十八条", "general"),
    ("emergency", "YJ-01", "安全生产责任制落实情况", "《安全生产法》第二十二条", "key"),
    ("emergency", "YJ-02", "隐患排查治理情况", "《安全生产法》第四十一条", "key"),
    ("ecology", "HB-01", "排污许可证执行情况", "《排污许可管理条例》", "key"),
    ("ecology", "HB-02", "危险废物规范化管理情况", "《固体废物污染环境防治法》", "general"),
    ("transport", "JT-01", "道路运输车辆技术管理情况", "《道路运输条例》", "general"),
]
# department: (accounts drawn into the directory, extra inspectors)
INSPECTORS = {"market": (["inspector"], ["郑市监", "冯市监", "陈市监"]),
              "fire": (["inspector3"], ["褚消防", "卫消防", "蒋消防"]),
              "emergency": (["inspector2"], ["沈应急", "韩应急", "杨应急"]),
              "ecology": ([], ["朱环保", "秦环保", "尤环保", "许环保"]),
              "transport": ([], ["何交通", "吕交通", "施交通"])}
CODES = {"market": "SJ", "fire": "XF", "emergency": "YJ", "ecology": "HB", "transport": "JT"}


DEMO_ZONE_MAX_FIRMS = 5000  # the demo plans draw from every firm: not from a database scaled for benchmarks


def load(*, depts, firms, users) -> int:
    from yingshang.directory.models import Enterprise

    if Plan.objects.filter(name=MARKER).exists() or Enterprise.objects.count() > DEMO_ZONE_MAX_FIRMS:
        return 0
    for code, number, name, basis, level in ITEMS:
        Item.objects.get_or_create(code=number, defaults=dict(department=depts[code], name=name, basis=basis,
                                                              level=level, method="现场检查、查阅资料"))
    for code, (accounts, names) in INSPECTORS.items():
        n = 0
        for username in accounts:
            n += 1
            u = users[username]
            Inspector.objects.get_or_create(certificate=f"22017{CODES[code]}{n:04d}", defaults=dict(
                user=u, name=u.get_full_name(), department=depts[code], fields="行政执法"))
        for name in names:
            n += 1
            Inspector.objects.get_or_create(certificate=f"22017{CODES[code]}{n:04d}", defaults=dict(
                name=name, department=depts[code], fields="行政执法"))
    admin, today = users["admin"], timezone.localdate()
    items = {i.code: i for i in Item.objects.all()}

    # A joint plan, completed and published; each step on a day of its story (the draw in public, days
    # before the plan's period; the publication after its end).
    with clock.story(today - timedelta(days=95), 9, 30):
        done = services.plan_create(actor=users["h_market"], name=MARKER, lead_department=depts["market"],
                                    departments=[depts["market"], depts["fire"]],
                                    items=[items["SC-01"], items["SC-02"], items["XF-01"]],
                                    starts_on=today - timedelta(days=75), ends_on=today - timedelta(days=15))
    with clock.story(today - timedelta(days=93), 16):
        services.plan_approve(actor=users["head_market"], plan=done)
    with clock.story(today - timedelta(days=85), 9, 30):
        d = services.draw_run(actor=users["h_market"], draw=services.pools_freeze(actor=users["h_market"], plan=done),
                              seed="58209749445923078164", note="管委会三楼会议室，两名企业代表见证")
    for n, v in enumerate(Visit.objects.filter(draw=d).order_by("position")):
        on = today - timedelta(days=40 - n)
        with clock.story(on, 10 + n % 6):
            _inspect(v, items, admin, n, on)
    with clock.story(today - timedelta(days=12), 10):
        services.plan_publish(actor=users["h_market"], plan=done)

    # Emergency management's plan, drawn and under way.
    with clock.story(today - timedelta(days=15), 9):
        running = services.plan_create(actor=users["h_emergency"], name="2026年第二批安全生产双随机抽查",
                                       lead_department=depts["emergency"], departments=[depts["emergency"]],
                                       items=[items["YJ-01"], items["YJ-02"]], starts_on=today - timedelta(days=5),
                                       ends_on=today + timedelta(days=40), ratios={"C": "0.5", "D": "1"})
    with clock.story(today - timedelta(days=13), 15):
        services.plan_approve(actor=users["head_emergency"], plan=running)
    with clock.story(today - timedelta(days=7), 9, 30):
        services.draw_run(actor=users["h_emergency"],
                          draw=services.pools_freeze(actor=users["h_emergency"], plan=running),
                          seed="33832795028841971693", note="应急管理局会议室，纪检干部见证")
    first = Visit.objects.filter(plan=running).order_by("position").first()  # under way: one item checked
    with clock.story(today - timedelta(days=1), 14):
        services.result_record(actor=admin, visit=first, item=items["YJ-01"], outcome="ok",
                               on=today - timedelta(days=1), note="安全生产责任制文件齐全",
                               photo=ContentFile(pictures.png(top=(60, 110, 170)), name="台账.png"))
    _campaigns(depts, users, today)
    return Visit.objects.count()


def _inspect(v, items, admin, n, on) -> None:
    for code in ("SC-01", "SC-02", "XF-01"):
        outcome, kw = "ok", {}
        if code == "XF-01" and n % 3 == 0:
            outcome, kw = "ordered", {"note": "部分灭火器压力不足", "requirement": "更换压力不足的灭火器并建立月检记录",
                                      "workdays_to_rectify": 10,
                                      "photo": ContentFile(pictures.png(), name="灭火器现场.png")}
        elif code == "SC-02" and n % 4 == 1:
            outcome = "not_published"
        services.result_record(actor=admin, visit=v, item=items[code], outcome=outcome, on=on, **kw)
    services.visit_complete(actor=admin, visit=v, on=on)


HAZARDS = {"fire": [("消防通道堆放杂物", "general"), ("部分灭火器压力不足", "general"), ("自动喷水灭火系统故障停用", "major"),
                    ("员工宿舍私拉乱接电线", "general")],
           "gas": [("燃气管道穿越卧室", "major"), ("燃气报警器未安装", "general"), ("液化气钢瓶超期未检", "general")]}


def _campaigns(depts, users, today) -> None:
    import random

    from yingshang.directory.models import Enterprise

    rng = random.Random(2021)
    firm_ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    for sector, dept, name, checker in (("fire", "fire", "2026年高层建筑和厂房消防安全专项排查", "h_fire"),
                                        ("gas", "utilities", "2026年城镇燃气安全专项排查整治", "h_utilities")):
        with clock.story(today - timedelta(days=123), 10):
            c = services.campaign_create(actor=users[checker], name=name, sector=sector, department=depts[dept],
                                         starts_on=today - timedelta(days=120), ends_on=today + timedelta(days=30),
                                         description="全覆盖排查，隐患清单化管理、闭环整改。")
        for firm_id in rng.sample(firm_ids, 40 if sector == "fire" else 25):
            on = today - timedelta(days=rng.randrange(3, 115))
            found = [h for h in HAZARDS[sector] if rng.random() < 0.3]
            with clock.story(on, rng.randrange(9, 17)):
                chk = services.check_record(
                    actor=users[checker], campaign=c, enterprise=Enterprise.objects.get(pk=firm_id), checked_on=on,
                    checkers="检查组（两人）", hazards=[{"description": d, "level": lv, "workdays": 20 if lv == "major" else 10}
                                                  for d, lv in found])
            for h in chk.hazards.all():
                if rng.random() < 0.8 and (today - on).days > 20:
                    fixed = on + timedelta(days=rng.randrange(3, 20))
                    with clock.story(fixed, 15):
                        services.hazard_rectify(actor=users[checker], hazard=h, rectification="复查已整改到位", on=fixed)
