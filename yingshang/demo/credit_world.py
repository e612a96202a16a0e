"""The demo credit picture, entered through the real services: the named firms' records (the anchor
group's units trustworthy, one supplier a judgment defaulter), records for about a third of the
generated firms so that every class and both lists are populated, an objection waiting for the market
regulator, and a year of score history so the trends mean something. Loaded once: skipped when present."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from yingshang.core import workdays
from yingshang.credit import services
from yingshang.credit.models import Record
from yingshang.directory.models import Enterprise

from . import clock

MARKER = "长汽开税信〔2026〕A-001号"

# firm, kind, severity, department, decision number, days ago, description
NAMED = [
    ("中国第一汽车集团有限公司研发总院", "tax_a", "general", "development", MARKER, 200,
     "2025年度纳税信用评价为A级"),
    ("中国第一汽车集团有限公司研发总院", "honour", "general", "development", "长汽开管发〔2026〕18号", 150,
     "获评开发区2025年度优化营商环境示范单位"),
    ("中国第一汽车集团有限公司研发总院", "inspection", "minor", "market", "长汽开市监检〔2026〕0412号", 120,
     "双随机抽查发现试验楼工地特种设备使用登记信息未及时更新，已当场责令改正"),
    ("中国第一汽车集团有限公司", "tax_a", "general", "development", "长汽开税信〔2026〕A-002号", 200,
     "2025年度纳税信用评价为A级"),
    ("一汽-大众汽车有限公司", "tax_a", "general", "development", "长汽开税信〔2026〕A-003号", 200,
     "2025年度纳税信用评价为A级"),
    ("一汽-大众汽车有限公司", "contract", "general", "market", "吉市监守字〔2025〕031号", 380,
     "连续三年获评吉林省“守合同重信用”企业"),
    ("一汽解放集团股份有限公司", "tax_a", "general", "development", "长汽开税信〔2026〕A-004号", 200,
     "2025年度纳税信用评价为A级"),
    ("吉林玲珑轮胎有限公司", "tax_a", "general", "development", "长汽开税信〔2026〕A-005号", 200,
     "2025年度纳税信用评价为A级"),
    ("吉林玲珑轮胎有限公司", "contract", "general", "market", "吉市监守字〔2025〕047号", 380,
     "获评吉林省“守合同重信用”企业"),
    ("长春鹏昊金属制品有限公司", "penalty", "general", "ecology", "长汽开环罚〔2026〕07号", 160,
     "未按规定落实扬尘污染防治措施，罚款人民币二万元"),
    ("长春鹏昊金属制品有限公司", "inspection", "general", "emergency", "长汽开应急检〔2026〕023号", 60,
     "安全生产检查发现冲压设备安全防护装置缺失，已责令限期整改"),
    ("长春繁荣冲压件有限公司", "judgment_defaulter", "general", "development", "(2025)吉0191执1234号", 90,
     "经长春汽车经济技术开发区人民法院认定为失信被执行人"),
]

# kind, severity, department, share of generated firms, description
GENERATED = [
    ("tax_a", "general", "development", 0.14, "纳税信用评价为A级"),
    ("contract", "general", "market", 0.04, "获评“守合同重信用”企业"),
    ("honour", "general", "development", 0.04, "获评开发区优秀企业"),
    ("penalty", "minor", "market", 0.10, "未按规定公示年度报告信息，警告"),
    ("inspection", "general", "market", 0.06, "双随机抽查发现产品标识不符合规定，责令改正"),
    ("penalty", "general", "fire", 0.05, "消防设施未保持完好有效，罚款人民币一万元"),
    ("abnormal", "general", "market", 0.03, "通过登记的住所无法联系，列入经营异常名录"),
    ("penalty", "serious", "emergency", 0.02, "未依法进行安全生产隐患排查治理，罚款人民币十万元"),
    ("serious_dishonest", "general", "market", 0.01, "列入严重违法失信名单（提交虚假材料取得登记）"),
    ("judgment_defaulter", "general", "development", 0.01, "被人民法院认定为失信被执行人"),
]

ABBR = {"development": "发改信", "market": "市监", "fire": "消", "emergency": "应急", "ecology": "环"}


def load(*, depts, firms, users) -> int:
    if Record.objects.filter(decision_number=MARKER).exists():
        return 0
    today = timezone.localdate()
    # Every record as decided, then played in the order of its decision day under the story clock, with the
    # daily sweep run at each month's end in between: the records, list entries and their events carry the
    # days of the story (a record that left its publicity period expired at that month's end).
    planned = [(today - timedelta(days=days), firms[name], kind, severity, depts[dept], number, text)
               for name, kind, severity, dept, number, days, text in NAMED]
    rng = random.Random(20211018)
    named_ids = {f.pk for f in firms.values()}
    generated = list(Enterprise.objects.exclude(pk__in=named_ids).order_by("pk")[:400])
    for i, ent in enumerate(generated):
        for j, (kind, severity, dept, share, text) in enumerate(GENERATED):
            if rng.random() < share:
                decided = today - timedelta(days=rng.randrange(20, 700))
                planned.append((decided, ent, kind, severity, depts[dept],
                                f"长汽开{ABBR[dept]}〔{decided.year}〕{i:03d}{j}号", text))
    planned.sort(key=lambda r: (r[0], r[5]))
    sweeps = _month_ends(today, 24)
    for decided, ent, kind, severity, dept, number, text in planned:
        while sweeps and sweeps[0] < decided:
            with clock.story(sweeps[0], 23, 30):
                services.credit_sweep(on=sweeps.pop(0))
        with clock.story(decided, 15):
            _record(ent, kind, severity, dept, number, decided, text)
    for end in sweeps:
        with clock.story(end, 23, 30):
            services.credit_sweep(on=end)
    # The R&D institute disputes its inspection record: waiting for the market regulator's answer.
    rec = Record.objects.get(decision_number="长汽开市监检〔2026〕0412号")
    with clock.story(workdays.get_calendar().add_workdays(today, -2, provisional=True), 9, 40):
        services.objection_file(actor=users["faw_rd"], record=rec,
                                reason="登记信息已于检查当日更新，检查记录所述情况与事实不符，请予核实。")
    services.credit_sweep()
    ids = sorted(set(Record.objects.values_list("enterprise_id", flat=True)))
    services.history_rescore(enterprise_ids=ids, dates=_month_ends(today, 12))
    return len(planned)


def _record(ent, kind, severity, dept, number, decided: date, text) -> Record:
    return services.record_create(actor=None, enterprise=ent, kind=kind, severity=severity, department=dept,
                                  decision_number=number, decided_on=decided, description=text)


def _month_ends(today: date, n: int) -> list[date]:
    ends, first = [], today.replace(day=1)
    for _ in range(n):
        ends.append(first - timedelta(days=1))
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(ends)
