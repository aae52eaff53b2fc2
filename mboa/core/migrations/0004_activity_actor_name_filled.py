"""Data: the activities recorded before ``actor_name`` existed get their actor's name now
(the best knowledge of the name they had then)."""

from django.db import migrations


def fill(apps, schema_editor):
    Activity = apps.get_model("core", "Activity")
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(pk__in=Activity.objects.filter(actor_name="", actor__isnull=False)
                                    .values("actor_id").distinct()).iterator():
        name = (f"{user.first_name} {user.last_name}".strip() or user.username)[:150]
        Activity.objects.filter(actor_id=user.pk, actor_name="").update(actor_name=name)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_activity_actor_name"), ("accounts", "0003_load_roles")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
