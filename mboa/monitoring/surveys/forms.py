"""Forms of the sustainability survey pages (shape only; the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Region

from .models import SurveyVersion


class CatalogUploadForm(forms.Form):
    file = forms.FileField(label=_("Survey definition (XLSX workbook)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class SubmissionsUploadForm(forms.Form):
    version = forms.ModelChoiceField(label=_("Survey version"), queryset=SurveyVersion.objects.none(),
                                     empty_label=None)
    file = forms.FileField(label=_("Export of the submissions (CSV or XLSX)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = SurveyVersion.objects.defer("xlsform").order_by("-number")


SCORE_CHOICES = [("composite", _("Composite")), ("economic", _("Economic")), ("social", _("Social")),
                 ("psychosocial", _("Psychosocial"))]


class CohortFilterForm(forms.Form):
    by = forms.ChoiceField(label=_("Cohort"), required=False,
                           choices=[("year", _("Year of arrival")), ("quarter", _("Quarter of arrival"))])
    score = forms.ChoiceField(label=_("Score"), required=False, choices=SCORE_CHOICES)
    region = forms.ModelChoiceField(label=_("Region"), required=False, queryset=Region.objects.all(),
                                    to_field_name="code")
    sex = forms.ChoiceField(label=_("Sex"), required=False,
                            choices=[("", _("All")), ("F", _("Women")), ("M", _("Men"))])

