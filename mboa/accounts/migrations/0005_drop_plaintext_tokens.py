"""DRF's authtoken stored API keys in plain text (table ``authtoken_token``). Personal tokens
are now ``accounts.ApiToken`` (SHA-256 digests only). The old keys are not carried over:
anyone with access to the database or the admin could read them, so they count as known.
The table is dropped; their owners create new tokens from their account page."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_api_tokens_and_access_requests")]
    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
