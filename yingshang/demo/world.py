"""The demo world of GLOSS.md: the automotive zone around 中国一汽.

Loading is idempotent: every record is looked up by its natural key (credit code, username,
department code) and created only when missing, so running it twice changes nothing. Generated
firms come from a fixed random seed, so they are the same firms every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yingshang.core import hooks, roles
from yingshang.core.uscc import make_uscc
from yingshang.directory import services as directory
from yingshang.directory.models import Department, Enterprise, EnterpriseGroup

from . import clock

ZONE_REGION = settings.ZONE_REGION_CODE  # the zone's division code, in its firms' credit codes
ADDRESS = "吉林省长春市汽车经济技术开发区"

DEPARTMENTS = [
    # code, name, kind, phone, responsibilities
    ("service-centre", "营商环境服务中心", "centre", "0431-81900100", "受理企业诉求，统一派单、督办、回访（企业服务“店小二”24小时不打烊）"),
    ("supervision", "督查室", "department", "0431-81900101", "督查督办，考核通报"),
    ("gov-data", "政务服务和数据管理局", "department", "0431-81900102", "政务服务、一网通办、证照分离、双告知"),
    ("development", "发展和改革局", "department", "0431-81900103", "项目立项、能评、重大项目调度"),
    ("planning", "规划和自然资源局", "department", "0431-81900104", "用地规划许可、土地供应、规划审批"),
    ("construction", "建设局", "department", "0431-81900105", "工程建设许可、施工许可、竣工验收、管网建设"),
    ("ecology", "生态环境分局", "department", "0431-81900106", "环评审批、排污许可、环境执法"),
    ("market", "市场监督管理局", "department", "0431-81900107", "市场主体登记、双随机抽查、信用监管"),
    ("emergency", "应急管理局", "department", "0431-81900108", "安全生产监管、隐患排查整改"),
    ("fire", "消防救援大队", "department", "0431-81900109", "消防监督检查、高层建筑消防隐患整治"),
    ("transport", "交通运输局", "department", "0431-81900110", "道路运输、交通组织、物流通道保障"),
    ("hrss", "人力资源和社会保障局", "department", "0431-81900111", "用工招聘、人才政策、劳动保障"),
    ("finance", "财政局", "department", "0431-81900112", "专项债、政策资金兑现"),
    ("investment", "投资促进局", "department", "0431-81900113", "招商引资、六个回归、项目签约"),
    ("utilities", "公用事业服务中心", "department", "0431-81900114", "水电气热要素保障、供水报装"),
]
BUREAUS = [
    ("bureau-hongqi", "红旗服务局", "服务红旗品牌及其新能源工厂项目"),
    ("bureau-jiefang", "解放服务局", "服务一汽解放及J7智慧工厂等项目"),
    ("bureau-vw-audi", "大众奥迪服务局", "服务一汽-大众、奥迪PPE等项目"),
    ("bureau-toyota", "丰田服务局", "服务一汽丰田、丰越等项目（5000万元以上项目台账）"),
    ("bureau-rd", "研发服务局", "服务一汽研发总院及试验基地项目"),
    ("bureau-logistics", "物流服务局", "服务一汽物流及智慧物流园项目"),
    ("bureau-parts", "零部件服务局", "服务零部件配套企业"),
    ("bureau-nev", "新能源服务局", "服务新能源汽车及动力电池项目"),
    ("bureau-general", "综合服务局", "服务金融、商贸等其他企业"),
]

FAW = "中国第一汽车集团有限公司"

# name, bureau code, industry, size, key, returned, group?, legal representative, serial
NAMED_FIRMS = [
    (FAW, "bureau-general", "汽车整车制造", "large", True, False, True, "徐留平", 1001),
    ("一汽红旗汽车有限公司", "bureau-hongqi", "汽车整车制造", "large", True, False, True, "刘亦功", 1002),
    ("一汽解放集团股份有限公司", "bureau-jiefang", "汽车整车制造", "large", True, False, True, "李胜", 1003),
    ("一汽-大众汽车有限公司", "bureau-vw-audi", "汽车整车制造", "large", True, False, True, "潘占福", 1004),
    ("奥迪一汽新能源汽车有限公司", "bureau-vw-audi", "新能源汽车整车制造", "large", True, False, True, "陈军", 1005),
    ("一汽丰田汽车有限公司", "bureau-toyota", "汽车整车制造", "large", True, False, True, "田聪明", 1006),
    ("长春一汽丰越汽车有限公司", "bureau-toyota", "汽车整车制造", "large", True, False, True, "王文海", 1007),
    ("一汽物流有限公司", "bureau-logistics", "道路货物运输", "large", True, False, True, "张国宏", 1008),
    ("中国第一汽车集团有限公司研发总院", "bureau-rd", "工程和技术研究和试验发展", "large", True, False, True, "王德平", 1009),
    ("一汽汽车金融有限公司", "bureau-general", "汽车金融服务", "large", True, False, True, "邱现东", 1010),
    ("长春富赛汽车电子有限公司", "bureau-parts", "汽车电子装置制造", "large", True, True, False, "陈兴", 1101),
    ("吉林玲珑轮胎有限公司", "bureau-parts", "轮胎制造", "large", True, True, False, "王锋", 1102),
    ("长春一汽三富汽车零部件有限公司", "bureau-parts", "汽车零部件及配件制造", "large", True, True, False, "张丕杰", 1103),
    ("一汽法雷奥汽车空调有限公司", "bureau-parts", "汽车零部件及配件制造", "medium", True, False, False, "赵立新", 1104),
    ("长春繁荣冲压件有限公司", "bureau-parts", "汽车车身、挂车制造", "medium", False, True, False, "孙繁荣", 1105),
    ("长春卡斯马汽车系统有限公司", "bureau-parts", "汽车零部件及配件制造", "medium", True, True, False, "周志明", 1106),
    ("长春鹏昊金属制品有限公司", "bureau-parts", "金属制品业", "small", False, False, False, "李鹏昊", 1107),
    ("长春德赛西威汽车电子有限公司", "bureau-parts", "汽车电子装置制造", "medium", True, True, False, "高大鹏", 1108),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞志国建新春海波宁东晨宇浩然思博文斌林峰"
TRADE_NAMES = ["富晟", "宏达", "恒信", "吉通", "长瑞", "华阳", "瑞丰", "金诺", "捷安", "博远", "天合", "盛泰", "鑫源", "众诚",
               "卓越", "凯旋", "汇通", "正泰", "佳和", "宇航", "晟达", "鸿运", "嘉实", "启明", "驰远", "华驰", "联通", "锐进",
               "海达", "吉盛", "北方", "松原", "昌盛", "旭日", "远航", "中拓", "腾飞", "通宇", "万丰", "安泰"]
INDUSTRIES = [
    ("汽车零部件及配件制造", ["汽车零部件", "汽车配件", "汽车部件", "底盘系统", "座椅系统", "内饰件"], 40),
    ("汽车电子装置制造", ["汽车电子", "智能电子", "车载电子"], 10),
    ("金属制品业", ["金属制品", "精密冲压", "锻造"], 10),
    ("橡胶和塑料制品业", ["塑料制品", "橡胶制品", "密封件"], 8),
    ("道路货物运输", ["物流", "运输", "供应链管理"], 8),
    ("仓储业", ["仓储", "仓储物流"], 4),
    ("软件和信息技术服务业", ["软件", "信息技术", "智能科技"], 6),
    ("通用设备制造业", ["机械设备", "自动化设备", "工装模具"], 6),
    ("建筑安装业", ["建筑安装工程", "钢结构工程"], 3),
    ("商务服务业", ["企业管理咨询", "人力资源服务"], 3),
    ("餐饮业", ["餐饮管理"], 2),
]
STREETS = ["东风大街", "创业大街", "锦程大街", "长沈路", "西新工业园区", "宝来路", "蔚山路", "丙十七路", "迎春路", "普阳街"]
GENERATED_FIRMS = 200
GENERATED_SERIAL_BASE = 20_000_000
SCALE_SERIAL_BASE = 50_000_000


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    roles: tuple[str, ...]
    department: str | None = None  # department code
    title: str = ""
    phone: str = ""
    enterprise: str | None = None  # enterprise name
    shown: bool = True  # listed on the log-in page and by `make run`
    what: object = ""


ACCOUNTS = [
    Account("admin", "平台管理员", (roles.ADMIN,), "gov-data", "系统管理员", "13904310001",
            what=(_("configuration, users, reference data, imports, the admin site"))),
    Account("leader", "王建国", (roles.LEADER,), "service-centre", "管委会副主任（包保领导）", "13904310002",
            what=(_("sees everything; responsible leader of FAW's units"))),
    Account("supervisor", "李督查", (roles.SUPERVISOR,), "supervision", "督查室主任", "13904310003",
            what=(_("reads everything, audit log"))),
    Account("dispatcher", "赵派单", (roles.DISPATCHER,), "service-centre", "派单员", "13904310004",
            what=(_("routes problems to departments"))),
    Account("handler", "钱经办", (roles.HANDLER,), "planning", "经办人", "13904310005",
            what=(_("handles cases of the planning bureau"))),
    Account("depthead", "孙局长", (roles.DEPT_HEAD,), "planning", "局长", "13904310006",
            what=(_("heads the planning bureau"))),
    Account("steward", "周专员", (roles.STEWARD,), "bureau-rd", "服务专员（店小二）", "13904310007",
            what=(_("steward of FAW R&D institute and others"))),
    Account("inspector", "吴执法", (roles.INSPECTOR,), "market", "执法检查人员", "13904310008",
            what=(_("market supervision inspector"))),
    Account("window", "曹窗口", (roles.HANDLER,), "gov-data", "综合窗口受理员", "13904310017",
            what=(_("the service hall's window: records counter applications and bundles, reviews appeals against ratings"))),
    Account("faw_rd", "郑研发", (roles.ENTERPRISE,), None, "基建处联络员", "13904310009",
            enterprise="中国第一汽车集团有限公司研发总院",
            what=(_("staff of FAW R&D institute: sees only that firm"))),
    Account("bank", "刘信贷", (roles.BANK,), None, "客户经理", "13904310018",
            what=(_("loan officer of ICBC's FAW branch: sees only the firms that authorised the bank"))),
    Account("chainoffice", "邓链办", (roles.HANDLER,), "development", "产业链办公室专员", "13904310019",
            what=(_("keeps the industrial chains: segments, firms on them, supply relations, gaps"))),
    Account("recruiter", "韩招商", (roles.HANDLER,), "investment", "招商专员", "13904310020",
            what=(_("recruiting team: the target library, campaigns, invitations, signings"))),
    Account("linglong", "冯玲珑", (roles.ENTERPRISE,), None, "行政部经理", "13904310010", enterprise="吉林玲珑轮胎有限公司",
            what=(_("staff of Linglong tyres: sees only that firm"))),
    # Further staff so that every bureau has a steward and departments have handlers.
    Account("leader2", "陈振华", (roles.LEADER,), "service-centre", "管委会副主任（包保领导）", "13904310011", shown=False),
    Account("handler2", "林建设", (roles.HANDLER,), "construction", "经办人", "13904310012", shown=False),
    Account("depthead2", "何建设", (roles.DEPT_HEAD,), "construction", "局长", "13904310013", shown=False),
    Account("handler3", "马供水", (roles.HANDLER,), "utilities", "经办人", "13904310014", shown=False),
    Account("inspector2", "罗应急", (roles.INSPECTOR,), "emergency", "执法检查人员", "13904310015", shown=False),
    Account("inspector3", "梁消防", (roles.INSPECTOR,), "fire", "执法检查人员", "13904310016", shown=False),
] + [
    Account(f"h_{code.replace('-', '_')}", f"{SURNAMES[i * 2 + 40]}{GIVEN[i + 3]}", (roles.HANDLER,), code, "经办人",
            f"139043102{i:02d}", shown=False)
    for i, (code, *_rest) in enumerate(DEPARTMENTS) if code not in ("service-centre", "supervision")
] + [
    Account(f"head_{code.replace('-', '_')}", f"{SURNAMES[i * 2 + 41]}{GIVEN[i + 9]}", (roles.DEPT_HEAD,), code, "负责人",
            f"139043103{i:02d}", shown=False)
    for i, (code, *_rest) in enumerate(DEPARTMENTS) if code not in ("service-centre", "supervision", "planning")
] + [
    Account(f"steward_{code.split('-', 1)[1].replace('-', '_')}", f"{SURNAMES[i * 3 + 5]}{GIVEN[i * 2 + 1]}",
            (roles.STEWARD,), code, "服务专员（店小二）", f"139043101{20 + i}", shown=False)
    for i, (code, _name, _desc) in enumerate(BUREAUS)
]


def demo_accounts() -> list[dict]:
    return [{"username": a.username, "label": f"{a.full_name} · " + "、".join(str(roles.ROLES[r]) for r in a.roles),
             "what": str(a.what)} for a in ACCOUNTS if a.shown]


# --- loading --------------------------------------------------------------------

@transaction.atomic
def load(*, history: bool = True) -> dict:
    """Create whatever of the demo world is missing. Returns counts of what was created.
    ``history=False`` leaves out the year of generated problems (the named firms' problems stay)."""
    hooks.seed_reference_data()  # what migrate seeds, in case the database was emptied since
    created = {"departments": 0, "enterprises": 0, "users": 0, "stewardships": 0}
    depts = _departments(created)
    group, _ = EnterpriseGroup.objects.get_or_create(name=FAW, defaults={"short_name": "中国一汽"})
    firms = _named_firms(depts, group, created)
    _generated_firms(depts, created)
    users = _accounts(depts, firms, created)
    _stewardships(firms, users, depts, created)
    from . import catalog_world

    created["service items"] = catalog_world.load(depts=depts, users=users)
    from . import tickets_world

    created["tickets"] = tickets_world.load(depts=depts, firms=firms, users=users, history=history)
    from . import credit_world

    created["credit records"] = credit_world.load(depts=depts, firms=firms, users=users)
    from . import inspections_world

    created["inspections"] = inspections_world.load(depts=depts, firms=firms, users=users)
    from . import projects_world

    created["projects"] = projects_world.load(depts=depts, firms=firms, users=users, history=history)
    created["applications"] = catalog_world.history(depts=depts, firms=firms, users=users, history=history)
    from . import service_world

    created["enterprise service"] = service_world.load(depts=depts, firms=firms, users=users)
    created["project steps linked to items"] = catalog_world.link_project_steps()
    from . import chain_world

    created["industrial chains"] = chain_world.load(depts=depts, firms=firms, users=users)
    from . import interop_world

    created["problems filed through Open311"] = interop_world.load(users=users, firms=firms)
    _read_old_messages()
    from .places import place_firms

    created["firms placed on the map"] = place_firms()
    from yingshang.dashboard import services as cockpit

    created["cockpit: roll-up cells"] = cockpit.rollup_refresh(full=True, note_unchanged=False)["cells written"]
    # The zone leader receives the monthly report; last month's and last week's are written as on schedule.
    cockpit.subscription_start(actor=users["leader"], kind="monthly")
    created["cockpit: reports written"] = len(cockpit.reports_on_schedule())
    from yingshang.portal import services as portal

    created["open datasets published"] = len(portal.datasets_refresh() or {})  # as the daily sweep does
    return created


def _read_old_messages(days: int = 3) -> int:
    """People read their messages: of the year the demo replays, only the last few days' are still unread."""
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from yingshang.core.models import Notification

    from yingshang.core import notifications

    before = timezone.now() - timedelta(days=days)
    n = Notification.objects.filter(read_at__isnull=True, updated_at__lt=before).update(
        read_at=F("updated_at") + timedelta(hours=2), held=False)
    notifications.digest()  # what was held for the leaders yesterday, as this morning's digest
    return n


def _departments(created) -> dict[str, Department]:
    out = {}
    for order, (code, name, kind, phone, desc) in enumerate(DEPARTMENTS):
        out[code], new = Department.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "phone": phone, "description": desc, "sort_order": order})
        created["departments"] += new
        if not new and not out[code].phone:  # seeded with the approval templates, before the demo knew its phone
            Department.objects.filter(pk=out[code].pk).update(name=name, phone=phone, description=desc,
                                                              sort_order=order)
            out[code].refresh_from_db()
    for order, (code, name, desc) in enumerate(BUREAUS):
        out[code], new = Department.objects.get_or_create(
            code=code, defaults={"name": name, "kind": Department.Kind.BUREAU, "description": desc,
                                 "phone": f"0431-819002{order:02d}", "sort_order": order})
        created["departments"] += new
    return out


def _firm_values(rng: random.Random) -> dict:
    return {
        "contact_phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        "address": f"{ADDRESS}{rng.choice(STREETS)}{rng.randrange(1, 3000)}号",
        "registered_on": date(rng.randrange(1995, 2025), rng.randrange(1, 13), rng.randrange(1, 29)),
    }


def _named_firms(depts, group, created) -> dict[str, Enterprise]:
    rng = random.Random(1953)  # FAW was founded in 1953
    out = {}
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[make_uscc(ZONE_REGION, f[-1]) for f in NAMED_FIRMS])}
    for name, bureau, industry, size, key, returned, in_group, legal, serial in NAMED_FIRMS:
        uscc = make_uscc(ZONE_REGION, serial)
        values = _firm_values(rng)
        ent = existing.get(uscc)
        if ent is None:
            ent = directory.enterprise_create(
                actor=None, name=name, uscc=uscc, legal_representative=legal, industry=industry, size=size,
                is_key=key, is_returned=returned, group=group if in_group else None, bureau=depts[bureau],
                registered_capital=Decimal(rng.randrange(5, 2000)) * 1_000_000, **values)
            created["enterprises"] += 1
        out[name] = ent
    return out


def _generated_name(rng: random.Random, used: set[str]) -> tuple[str, str]:
    weights = [w for _i, _words, w in INDUSTRIES]
    while True:
        industry, words, _w = rng.choices(INDUSTRIES, weights=weights)[0]
        prefix = rng.choice(["长春", "长春", "吉林", "长春市", "一汽"])
        name = f"{prefix}{rng.choice(TRADE_NAMES)}{rng.choice(words)}有限公司"
        if name not in used:
            used.add(name)
            return name, industry


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _generated_firms(depts, created) -> None:
    rng = random.Random(2021)  # the year of the article
    used = set(NAMED for NAMED, *_rest in NAMED_FIRMS)
    bureau_codes = [code for code, _n, _d in BUREAUS]
    rows = []
    for i in range(GENERATED_FIRMS):
        name, industry = _generated_name(rng, used)
        bureau = "bureau-parts" if industry.startswith("汽车") and rng.random() < 0.5 else rng.choice(bureau_codes)
        rows.append(Enterprise(
            name=name, uscc=make_uscc(ZONE_REGION, GENERATED_SERIAL_BASE + i), legal_representative=_person(rng),
            industry=industry, size=rng.choices(["large", "medium", "small", "micro"], weights=[1, 4, 8, 3])[0],
            is_key=rng.random() < 0.08, is_returned=rng.random() < 0.15, bureau=depts[bureau],
            registered_capital=Decimal(rng.randrange(50, 50000)) * 10_000,
            status=rng.choices(["operating", "suspended", "moved_out"], weights=[96, 2, 2])[0],
            **_firm_values(rng)))
    existing = set(Enterprise.objects.filter(uscc__in=[r.uscc for r in rows]).values_list("uscc", flat=True))
    new = [r for r in rows if r.uscc not in existing]
    Enterprise.objects.bulk_create(new, batch_size=500)
    created["enterprises"] += len(new)


def _accounts(depts, firms, created) -> dict:
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ROLES)}
    password = make_password(settings.DEMO_PASSWORD if settings.DEBUG else None)  # hashed once for all
    users = {}
    for a in ACCOUNTS:
        surname, given = a.full_name[0], a.full_name[1:]
        user = User.objects.filter(username=a.username).first()
        if user is None:
            user = User(username=a.username, last_name=surname, first_name=given, email=f"{a.username}@demo.invalid",
                        is_staff=roles.ADMIN in a.roles, is_superuser=roles.ADMIN in a.roles)
            user.password = password
            user.save()
            user.groups.set([groups[r] for r in a.roles])
            created["users"] += 1
            if a.department:
                directory.staff_assign(actor=None, user=user, department=depts[a.department], title=a.title,
                                       phone=a.phone)
            if a.enterprise:
                directory.member_add(actor=None, enterprise=firms[a.enterprise], user=user, position=a.title,
                                     phone=a.phone)
        users[a.username] = user
    return users


def _stewardships(firms, users, depts, created) -> None:
    """FAW's units and the named suppliers: leader 王建国 or 陈振华, the steward of their bureau
    (周专员 for the R&D institute and the parts suppliers). Generated firms: their bureau's steward."""
    from yingshang.directory.models import Stewardship

    have = set(Stewardship.objects.filter(ended_on__isnull=True).values_list("enterprise_id", flat=True))
    bureau_steward = {code: users[f"steward_{code.split('-', 1)[1].replace('-', '_')}"] for code, _n, _d in BUREAUS}
    bureau_steward["bureau-rd"] = users["steward"]
    bureau_steward["bureau-parts"] = users["steward"]
    start = date(2021, 1, 4)
    demo_codes = [make_uscc(ZONE_REGION, f[-1]) for f in NAMED_FIRMS] + [
        make_uscc(ZONE_REGION, GENERATED_SERIAL_BASE + i) for i in range(GENERATED_FIRMS)]
    firms = Enterprise.objects.filter(uscc__in=demo_codes, bureau__isnull=False).select_related("bureau").order_by("id")
    with clock.story(start, 9):  # the assignments of the zone's first 包保 list, dated that day
        for i, ent in enumerate(firms):
            if ent.pk in have:
                continue
            leader = users["leader"] if (ent.group_id or i % 2 == 0) else users["leader2"]
            directory.stewardship_assign(actor=None, enterprise=ent, leader=leader,
                                         steward=bureau_steward[ent.bureau.code], on=start)
            created["stewardships"] += 1


def add_scale(n: int, *, progress=None) -> int:
    """Add ``n`` generated firms with bulk inserts (for benchmarks), each at its place on the zone's map, 5,000 to
    a transaction (``progress`` is told after each)."""
    from .places import place

    rng = random.Random(n)
    depts = list(Department.objects.filter(kind=Department.Kind.BUREAU))
    base = SCALE_SERIAL_BASE + Enterprise.objects.count()
    for start in range(0, n, 5000):
        rows = []
        for i in range(start, min(n, start + 5000)):
            industry, words, _w = rng.choice(INDUSTRIES)
            uscc = make_uscc(ZONE_REGION, base + i)
            lng, lat = place(uscc)
            rows.append(Enterprise(
                name=f"长春{rng.choice(TRADE_NAMES)}{rng.choice(words)}{base + i}号有限公司", lng=lng, lat=lat,
                uscc=uscc, legal_representative=_person(rng), industry=industry,
                size=rng.choice(["medium", "small", "micro"]), bureau=rng.choice(depts) if depts else None,
                **_firm_values(rng)))
        with transaction.atomic():
            Enterprise.objects.bulk_create(rows, batch_size=2000)
        if progress is not None:
            progress.advance(len(rows))
    return n

