"""Create the role groups and seed the working calendar from the chinesecalendar package."""

from django.db import migrations

ROLE_NAMES = ["enterprise", "steward", "dispatcher", "handler", "dept_head", "leader", "inspector", "supervisor", "admin"]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)

    from yingshang.core.services import package_calendar

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    source, by_year = package_calendar()
    present = set(CalendarYear.objects.values_list("year", flat=True))
    for year, days in sorted(by_year.items()):
        if year in present:
            continue
        CalendarDay.objects.bulk_create([CalendarDay(date=d, kind=str(k), name=n) for d, k, n in days])
        CalendarYear.objects.create(year=year, source=source)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
