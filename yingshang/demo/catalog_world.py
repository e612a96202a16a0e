"""The demo services catalogue: items of the zone's departments shaped like the provincial catalogue's — the
approvals the project templates need, the business start-up bundle's items, water connection (statutory 60
working days, committed 7) — published through the real services. Loaded once: skipped when present."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from yingshang.catalog import services
from yingshang.catalog.models import Item, ItemType, ScopeRule

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
     [("公司登记（备案）申请书", "required"), ("公司章程", "required"), ("住所使用证明", "secondary")]),
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

# More of the zone's catalogue, shaped like the provincial one: department, item type, statutory limit,
# names. Committed limits are a quarter of the statutory ones (at least one working day).
MORE = [
    ("market", "01", 20, ["食品生产许可", "小餐饮经营许可", "药品零售企业许可", "工业产品生产许可证", "食品经营许可变更",
                          "食品经营许可延续", "特种设备作业人员资格认定", "药品经营许可证变更", "第二类精神药品零售许可",
                          "检验检测机构资质认定", "计量标准考核"]),
    ("market", "07", 3, ["营业执照变更登记", "企业备案（章程、董事、监事、经理）", "分公司设立登记", "个体工商户登记",
                         "农民专业合作社登记", "股权出质登记", "动产抵押登记", "商标质押登记"]),
    ("market", "20", 5, ["医疗器械经营备案", "特种设备安装改造维修告知", "计量器具强制检定", "企业年度报告修改"]),
    ("planning", "01", 20, ["建设工程规划条件核实", "临时建设工程规划许可", "乡村建设规划许可", "测绘成果使用审批",
                            "建设项目用地预审", "临时用地审批", "建设用地改变用途审核"]),
    ("planning", "07", 10, ["国有建设用地使用权首次登记", "不动产转移登记", "不动产抵押登记", "地名命名"]),
    ("construction", "01", 20, ["城市道路占用挖掘许可", "临时占用绿地审批", "砍伐城市树木审批", "商品房预售许可",
                                "建筑业企业资质（三级）核准", "燃气经营许可", "户外广告设施设置审批", "城市建筑垃圾处置核准",
                                "城市排水设施接入审批", "房屋建筑工程施工图审查", "建设工程招标文件备案", "拆除工程施工备案"]),
    ("construction", "20", 5, ["建设工程竣工验收备案", "施工图设计文件审查备案", "建设工程质量监督登记",
                               "建筑起重机械使用登记", "城市绿化工程竣工验收备案"]),
    ("ecology", "01", 30, ["排污许可证核发", "排污许可证变更", "危险废物经营许可", "辐射安全许可证核发",
                           "固体废物跨省转移审批"]),
    ("ecology", "20", 5, ["建设项目环境影响登记表备案", "建设项目竣工环境保护验收备案", "突发环境事件应急预案备案",
                          "排污登记"]),
    ("development", "10", 20, ["企业投资项目核准", "固定资产投资项目节能审查", "政府投资项目建议书审批",
                               "政府投资项目可行性研究报告审批", "政府投资项目初步设计审批"]),
    ("emergency", "01", 30, ["危险化学品安全使用许可", "烟花爆竹经营（零售）许可", "建设项目安全设施设计审查"]),
    ("emergency", "20", 5, ["非药品类易制毒化学品生产备案", "生产安全事故应急预案备案", "安全生产标准化三级企业评审"]),
    ("fire", "01", 15, ["建设工程消防设计审查", "建设工程消防验收", "大型群众性活动消防安全检查"]),
    ("fire", "20", 5, ["建设工程消防验收备案"]),
    ("transport", "01", 20, ["道路旅客运输经营许可", "超限运输车辆行驶公路许可", "涉路施工许可", "出租汽车经营许可",
                             "道路运输从业人员从业资格"]),
    ("transport", "20", 5, ["机动车维修经营备案", "道路运输车辆年度审验", "道路运输证配发"]),
    ("hrss", "01", 20, ["劳务派遣经营许可", "人力资源服务许可", "特殊工时工作制审批"]),
    ("hrss", "20", 5, ["社会保险注销登记", "就业登记", "失业保险稳岗返还", "职业技能等级认定", "高校毕业生就业见习补贴申领",
                       "企业职工基本养老保险参保登记"]),
    ("finance", "01", 20, ["代理记账许可"]),
    ("finance", "20", 5, ["清税注销", "政府采购代理机构名录登记", "财政专项资金申报", "非税收入票据领购"]),
    ("utilities", "20", 15, ["用电变更", "供热停复热", "供电报装（低压）", "供电报装（高压）", "燃气报装", "供热报装", "排水接入", "通信报装",
                             "用水变更"]),
    ("gov-data", "20", 3, ["政务服务事项咨询", "电子证照调用授权", "帮办代办服务"]),
    ("investment", "20", 5, ["外商投资企业信息报告", "重点项目入库申报", "外商投资项目备案", "招商项目落地协调服务"]),
    ("hrss", "01", 20, ["民办职业技能培训机构设立审批"]),
    # The powers the zone exercises over firms (not applied for): penalties, inspections, levies, payments …
    ("market", "02", 90, ["对未取得食品经营许可从事食品经营活动的行政处罚", "对无照经营的行政处罚"]),
    ("market", "03", 30, ["查封、扣押存在严重事故隐患的特种设备"]),
    ("ecology", "02", 90, ["对超标排放污染物的行政处罚"]),
    ("emergency", "06", 30, ["对生产经营单位安全生产情况的监督检查"]),
    ("construction", "06", 30, ["对建设工程质量的监督检查"]),
    ("construction", "04", 20, ["城市基础设施配套费征收"]),
    ("fire", "06", 30, ["对单位履行消防安全职责情况的监督检查"]),
    ("hrss", "05", 20, ["失业保险金给付"]),
    ("hrss", "07", 60, ["工伤认定"]),
    ("hrss", "09", 45, ["劳动人事争议仲裁"]),
    ("development", "08", 30, ["重点产业项目奖励"]),
]
# The application form of the business start-up items (one merged form for the bundle).
FORMS = {
    "企业设立登记": [("name", "企业名称"), ("capital", "注册资本（万元）"), ("legal", "法定代表人"), ("address", "住所"),
                     ("scope", "经营范围")],
    "公章刻制备案": [("name", "企业名称"), ("legal", "法定代表人"), ("seals", "刻制印章种类")],
    "发票申领": [("name", "企业名称"), ("tax_contact", "办税人员"), ("invoices", "申领发票种类")],
    "社会保险登记": [("name", "企业名称"), ("staff", "参保人数")],
    "住房公积金单位登记开户": [("name", "企业名称"), ("bank", "缴存银行")],
}
# code, name, committed working days, life event, item names by stage
BUNDLES = [
    ("kaiban-qiye", "开办企业", 1, "start", [["企业设立登记"], ["公章刻制备案", "发票申领", "社会保险登记", "住房公积金单位登记开户"]]),
    ("xinjian-changfang", "新建厂房开工", 20, "build", [["企业投资项目备案"], ["建设用地规划许可证核发"],
                                                     ["建设工程规划许可证核发", "建设项目环境影响报告书（表）审批"],
                                                     ["建筑工程施工许可证核发"]]),
    ("kaiban-canguan", "开办餐馆", 5, "start", [["小餐饮经营许可", "公众聚集场所投入使用、营业前消防安全检查"]]),
    ("qiye-zhuxiao", "企业注销", 3, "close", [["清税注销", "社会保险注销登记"], ["企业注销登记"]]),
    ("kaiban-weixiu", "开办汽车维修店", 5, "start", [["机动车维修经营备案", "排污许可证核发"]]),
    ("kaiban-wuliu", "开办物流企业", 5, "start", [["道路货物运输经营许可", "道路运输从业人员从业资格"]]),
    ("shuidianqi-baozhuang", "水电气联合报装", 5, "build", [["供水报装", "供电报装（低压）", "燃气报装"]]),
    ("zhaopin-yonggong", "企业招聘用工", 5, "change", [["就业登记", "企业职工基本养老保险参保登记", "社会保险登记"]]),
]
# Business-scope keywords and the permit each needs (双告知).
SCOPE_RULES = [("食品", "食品经营许可"), ("餐饮", "小餐饮经营许可"), ("危险化学品", "危险化学品经营许可"),
               ("道路货物运输", "道路货物运输经营许可"), ("机动车维修", "机动车维修经营备案"),
               ("劳务派遣", "劳务派遣经营许可"), ("人力资源服务", "人力资源服务许可")]


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
        rng = random.Random(804)  # the 804 provincial items reused
        n = 20
        for dept, type_code, statutory, names in MORE:
            applied = type_code in ("01", "07", "10", "20")
            for name in names:
                n += 1
                committed = max(1, statutory // 4)
                depth = rng.choice((3, 4, 4, 4)) if applied else None
                fields = {
                    "name": name, "type": types[type_code], "department": depts[dept], "kind": "committed",
                    "statutory_limit": statutory, "statutory_unit": "workday", "committed_limit": committed,
                    "committed_unit": "workday", "visits": 0 if depth == 4 or not applied else 1,
                    "visit_reason": REASONS if applied and depth != 4 else "", "online": applied,
                    "online_depth": depth, "at_window": True, "in_hall": applied, "place": HALL, "hours": HOURS,
                    "phone": depts[dept].phone, "complaint_phone": "12345", "result_name": f"{name}决定",
                    "scope": "全市通办" if applied else "", "commitment_allowed": type_code == "01",
                    "tolerant": applied, "basis": f"《{name}实施办法》",
                    "life_events": ["start"] if type_code in ("01", "07") and dept in ("market", "transport", "hrss")
                    else ["build"] if dept in ("planning", "construction", "utilities", "development") else [],
                    "steps": [{"name": "受理", "role": "窗口"}, {"name": "审查", "role": "承办人"},
                              {"name": "决定", "role": "部门负责人"}]}
                mats = [{"name": f"{name}申请表"}, {"name": "营业执照"},
                        {"name": "相关证明材料", "necessity": "secondary"}] if applied else []
                services.item_publish(actor=None, code=MARKER[:-6] + f"{n:03d}000", basic_code=f"0000{n:03d}000",
                                      fields=fields, materials=mats)
        for name, keys in FORMS.items():  # the start-up items ask for their form's fields (a new version)
            v = Item.objects.get(current__name=name).current
            services.item_publish(actor=None, code=v.item.code, basic_code=v.item.basic_code, fields={
                f: getattr(v, f) for f in services.CONTENT_FIELDS} | {
                "form_fields": [{"key": k, "label": label} for k, label in keys]}, note="增加申请表填写项")
        by_name = {i.current.name: i for i in Item.objects.select_related("current")}
        for code, name, days, life, stages in BUNDLES:
            services.bundle_define(actor=None, code=code, name=name, committed_workdays=days, life_event=life,
                                   items=[(by_name[n], stage) for stage, names in enumerate(stages, 1) for n in names])
        for keyword, name in SCOPE_RULES:
            ScopeRule.objects.get_or_create(keyword=keyword, item=by_name[name])
    # The water connection's committed limit was cut once more this year: its second version.
    first = Item.objects.get(code=MARKER).current
    with clock.story(published + timedelta(days=120), 10):
        services.item_publish(actor=users["admin"], code=MARKER, basic_code=first.item.basic_code, fields={
            f: getattr(first, f) for f in services.CONTENT_FIELDS} | {"committed_limit": 5},
            note="供水报装承诺时限由7个工作日压缩至5个工作日")
    return Item.objects.count()


# --- a year of applications ---------------------------------------------------------------------

def history(*, depts, firms, users, history: bool = True) -> int:
    """A year of applications through the real services, as of their days: accepted (some after a
    correction, some with a material missing), decided mostly within the committed limit, delivered, rated
    (bad ratings called back, rectified and rated again; one appealed and annulled); 开办企业 bundles done
    within hours; the last days' applications still open; registrations with their claims."""
    from yingshang.catalog.models import Application, Bundle
    from yingshang.core import workdays
    from yingshang.directory.models import Enterprise, StaffProfile

    if Application.objects.exists():
        return 0
    rng = random.Random(1173)  # the 1,173 powers published
    cal = workdays.get_calendar()
    today = timezone.localdate()
    clerks, heads = {}, {}
    for sp in StaffProfile.objects.select_related("user").filter(user__is_active=True).order_by("user__username"):
        names = set(sp.user.groups.values_list("name", flat=True))
        if "handler" in names:
            clerks.setdefault(sp.department_id, []).append(sp.user)
        if "dept_head" in names:
            heads.setdefault(sp.department_id, []).append(sp.user)
    items = [i for i in Item.objects.select_related("current", "current__department").filter(current__online=True)
             if not i.current.form_fields and i.current.department_id in clerks]
    water = Item.objects.get(code=MARKER)
    pool = list(Enterprise.objects.filter(status="operating").order_by("pk")[:300])
    members = {f.pk: u for f, u in ((firms["中国第一汽车集团有限公司研发总院"], users["faw_rd"]),
                                    (firms["吉林玲珑轮胎有限公司"], users["linglong"]))}
    hall_head = users["head_gov_data"]
    count = {"n": 0, "bad": 0}
    named = [firms["中国第一汽车集团有限公司研发总院"], firms["吉林玲珑轮胎有限公司"]]

    def workday_before(days_ago):
        d = today - timedelta(days=days_ago)
        while not cal.is_workday(d, provisional=True):
            d -= timedelta(days=1)
        return d

    def one(item, firm, day, *, open_=False):
        v = item.current
        clerk = clerks[v.department_id][0]
        head = (heads.get(v.department_id) or [clerk])[0]
        online = rng.random() < 0.9
        actor = members.get(firm.pk) if online else users["window"]
        with clock.story(day, 9, rng.randrange(0, 50)):
            a = services.application_submit(actor=actor, item=item, enterprise=firm,
                                            channel="online" if online else "window", visits=0 if online else 1,
                                            at=clock.moment(day, 9, rng.randrange(0, 50)))
            count["n"] += 1
            if rng.random() < 0.05:
                a = services.application_request_correction(actor=clerk, application=a,
                                                            correction="请补充加盖公章的申请表原件扫描件。")
                a = services.application_resubmit(actor=members.get(firm.pk), application=a, note="已补充")
            if open_ and rng.random() < 0.4:
                return a
            tolerant = v.tolerant and rng.random() < 0.1 and not open_
            secondary = [m.name for m in v.materials.all() if m.necessity == "secondary"][:1]
            a = services.application_accept(actor=clerk, application=a, at=clock.moment(day, 10),
                                            missing=secondary[0] if tolerant and secondary else "")
        if open_:
            return a
        limit = v.committed_limit if v.kind == "committed" else 0
        spent = rng.choice([0, max(0, limit - 1), limit // 2, limit]) if rng.random() < 0.9 else limit + rng.randint(1, 3)
        decided = cal.add_workdays(day, spent, provisional=True)
        if decided >= today:
            return a
        with clock.story(decided, 15):
            if a.missing:
                a = services.application_supply(actor=members.get(firm.pk), application=a,
                                                at=clock.moment(day, 11))
            if rng.random() < 0.97:
                a = services.application_approve(actor=head, application=a, at=clock.moment(decided, 15),
                                                 licence_number=f"{v.item.code[-9:-3]}-{decided:%Y%m%d}-{a.pk:05d}",
                                                 valid_until=decided.replace(year=decided.year + 5))
                delivery = rng.choice(["electronic", "electronic", "electronic", "post", "window"])
                a = services.application_deliver(actor=clerk, application=a, delivery=delivery,
                                                 tracking_number=f"SF{rng.randrange(10**11, 10**12)}"
                                                 if delivery == "post" else "", at=clock.moment(decided, 16))
            else:
                a = services.application_deny(actor=head, application=a, at=clock.moment(decided, 15),
                                              reason="申请材料与现场核查情况不符。如不服，可在60日内申请行政复议或在6个月内提起行政诉讼。")
        if members.get(firm.pk) and rng.random() < 0.8 or rng.random() < 0.6:
            rate(a, decided, clerk, head)
        return a

    def rate(a, decided, clerk, head):
        rater = members.get(a.enterprise_id)
        if rater is None:
            return  # only firms with an account rate in the demo
        roll = rng.random()
        score = 5 if roll < 0.7 else 4 if roll < 0.9 else 3 if roll < 0.95 else rng.choice([1, 2])
        day = cal.add_workdays(decided, 1, provisional=True)
        if day >= today:
            return
        with clock.story(day, 11):
            r = services.rating_submit(actor=rater, application=a, overall=score, efficiency=score,
                                       attitude=min(5, score + 1), accuracy=score,
                                       comment="" if score >= 4 else "材料清单与窗口要求不一致，多跑了一次。",
                                       at=clock.moment(day, 11))
        if score > 2:
            return
        count["bad"] += 1
        back = cal.add_workdays(day, 1, provisional=True)
        if back >= today:
            return
        with clock.story(back, 10):
            r = services.rating_call_back(actor=clerk, rating=r, note="已电话回访，企业反映指南材料要求不清。",
                                          at=clock.moment(back, 10))
        if count["bad"] == 2:  # the department holds one wrong; the hall annuls it
            with clock.story(back, 14):
                r = services.rating_appeal(actor=head, rating=r, reason="企业误将其他部门事项评价至本部门，有通话记录为证。")
                services.rating_decide_appeal(actor=hall_head, rating=r, upheld=True, answer="经核实，申诉成立。")
            return
        fixed = cal.add_workdays(back, rng.randint(2, 10), provisional=True)
        if fixed >= today:
            return
        with clock.story(fixed, 10):
            r = services.rating_reply(actor=clerk, rating=r, at=clock.moment(fixed, 10),
                                      reply="已修订办事指南材料清单并增加填写样表，窗口人员已培训。")
            services.rating_rerate(actor=members[a.enterprise_id], rating=r, overall=4, efficiency=4, attitude=5,
                                   accuracy=4, comment="整改及时。", at=clock.moment(fixed, 15))

    if history:
        for i in range(420):
            firm = named[i % 2] if i % 5 == 0 else rng.choice(pool)
            one(rng.choice(items), firm, workday_before(rng.randrange(8, 360)))
        for i in range(24):  # water connections: committed 7, then 5
            one(water, rng.choice(pool), workday_before(rng.randrange(8, 360)))
        start = Bundle.objects.get(code="kaiban-qiye")
        for i in range(24):
            _startup(start, pool[i + 40], workday_before(rng.randrange(8, 300)), users, clerks, rng)
    _registrations(users, clerks, rng, today, cal, n=30 if history else 6)
    for i in range(12):  # this week's, still open
        one(rng.choice(items), rng.choice(named), workday_before(rng.randrange(1, 6)), open_=True)
    return count["n"]


def _startup(bundle, firm, day, users, clerks, rng):
    """A business started within the working day: the registration first, then the other four in parallel."""
    from yingshang.catalog.models import Application

    data = {"name": firm.name, "capital": str(rng.choice([50, 100, 500, 1000])), "legal": firm.legal_representative
            or "王伟", "address": firm.address or ADDRESS, "scope": "汽车零部件研发、生产、销售", "seals": "公章、财务章",
            "tax_contact": "李敏", "invoices": "增值税专用发票", "staff": str(rng.randrange(5, 80)),
            "bank": "中国工商银行长春汽车厂支行"}
    with clock.story(day, 9):
        ba = services.bundle_apply(actor=users["window"], bundle=bundle, enterprise=firm, form_data=data,
                                   channel="window", visits=1, at=clock.moment(day, 9))
    hour = 10
    for stage in (1, 2):
        for a in Application.objects.filter(bundle_application=ba, status="submitted").select_related("version"):
            clerk = clerks[a.department_id][0]
            with clock.story(day, hour):
                a = services.application_accept(actor=clerk, application=a, at=clock.moment(day, hour))
                services.application_approve(actor=clerk, application=a, licence_number=f"KB{a.pk:06d}",
                                             at=clock.moment(day, hour, rng.randrange(10, 50)))
            hour = min(hour + 1, 16)
    return ba


def _registrations(users, clerks, rng, today, cal, *, n: int):
    """Two months of registrations: each tells its permits and is pushed; most claimed within days."""
    from yingshang.catalog.models import Claim
    from yingshang.directory.models import Department

    from .world import ZONE_REGION, make_uscc

    scopes = ["食品销售；餐饮服务", "道路货物运输（不含危险货物）", "机动车维修；汽车零部件销售", "劳务派遣服务；人力资源服务",
              "汽车零部件研发、制造", "危险化学品经营（不带储存设施）", "技术服务、技术开发"]
    market = Department.objects.get(code="market")
    for i in range(n):
        day = today - timedelta(days=rng.randrange(2, 60))
        while not cal.is_workday(day, provisional=True):
            day -= timedelta(days=1)
        with clock.story(day, 9, i):
            reg = services.registration_record(actor=clerks[market.pk][0], uscc=make_uscc(ZONE_REGION, 5000 + i),
                                               name=f"长春{rng.choice(['鑫达', '宏远', '恒通', '瑞泽', '佳诚'])}"
                                                    f"{rng.choice(['商贸', '物流', '汽车服务', '餐饮管理', '科技'])}有限公司（{i + 1}）",
                                               scope=rng.choice(scopes), registered_on=day, at=clock.moment(day, 9, i))
        for c in Claim.objects.filter(registration=reg).select_related("department"):
            late = rng.random() < 0.1
            when = cal.add_workdays(day, rng.randint(6, 8) if late else rng.randint(0, 3), provisional=True)
            if when >= today or i == n - 1:
                continue  # the newest stays to be claimed
            with clock.story(when, 10):
                services.claim_claim(actor=clerks[c.department_id][0], claim=c, at=clock.moment(when, 10),
                                     note="已电话告知企业办理流程。")


def link_project_steps() -> int:
    """The demo projects' approval steps name the catalogue item they are applied for under."""
    from yingshang.projects import services as projects
    from yingshang.projects.models import Step

    names = {i.current.name: i.code for i in Item.objects.select_related("current").filter(current__online=True)}
    n = 0
    for step in Step.objects.filter(item_code="").exclude(status="done"):
        code = next((c for name, c in names.items() if step.name in name or name in step.name), None)
        if code:
            projects.step_update(actor=None, step=step, item_code=code)
            n += 1
    return n
