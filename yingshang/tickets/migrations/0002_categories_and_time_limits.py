"""The default category tree (admin-editable afterwards) and the default time limits."""

from django.db import migrations

TREE = [
    ("用地", ["土地征收与供应", "用地规划调整", "不动产登记"]),
    ("规划建设", ["规划审批", "施工许可", "竣工验收", "市政配套"]),
    ("水电气热", ["供电", "供水排水", "燃气", "供热", "管线迁改"]),
    ("交通物流", ["道路交通", "物流通道", "停车"]),
    ("环保", ["环评审批", "排污许可", "固废清运"]),
    ("人才用工", ["招聘用工", "人才政策", "社保"]),
    ("融资", ["银企对接", "融资担保"]),
    ("政策兑现", ["资金兑现", "税费优惠"]),
    ("审批服务", ["证照办理", "双告知"]),
    ("法律", ["法律援助", "合同纠纷"]),
    ("其他", []),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("tickets", "Category")
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    for order, (top, children) in enumerate(TREE):
        parent, _ = Category.objects.get_or_create(name=top, parent=None, defaults={"sort_order": order * 10})
        for i, child in enumerate(children):
            Category.objects.get_or_create(name=child, parent=parent, defaults={"sort_order": i})
    SlaPolicy.objects.get_or_create(category=None, urgency="normal", defaults={
        "accept_within": 1, "respond_within": 2, "resolve_within": 10, "unit": "workdays"})
    SlaPolicy.objects.get_or_create(category=None, urgency="urgent", defaults={
        "accept_within": 2, "respond_within": 4, "resolve_within": 48, "unit": "hours"})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
