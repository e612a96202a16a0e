"""The default category tree (admin-editable afterwards) and the default time limits."""

from django.db import migrations

from yingshang.tickets.defaults import DEFAULT_TREE as TREE


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
