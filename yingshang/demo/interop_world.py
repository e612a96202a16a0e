"""The demo's outside systems: the city's 营商环境 app files problems through Open311 (its demo key is
``DEMO_OPEN311_KEY``); 玲珑轮胎 has published one of them. The city's 12345 hotline (key ``DEMO_HOTLINE_KEY``,
secret ``DEMO_HOTLINE_SECRET``, no callback address until one is set) has transferred two work orders under
mapped categories."""

from yingshang.interop import services
from yingshang.interop.models import Integrator
from yingshang.tickets.models import Category
from yingshang.tickets.services import ticket_publish

DEMO_OPEN311_KEY = "ys_demo_open311_key_changchun_app"
NAME = "长春市营商环境App"
DEMO_HOTLINE_KEY = "ys_demo_hotline_key_changchun_12345"
DEMO_HOTLINE_SECRET = "demo-hotline-signing-secret-0431-12345"
HOTLINE = "长春市12345政务服务便民热线"
HOTLINE_CATEGORIES = {"城乡建设-供电": "供电", "城乡建设-供水": "供水排水", "交通运输-道路": "道路交通",
                      "人力社保-用工": "招聘用工", "市场监管-证照": "证照办理"}
ORDERS = [  # order code, firm, content, hotline category, working days to the deadline
    ("CC12345-20261201-0183", "吉林玲珑轮胎有限公司", "来电人反映：企业北侧道路施工围挡占用货车通道已两周，请协调。", "交通运输-道路", 5),
    ("CC12345-20261203-0417", "吉林玲珑轮胎有限公司", "来电人反映：新招员工社保登记系统报错，无法办理。", "人力社保-用工", 3),
]

FILED = [  # firm, category, description, where, published by the firm
    ("吉林玲珑轮胎有限公司", "道路交通", "厂区东门外路段夜间无路灯，货车进出存在安全隐患，请协调安装路灯。",
     {"lat": "43.8032", "long": "125.1930"}, True),
    ("吉林玲珑轮胎有限公司", "供电", "二期厂房申请增容 2000kVA，供电方案迟迟未出。", {"address_string": "长春汽开区东风大街"},
     False),
]


def load(*, users, firms) -> int:
    n = 0 if Integrator.objects.filter(name=HOTLINE).exists() else _hotline(users, firms)
    if Integrator.objects.filter(name=NAME).exists():
        return n
    integrator, _key = services.integrator_register(actor=users["admin"], name=NAME, key=DEMO_OPEN311_KEY,
                                                    contact="市营商环境建设局 信息科")
    leaves = Category.objects.filter(active=True, parent__isnull=False)
    for firm, category, text, where, published in FILED:
        if firm not in firms:
            continue
        cat = leaves.filter(name__contains=category).first() or leaves.order_by("pk").first()
        filed = services.open311_request_file(integrator=integrator, data={
            "service_code": str(cat.pk), "attribute[uscc]": firms[firm].uscc, "description": text,
            "last_name": "王", "first_name": "先生", **where})
        if published:
            ticket_publish(actor=users["linglong"], ticket=filed.ticket)
        n += 1
    return n


def _hotline(users, firms) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from yingshang.interop import hotline
    from yingshang.interop.models import CategoryMap

    integrator, _key = services.integrator_register(
        actor=users["admin"], name=HOTLINE, kind=Integrator.Kind.HOTLINE, key=DEMO_HOTLINE_KEY,
        secret=DEMO_HOTLINE_SECRET, contact="市政务服务和数字化建设管理局 12345 热线平台")
    leaves = {c.name: c for c in Category.objects.filter(active=True, parent__isnull=False)}
    for theirs, ours in HOTLINE_CATEGORIES.items():
        if ours in leaves:
            CategoryMap.objects.create(integrator=integrator, their_category=theirs, category=leaves[ours])
    n = 0
    for code, firm, text, theirs, days in ORDERS:
        if firm not in firms:
            continue
        deadline = timezone.localtime() + timedelta(days=days + 2)
        hotline.order_receive(integrator=integrator, data={
            "order_code": code, "uscc": firms[firm].uscc, "content": text, "category": theirs,
            "deadline": deadline.isoformat(timespec="seconds"), "caller": "市民来电", "phone": "12345"})
        n += 1
    return n
