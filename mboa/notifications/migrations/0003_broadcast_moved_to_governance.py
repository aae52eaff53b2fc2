"""Broadcasts now belong to governance (``governance.0004``): a message of a broadcast is
related to it through the generic link, so the ``broadcast`` column goes, and the model
leaves the notifications state without touching its table (governance keeps it)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0004_broadcast_moved_from_notifications"),
        ("notifications", "0002_broadcast_messages_related"),
    ]

    operations = [
        migrations.RemoveField(model_name="message", name="broadcast"),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["related_type", "related_id"], name="message_related_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Broadcast")],
            database_operations=[],
        ),
    ]
