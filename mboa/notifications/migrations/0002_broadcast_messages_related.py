"""Data: every message of a broadcast is related to it through the generic link
(``related_type``/``related_id``), which ``notify`` already fills; this covers rows written
without it, before ``0003`` drops the ``broadcast`` column."""

from django.db import migrations


def _broadcast_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="governance", model="broadcast")[0]


def _has_broadcast_column(Message) -> bool:
    """False when replayed on today's models (``core.reference.reload_reference_data``)."""
    return any(field.name == "broadcast" for field in Message._meta.get_fields())


def link_to_related(apps, schema_editor):
    Message = apps.get_model("notifications", "Message")
    if not _has_broadcast_column(Message):
        return
    unlinked = Message.objects.filter(broadcast__isnull=False, related_type__isnull=True)
    if not unlinked.exists():
        return
    broadcast_type = _broadcast_type(apps)
    for message in unlinked.only("pk", "broadcast_id").iterator():
        Message.objects.filter(pk=message.pk).update(related_type=broadcast_type, related_id=str(message.broadcast_id))


def link_to_broadcast(apps, schema_editor):
    Message = apps.get_model("notifications", "Message")
    broadcast_type = _broadcast_type(apps)
    for message in Message.objects.filter(related_type=broadcast_type, broadcast__isnull=True).only("pk", "related_id"):
        Message.objects.filter(pk=message.pk).update(broadcast_id=int(message.related_id))


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0004_broadcast_moved_from_notifications"),
        ("notifications", "0001_outbox_broadcasts_preferences"),
    ]

    operations = [migrations.RunPython(link_to_related, link_to_broadcast)]
