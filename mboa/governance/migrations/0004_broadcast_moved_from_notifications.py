"""Broadcasts belong to governance (a broadcast goes to a body's focal points).

The model moves from notifications to governance in the migration state only: its table
(``notifications_broadcast``) and rows stay where they are. Its content type follows it,
so the activities and outbox messages that point to broadcasts keep pointing to them.
Notifications drops the model from its own state in ``0003_broadcast_moved_to_governance``.
To go back, unapply in one run (``migrate governance 0003``): the content types are created
for the state reached at the end of a run, so a run that stops in between would give
notifications a second broadcast content type.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _rename_content_type(apps, old_app, new_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label=old_app, model="broadcast").first()
    if old is not None and not ContentType.objects.filter(app_label=new_app, model="broadcast").exists():
        old.app_label = new_app
        old.save(update_fields=["app_label"])


def content_type_to_governance(apps, schema_editor):
    _rename_content_type(apps, "notifications", "governance")


def content_type_to_notifications(apps, schema_editor):
    _rename_content_type(apps, "governance", "notifications")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0003_meetings_decisions_commitments"),
        ("notifications", "0001_outbox_broadcasts_preferences"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Broadcast",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                                            editable=False, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("channel", models.CharField(choices=[("email", "Email"), ("sms", "SMS"),
                                                              ("whatsapp", "WhatsApp")],
                                                     default="email", max_length=10, verbose_name="channel")),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("text", models.TextField(verbose_name="message")),
                        ("body", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                   related_name="broadcasts", to="governance.body",
                                                   verbose_name="body")),
                        ("sent_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                      related_name="+", to=settings.AUTH_USER_MODEL,
                                                      verbose_name="sent by")),
                    ],
                    options={
                        "verbose_name": "broadcast",
                        "verbose_name_plural": "broadcasts",
                        "db_table": "notifications_broadcast",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_governance, content_type_to_notifications),
    ]
