"""The demo's outside systems: the city's 营商环境 app files problems through Open311 (its demo key is
``DEMO_OPEN311_KEY``); 玲珑轮胎 has published one of them."""

from yingshang.interop import services
from yingshang.interop.models import Integrator
from yingshang.tickets.models import Category
from yingshang.tickets.services import ticket_publish

DEMO_OPEN311_KEY = "ys_demo_open311_key_changchun_app"
NAME = "长春市营商环境App"

FILED = [  # firm, category, description, where, published by the firm
    ("吉林玲珑轮胎有限公司", "道路交通", "厂区东门外路段夜间无路灯，货车进出存在安全隐患，请协调安装路灯。",
     {"lat": "43.8032", "long": "125.1930"}, True),
    ("吉林玲珑轮胎有限公司", "供电", "二期厂房申请增容 2000kVA，供电方案迟迟未出。", {"address_string": "长春汽开区东风大街"},
     False),
]


def load(*, users, firms) -> int:
    if Integrator.objects.filter(name=NAME).exists():
        return 0
    integrator, _key = services.integrator_register(actor=users["admin"], name=NAME, key=DEMO_OPEN311_KEY,
                                                    contact="市营商环境建设局 信息科")
    leaves = Category.objects.filter(active=True, parent__isnull=False)
    n = 0
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
