"""The rule set in force and the catalogue of joint measures a new zone starts with."""

from django.db import migrations


def load(apps, schema_editor):
    from yingshang.credit import defaults

    RuleSet = apps.get_model("credit", "RuleSet")
    Rule = apps.get_model("credit", "Rule")
    Measure = apps.get_model("credit", "Measure")
    if not RuleSet.objects.exists():
        from django.utils import timezone

        rs = RuleSet.objects.create(status="active", activated_at=timezone.now(), **defaults.RULESET)
        Rule.objects.bulk_create([Rule(ruleset=rs, kind=k, severity=s, delta=d, counts_days=days, cap=cap,
                                       list_kind=lst, repair_after_days=rep)
                                  for k, s, d, days, cap, lst, rep in defaults.RULES])
    for i, (code, name, effect, grades, lst, applied, text) in enumerate(defaults.MEASURES):
        Measure.objects.get_or_create(code=code, defaults=dict(name=name, effect=effect, grades=grades, list_kind=lst,
                                                               applied_in=applied, description=text,
                                                               sort_order=(i + 1) * 10))


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
