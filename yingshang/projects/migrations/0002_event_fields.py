from django.db import migrations


class Migration(migrations.Migration):
    """The event table takes the shape every domain's events share (core.EventBase)."""

    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RenameField("event", "from_value", "from_status"),
        migrations.RenameField("event", "to_value", "to_status"),
    ]
