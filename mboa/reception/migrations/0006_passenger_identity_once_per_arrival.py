from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reception", "0005_passenger_identity_keys")]

    operations = [
        migrations.AddConstraint(
            model_name="passenger",
            constraint=models.UniqueConstraint(condition=models.Q(("identity_key", ""), _negated=True),
                                               fields=("arrival", "identity_key"),
                                               name="passenger_identity_once_per_arrival"),
        ),
    ]
