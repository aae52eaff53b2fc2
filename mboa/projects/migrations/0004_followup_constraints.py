from django.db import migrations, models


class Migration(migrations.Migration):
    """Constraints of follow-up visits, once the data migration has mapped the statuses."""

    dependencies = [
        ("projects", "0003_followup_statuses_and_dates"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='followupvisit',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('dossier__isnull', False), ('case__isnull', True)), models.Q(('dossier__isnull', True), ('case__isnull', False)), _connector='OR'), name='visit_dossier_xor_case'),
        ),
        migrations.AddConstraint(
            model_name='followupvisit',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'done'), _negated=True), ('visited_on__isnull', False), _connector='OR'), name='visit_done_has_date'),
        ),
        migrations.AddConstraint(
            model_name='followupvisit',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'missed'), _negated=True), models.Q(('missed_reason', ''), _negated=True), _connector='OR'), name='visit_missed_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='followupvisit',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'planned'), _negated=True), ('due_on__isnull', False), _connector='OR'), name='visit_planned_has_due_date'),
        ),
        migrations.AddConstraint(
            model_name='followupvisit',
            constraint=models.CheckConstraint(condition=models.Q(('status', ''), ('status__in', ['running', 'struggling', 'stopped', 'sold']), _connector='OR'), name='visit_status_found'),
        ),
        migrations.AddConstraint(
            model_name='followupvisit',
            constraint=models.UniqueConstraint(condition=models.Q(('dossier__isnull', False), ('milestone_months__isnull', False)), fields=('dossier', 'milestone_months'), name='visit_dossier_milestone_unique'),
        ),
        migrations.AddConstraint(
            model_name='followupvisit',
            constraint=models.UniqueConstraint(condition=models.Q(('case__isnull', False), ('milestone_months__isnull', False)), fields=('case', 'milestone_months'), name='visit_case_milestone_unique'),
        ),
    ]
