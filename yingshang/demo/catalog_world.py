"""The demo services catalogue: items of the zone's departments shaped like the provincial catalogue's — the
approvals the project templates need, the business start-up bundle's items, water connection (statutory 60
working days, committed 7) — published through the real services. Loaded once: skipped when present."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yingshang.catalog import services
from yingshang.catalog.models import Item, ItemType

from . import clock

MARKER = "11220173MB1234567X4220114001000"
HALL = "汽开区政务服务中心（东风大街1号）一楼综合窗口"
HOURS = "工作日 8:30–11:30，13:00–17:00"

# code suffix, name, type code, department, statutory, committed, unit, visits, online depth, fee,
# life events, materials (name, necessity)
ITEMS = [
    ("001000", "供水报装", "20", "utilities", 60, 7, "workday", 0, 4, "", ["build"],
     [("用水报装申请表", "required"), ("营业执照", "required"), ("用水地点产权证明", "required"), ("用水设计图纸", "secondary")]),
    ("002000", "排水许可", "01", "construction", 20, 5, "workday", 0, 3, "", ["build"],
     [("排水许可申请表", "required"), ("排水户内部排水管网图", "required"), ("排水水质检测报告", "secondary")]),
    ("003000", "食品经营许可", "01", "market", 20, 3, "workday", 1, 3, "", ["start", "change"],
     [("食品经营许可申请书", "required"), ("营业执照", "required"), ("经营场所平面图", "required"),
      ("食品安全管理制度", "secondary")]),
    ("004000", "危险化学品经营许可", "01", "emergency", 30, 10, "workday", 1, 2, "", ["start"],
     [("危险化学品经营许可证申请表", "required"), ("安全评价报告", "required"), ("主要负责人安全培训合格证明", "required")]),
    ("005000", "企业设立登记", "01", "market", 3, 0, "workday", 0, 4, "", ["start"],
     [("公司登记（备案）申请书", "required"), ("公司章程", "required"), ("住所使用证明", "required")]),
    ("006000", "公章刻制备案", "20", "market", 1, 0, "workday", 0, 4, "", ["start"], [("营业执照", "required")]),
    ("007000", "发票申领", "20", "finance", 1, 0, "workday", 0, 4, "", ["start"], [("办税人员身份信息", "required")]),
    ("008000", "社会保险登记", "07", "hrss", 5, 0, "workday", 0, 4, "", ["start"], [("营业执照", "required")]),
    ("009000", "住房公积金单位登记开户", "20", "hrss", 5, 0, "workday", 0, 4, "", ["start"],
     [("单位登记开户申请表", "required")]),
    ("010000", "建设项目用地预审与选址意见书", "01", "planning", 20, 10, "workday", 1, 3, "", ["build"],
     [("建设项目用地预审与选址申请表", "required"), ("项目建设依据", "required"), ("标注项目用地范围的土地利用总体规划图", "required")]),
    ("011000", "建设用地规划许可证核发", "01", "planning", 20, 5, "workday", 1, 3, "", ["build"],
     [("建设用地规划许可申请表", "required"), ("国有土地使用权出让合同", "required")]),
    ("012000", "建设工程规划许可证核发", "01", "planning", 20, 5, "workday", 1, 3, "", ["build"],
     [("建设工程规划许可申请表", "required"), ("建设工程设计方案", "required")]),
    ("013000", "建筑工程施工许可证核发", "01", "construction", 7, 3, "workday", 0, 4, "", ["build"],
     [("建筑工程施工许可申请表", "required"), ("施工合同", "required"), ("施工图审查合格书", "secondary")]),
    ("014000", "建设项目环境影响报告书（表）审批", "01", "ecology", 60, 15, "workday", 1, 3, "", ["build"],
     [("环境影响报告书（表）", "required"), ("建设项目环评审批申请表", "required")]),
    ("015000", "企业投资项目备案", "10", "development", 3, 1, "workday", 0, 4, "", ["build"],
     [("项目备案信息表", "required")]),
    ("016000", "特种设备使用登记", "01", "market", 15, 5, "workday", 0, 4, "", ["change"],
     [("特种设备使用登记表", "required"), ("产品合格证", "required")]),
    ("017000", "公众聚集场所投入使用、营业前消防安全检查", "01", "fire", 10, 5, "workday", 1, 3, "", ["start"],
     [("消防安全检查申请表", "required"), ("营业执照", "required"), ("场所平面布置图", "required")]),
    ("018000", "道路货物运输经营许可", "01", "transport", 20, 5, "workday", 0, 4, "", ["start"],
     [("道路货物运输经营申请表", "required"), ("车辆行驶证", "required")]),
    ("019000", "企业注销登记", "01", "market", 3, 1, "workday", 0, 4, "", ["close"],
     [("注销登记申请书", "required"), ("清税证明", "shared")]),
    ("020000", "城镇污水排入排水管网许可证延续", "01", "construction", 20, 5, "workday", 0, 4, "每件50元", ["change"],
     [("排水许可延续申请表", "required")]),
]
REASONS = "需现场核验经营场所及设施设备"


def load(*, depts, users) -> int:
    if Item.objects.filter(code=MARKER).exists():
        return 0
    services.item_types_ensure_defaults()
    types = {t.code: t for t in ItemType.objects.all()}
    published = timezone.localdate() - timedelta(days=200)
    with clock.story(published, 9):
        for suffix, name, type_code, dept, statutory, committed, unit, visits, depth, fee, life, materials in ITEMS:
            immediate = committed == 0
            fields = {
                "name": name, "type": types[type_code], "department": depts[dept],
                "kind": "immediate" if immediate else "committed", "statutory_limit": statutory,
                "statutory_unit": unit, "committed_limit": committed, "committed_unit": unit, "visits": visits,
                "visit_reason": REASONS if visits else "", "online": True, "online_depth": depth,
                "at_window": True, "in_hall": True, "charged": bool(fee), "fee_standard": fee,
                "fee_basis": "《城镇排水与污水处理条例》" if fee else "", "place": HALL, "hours": HOURS,
                "phone": depts[dept].phone, "complaint_phone": "12345", "result_name": f"{name}决定",
                "scope": "全市通办", "commitment_allowed": type_code == "01" and committed > 0,
                "tolerant": any(n == "secondary" for _m, n in materials), "life_events": life,
                "steps": [{"name": "受理", "role": "窗口"}, {"name": "审查", "role": "承办人"},
                          {"name": "决定", "role": "部门负责人"}, {"name": "送达", "role": "窗口"}],
                "basis": f"《{name}管理办法》",
            }
            mats = [{"name": m, "necessity": "required" if n == "shared" else n,
                     "source": "shared" if n == "shared" else "applicant",
                     "source_department": depts["finance"] if n == "shared" else None} for m, n in materials]
            services.item_publish(actor=None, code=MARKER[:-6] + suffix, basic_code=f"0000{suffix}",
                                  fields=fields, materials=mats)
    # The water connection's committed limit was cut once more this year: its second version.
    first = Item.objects.get(code=MARKER).current
    with clock.story(published + timedelta(days=120), 10):
        services.item_publish(actor=users["admin"], code=MARKER, basic_code=first.item.basic_code, fields={
            f: getattr(first, f) for f in services.CONTENT_FIELDS} | {"committed_limit": 5},
            note="供水报装承诺时限由7个工作日压缩至5个工作日")
    return len(ITEMS)
