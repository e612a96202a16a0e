"""The demo problem ledger: the FAW R&D institute's problems from the article, the other named firms'
problems, and a year of simulated history through the real services (so every event, deadline and
statistic is what the platform itself would have produced). Loaded once: skipped when present."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from yingshang.core import bulk, events, numbering, workdays
from yingshang.directory.models import Enterprise
from yingshang.tickets import services
from yingshang.tickets.models import OPEN, Category, Ticket
from yingshang.tickets.permissions import channels_for

MARKER = "高压线排迁影响研发总院新建试验楼施工"

# Categories that route themselves (default departments), as the zone configured them.
ROUTING = {"供水排水": "utilities", "燃气": "utilities", "供热": "utilities", "环评审批": "ecology",
           "排污许可": "ecology", "招聘用工": "hrss", "社保": "hrss", "证照办理": "gov-data"}
# Which department leads which top-level category when the dispatcher routes it.
LEADS = {"用地": "planning", "规划建设": "construction", "水电气热": "utilities", "交通物流": "transport",
         "环保": "ecology", "人才用工": "hrss", "融资": "finance", "政策兑现": "finance", "审批服务": "gov-data",
         "法律": "market", "其他": "development"}

# (firm, category, title, description, story, historical, extra)
STORIES = [
    ("中国第一汽车集团有限公司研发总院", "管线迁改", MARKER,
     "新建试验楼用地内有一条66千伏高压线，需排迁后方可施工，涉及供电公司、规划和建设多个部门。", "closed", True,
     {"co": ["planning", "construction"], "charge": True}),
    ("中国第一汽车集团有限公司研发总院", "供电", "研发总院试验基地电力线路路由方案需协调",
     "试验基地二期需新建两回10千伏线路，路由经过规划道路和绿地，请协调确定路由方案。", "in_progress", False, {}),
    ("中国第一汽车集团有限公司研发总院", "用地规划调整", "院区内加油站地块用地性质调整",
     "院区内原加油站已停用，地块需由商业服务设施用地调整为科研用地，以便建设新能源试验设施。", "extended", True,
     {"co": ["development"], "charge": True}),
    ("中国第一汽车集团有限公司研发总院", "固废清运", "施工场地建筑垃圾清运",
     "新建试验楼场地平整产生约3000立方米建筑垃圾，需指定消纳场所并协调清运车辆通行。", "resolved", False, {}),
    ("中国第一汽车集团有限公司研发总院", "供水排水", "院区雨污水管网接入市政管网",
     "新建区域雨水、污水管网需接入东风大街市政管网，目前接入点标高不明确，影响施工。", "overdue", False, {}),
    ("中国第一汽车集团有限公司研发总院", "供电", "研发总院高压线增容",
     "新能源试验中心用电负荷增加，需对现有高压线路增容。", "closed", False, {}),
    ("一汽物流有限公司", "管线迁改", "智慧物流园项目用地内高压线排迁",
     "长春智慧物流园项目用地内有高压线，需排迁后才能开工建设。", "closed", True, {"charge": True}),
    ("一汽法雷奥汽车空调有限公司", "供水排水", "厂区供水管道损坏",
     "厂区外供水管道损坏，影响正常生产用水，请尽快协调修复。", "closed", False, {"urgent": True}),
    ("长春繁荣冲压件有限公司", "规划审批", "扩建项目规划审批难题",
     "扩建厂房项目规划审批涉及容积率和退线问题，需要规划部门指导。", "closed", False, {}),
    ("长春卡斯马汽车系统有限公司", "招聘用工", "一线操作工招聘困难",
     "新生产线投产需招聘一线操作工约200人，目前招聘进度缓慢，请协助对接劳务资源。", "closed", False, {}),
    ("长春鹏昊金属制品有限公司", "法律援助", "合同纠纷法律援助",
     "与外地客户发生货款纠纷，企业缺乏法务人员，请求法律援助。", "closed", False, {}),
    ("吉林玲珑轮胎有限公司", "道路交通", "玲珑轮胎项目周边道路交通组织",
     "项目一期封顶后大件运输车辆增多，请优化周边道路交通组织并增设指示标志。", "dispatched", False, {}),
    ("吉林玲珑轮胎有限公司", "资金兑现", "一期项目产业扶持资金兑现",
     "根据投资协议，一期封顶后可申请产业扶持资金，请明确申报材料和兑现时间。", "registered", False, {}),
    ("一汽红旗汽车有限公司", "供热", "红旗新能源工厂冬季供热接入",
     "新能源工厂需在供暖季前接入市政供热管网。", "in_progress", False, {"urgent": True}),
    ("一汽解放集团股份有限公司", "环评审批", "J7智慧工厂二期涂装线环评",
     "二期涂装线环评报告需补充VOCs治理方案，请明确补充材料要求。", "suspended", False, {}),
    ("一汽-大众汽车有限公司", "物流通道", "奥迪PPE项目物流通道施工占道",
     "物流通道施工需临时占用道路，请办理占道手续并做好交通疏导。", "withdrawn", False, {}),
    ("吉林玲珑轮胎有限公司", "道路交通", "玲珑轮胎项目门前增设信号灯",
     "大件运输车辆进出频繁，门前路口需增设信号灯（与周边道路交通组织问题相关）。", "merged", False, {}),
]

TITLES = {
    "用地": ["厂区扩建用地手续办理", "项目用地不动产登记", "临时用地审批"],
    "规划建设": ["厂房扩建施工许可办理", "竣工联合验收预约", "厂区道路市政配套"],
    "水电气热": ["新增生产线用电报装", "厂区供水压力不足", "天然气管道接入", "冬季供热不稳定"],
    "交通物流": ["物流车辆通行证办理", "厂区门前道路拥堵", "员工班车停靠点设置"],
    "环保": ["新建涂装线环评审批", "排污许可证变更", "一般工业固废清运"],
    "人才用工": ["技术工人招聘", "高层次人才落户政策咨询", "社保缴费基数调整"],
    "融资": ["流动资金贷款对接", "设备融资租赁对接"],
    "政策兑现": ["技改补贴资金兑现", "研发费用加计扣除辅导"],
    "审批服务": ["食品经营许可证办理", "营业执照变更"],
    "法律": ["劳动争议咨询", "合同纠纷法律援助"],
    "其他": ["企业反映其他事项"],
}


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def load(*, depts, firms, users, history: bool = True) -> int:
    if Ticket.objects.filter(title=MARKER).exists():
        return 0
    for name, code in ROUTING.items():
        Category.objects.filter(name=name).update(default_department=depts[code])
    cats = {c.name: c for c in Category.objects.select_related("parent")}
    rng = random.Random(20211018)  # the article's date
    now = timezone.now()
    actors = _Actors(users, depts)
    count = 0
    for i, (firm, cat, title, desc, story, historical, extra) in enumerate(STORIES):
        start = now - timedelta(days=40 - i * 2 if story != "closed" else 200 - i * 9)
        count += _play(rng, actors, depts, firms[firm], cats[cat], title, desc, story, historical, extra,
                       _at(start.date(), 9 + i % 6, 10), now)
    firm_ids = list(Enterprise.objects.filter(status="operating").values_list("pk", flat=True))
    leaf = [c for c in cats.values() if c.parent_id] + [cats["其他"]]
    for i in range(360 if history else 0):
        cat = rng.choice(leaf)
        top = cat.parent.name if cat.parent_id else cat.name
        firm = Enterprise.objects.get(pk=rng.choice(firm_ids))
        start_day = (now - timedelta(days=rng.randrange(1, 365))).date()
        if (now.date() - start_day).days < 30:
            story = rng.choices(["closed", "resolved", "in_progress", "dispatched", "overdue", "registered"],
                                weights=[30, 15, 30, 10, 10, 5])[0]
        else:
            story = rng.choices(["closed", "unsatisfied", "withdrawn", "returned"], weights=[90, 5, 3, 4])[0]
        count += _play(rng, actors, depts, firm, cat, rng.choice(TITLES[top]), f"{firm.name}反映：{rng.choice(TITLES[top])}，请协调解决。",
                       story, rng.random() < 0.05, {"urgent": rng.random() < 0.08}, _at(start_day, rng.randrange(8, 18),
                                                                                           rng.randrange(60)), now)
    # The supervision the sweeps of the last weeks produced, each morning's notices dated that morning: a
    # deadline is first warned of, then overdue, then escalated to the leader days later — not all at once.
    for back in range(45, 0, -1):
        services.tickets_sweep(now=_at((now - timedelta(days=back)).date(), 7, 30))
    # Firms press a department that let its deadline pass (催办): the named firms' late problems, urged on
    # the working days since they became late (at most three times), the latest this morning.
    cal = workdays.get_calendar()
    late = Ticket.objects.filter(status__in=[Ticket.Status.DISPATCHED, Ticket.Status.IN_PROGRESS],
                                 next_due__lt=now - timedelta(days=1), is_historical=False,
                                 enterprise__in=list(firms.values())).select_related("enterprise").order_by("pk")[:4]
    for t in late:
        member = actors.firm_user(t)
        if member is None:
            continue
        for back in (2, 1, 0)[:1 + t.pk % 3]:
            at = _at(cal.add_workdays(now.date(), -back, provisional=True), 9, 15)
            if t.next_due < at <= now:
                t = services.ticket_urge(actor=member, ticket=t, note="已超过办理时限，请尽快办理。", at=at)
    return count


class _Actors:
    def __init__(self, users, depts):
        self.users, self.depts = users, depts

    def raiser(self, firm):
        member = firm.members.filter(active=True).select_related("user").first()
        if member:
            return member.user
        steward = firm.stewardships.filter(ended_on__isnull=True).select_related("steward").first()
        return steward.steward if steward and steward.steward else self.users["dispatcher"]

    def firm_user(self, t):
        member = t.enterprise.members.filter(active=True).select_related("user").first()
        return member.user if member else None

    def handler(self, dept):
        code = dept.code.replace("-", "_")
        return self.users.get(f"h_{code}") or self.users["handler"]

    def head(self, dept):
        return self.users.get(f"head_{dept.code.replace('-', '_')}") or self.users["depthead"]


def _play(rng, a: _Actors, depts, firm, cat, title, desc, story, historical, extra, start, now) -> int:
    """Run one problem's life through the services, stopping where the story (or today) stops."""
    cal = workdays.get_calendar()

    def later(t0, lo, hi):
        """A moment lo..hi working days after t0, within office hours."""
        day = cal.add_workdays(timezone.localtime(t0).date(), rng.randint(lo, hi), provisional=True)
        moment = _at(day, rng.randrange(8, 17), rng.randrange(60))
        return max(moment, t0 + timedelta(minutes=5))

    raiser = a.raiser(firm)
    if not raiser.has_perm("tickets.raise", firm):
        raiser = a.users["dispatcher"]
    channel = rng.choice(channels_for(raiser))  # the firm online, a steward on a visit, a dispatcher by phone …
    with transaction.atomic():
        t = services.ticket_register(actor=raiser, enterprise=firm, category=cat, title=title,
                                     description=desc, urgency="urgent" if extra.get("urgent") else "normal",
                                     channel=channel, is_historical=historical, at=start)
    if story == "registered":
        return 1
    lead = t.lead_department
    at = later(start, 0, 1)
    if t.status == Ticket.Status.REGISTERED:
        if at > now:
            return 1
        top = cat.parent.name if cat.parent_id else cat.name
        lead = depts[LEADS[top]]
        co = [depts[c] for c in extra.get("co", [])]
        services.ticket_dispatch(actor=a.users["dispatcher"], ticket=t, lead_department=lead, co_departments=co, at=at)
    if extra.get("charge"):
        services.ticket_take_charge(actor=a.users["leader"], ticket=t, note="我亲自包保，请相关部门现场办公，尽快拿出解决方案。",
                             at=at + timedelta(minutes=30))
    if story == "dispatched":
        return 1
    if story == "merged":
        into = Ticket.objects.filter(enterprise=firm, status__in=OPEN).exclude(pk=t.pk).first()
        if into:
            services.ticket_merge(actor=a.users["dispatcher"], ticket=t, into=into, note="同一事项，并单办理。",
                                  at=at + timedelta(minutes=20))
        return 1
    if story == "returned":
        at = later(at, 0, 1)
        if at > now:
            return 1
        services.ticket_return(actor=a.handler(lead), ticket=t, reason="该事项不属于本部门职责，建议转交相关部门。", at=at)
        at = later(at, 0, 1)
        if at > now:
            return 1
        lead = depts["development"] if lead.code != "development" else depts["construction"]
        services.ticket_dispatch(actor=a.users["dispatcher"], ticket=t, lead_department=lead, at=at)
    late = story == "overdue"
    at = later(at, 2 if late else 0, 3 if late else 1)
    if at > now:
        return 1
    services.ticket_accept(actor=a.handler(lead), ticket=t, at=at)
    if story == "overdue":
        return 1
    at = later(at, 0, 2)
    if at > now:
        return 1
    services.ticket_respond(actor=a.handler(lead), ticket=t, note="已收到，正在会同相关单位现场踏勘，制定解决方案。", at=at)
    if story == "suspended":
        services.ticket_suspend(actor=a.handler(lead), ticket=t, reason="请企业补充VOCs治理方案后继续办理。",
                                at=later(at, 0, 1))
        return 1
    if story == "withdrawn":
        who = a.firm_user(t) or t.steward
        if who:
            services.ticket_withdraw(actor=who, ticket=t, reason="问题已自行解决。", at=later(at, 0, 1))
        return 1
    if story == "extended":
        asked = later(at, 1, 2)  # the head decides after the request, never before it
        if asked > now:
            return 1
        services.extension_request(actor=a.handler(lead), ticket=t, workdays=10, reason="涉及规划调整，需履行公示程序。",
                                   at=asked)
        decided = later(asked, 0, 1)
        if decided <= now:
            services.extension_decide(actor=a.head(lead), ticket=t, approve=True, note="同意延期。", at=decided)
        return 1
    if story == "in_progress":
        return 1
    at = later(at, 1, 9)
    if at > now:
        return 1
    services.ticket_resolve(actor=a.handler(lead), ticket=t, outcome="solved",
                            answer="经协调，相关单位已完成处置，具体情况已电话告知企业。", at=at)
    if story == "resolved":
        return 1
    member = a.firm_user(t)
    at = later(at, 0, 2)
    if at > now:
        return 1
    if member is None:  # nobody at the firm uses the platform: the steward calls back once the firm's time is up
        t.refresh_from_db()
        at = later(t.confirm_due, 0, 1)
        if at > now:
            return 1
        steward = t.steward or a.users["dispatcher"]
        services.callback_record(actor=steward, ticket=t, rating=rng.choice(["satisfied", "satisfied", "basic"]),
                                 comment="电话回访，企业表示问题已解决。", at=at)
        return 1
    if story == "unsatisfied":
        services.ticket_confirm(actor=member, ticket=t, rating="unsatisfied", comment="问题没有根本解决。", at=at)
        at = later(at, 1, 5)
        if at > now:
            return 1
        services.ticket_resolve(actor=a.handler(lead), ticket=t, outcome="solved", answer="已重新处置并现场确认。", at=at)
        at = later(at, 0, 2)
        if at > now:
            return 1
    services.ticket_confirm(actor=member, ticket=t, rating=rng.choices(["satisfied", "basic"], weights=[85, 15])[0],
                            at=at)
    return 1


# Titles of the generated problems: a place and an ask, so that a keyword finds a realistic share of the ledger
# (供电: about one in sixteen; 试验楼供电: about one in 160).
SCALE_PLACES = ["厂区", "新厂房", "试验楼", "仓库", "办公楼", "生产线", "物流园", "员工宿舍", "研发中心", "停车场"]
SCALE_ASKS = ["供电线路需要迁改", "用水压力不足", "天然气管道接入", "门前道路破损", "员工通勤公交不便", "网络带宽不足",
              "消防验收排期", "环评审批进度", "招工困难", "子女入学咨询", "流动资金贷款", "排污许可延续", "施工许可办理",
              "土地证办理", "厂房租金补贴", "出口退税进度"]


def add_scale(n: int, *, seed: int = 1, progress=None) -> int:
    """Add ``n`` tickets with bulk inserts (PostgreSQL's COPY; for benchmarks): states, deadlines and one event each, 5,000 to a
    transaction (``progress`` is told after each)."""
    rng = random.Random(seed)
    now = timezone.now()
    firms = list(Enterprise.objects.values_list("pk", flat=True))
    cats = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    from yingshang.directory.models import Department

    depts = list(Department.objects.exclude(kind="centre").values_list("pk", flat=True))
    from django.contrib.auth import get_user_model

    raiser = get_user_model().objects.filter(groups__name="dispatcher").first()
    # As in a real ledger: what was raised weeks ago is mostly closed; what is open is recent.
    old = ["closed"] * 95 + ["withdrawn"] * 3 + ["in_progress"] * 1 + ["suspended"] * 1
    recent = ["closed"] * 30 + ["in_progress"] * 35 + ["dispatched"] * 10 + ["resolved"] * 15 + \
        ["registered"] * 5 + ["suspended"] * 5
    year = timezone.localtime(now).year
    done = 0
    while done < n:
        batch = min(5000, n - done)
        with transaction.atomic():
            numbers = numbering.next_values(f"tickets.{year}", batch)
            rows = []
            for i in range(batch):
                created = now - timedelta(minutes=rng.randrange(1, 365 * 24 * 60))
                status = rng.choice(recent if now - created < timedelta(days=30) else old)
                due = created + timedelta(days=rng.randrange(1, 20))
                t = Ticket(number=f"QS-{year}-{numbers[i]:06d}",
                           enterprise_id=rng.choice(firms), raised_by=raiser, category_id=rng.choice(cats),
                           title=rng.choice(SCALE_PLACES) + rng.choice(SCALE_ASKS), description="用于性能测试的诉求。",
                           status=status, created_at=created,
                           lead_department_id=None if status == "registered" else rng.choice(depts),
                           dispatched_at=None if status == "registered" else created + timedelta(hours=3),
                           accept_due=due - timedelta(days=1), respond_due=due, resolve_due=due + timedelta(days=8),
                           next_due=due if status in ("dispatched", "in_progress", "resolved") else None)
                if status in ("closed", "resolved"):
                    t.accepted_at = created + timedelta(hours=5)
                    t.first_response_at = created + timedelta(days=1)
                    t.resolved_at = created + timedelta(days=rng.randrange(1, 15))
                    t.resolve_workdays = rng.randrange(1, 12)
                    t.outcome = "solved"
                if status == "closed":
                    t.closed_at = t.resolved_at + timedelta(days=1)
                    t.rating = rng.choices(["satisfied", "basic", "unsatisfied"], weights=[80, 15, 5])[0]
                rows.append(t)
            bulk.insert_many(rows, ids=True)
            bulk.insert_many([events.build("tickets.ticket.registered", ticket=t, at=t.created_at, to="registered")
                              for t in rows])
        done += batch
        if progress is not None:
            progress.advance(batch)
    return done
