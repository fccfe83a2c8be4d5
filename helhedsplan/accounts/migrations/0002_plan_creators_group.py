"""The group whose members may start new plans (``agreements.permissions.PLAN_CREATORS_GROUP``)."""

from django.db import migrations

# The group's name as it was when this migration was written (migrations do not follow later renames).
PLAN_CREATORS_GROUP = "Planoprettere"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=PLAN_CREATORS_GROUP)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_profile"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        # Going back keeps the group: its members were chosen by an administrator.
        migrations.RunPython(create_group, migrations.RunPython.noop),
    ]
