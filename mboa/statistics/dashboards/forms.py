from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .figures import AGE_GROUPS, UNKNOWN, Filters


class DashboardFilterForm(forms.Form):
    """Period, region, sex, age group, structure. Every field is optional; a wrong value is ignored."""

    start = forms.DateField(label=pgettext_lazy("period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=pgettext_lazy("period", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(label=_("Region"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False,
                            choices=[("", _("All")), ("F", _("Female")), ("M", _("Male")), ("U", _("Unknown"))])
    age_group = forms.ChoiceField(label=_("Age group"), required=False,
                                  choices=[("", _("All")), *[(g, g) for g, _l, _h in AGE_GROUPS], (UNKNOWN, _("unknown"))])
    structure = forms.ChoiceField(label=_("Structure"), required=False)

    def __init__(self, *args, government_only: bool = False, **kwargs):
        from mboa.actors.models import GOVERNMENT_KINDS, Region, Structure

        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All")), *Region.objects.values_list("code", "name")]
        structures = Structure.objects.filter(is_active=True)
        if government_only:
            structures = structures.filter(kind__in=GOVERNMENT_KINDS)
        self.fields["structure"].choices = [("", _("All")), *structures.values_list("code", "code")]

    def filters(self) -> Filters:
        if not self.is_bound:
            return Filters()
        self.is_valid()  # a wrong value is dropped: cleaned_data keeps the valid fields
        data = self.cleaned_data
        return Filters(start=data.get("start"), end=data.get("end"), region=data.get("region") or "",
                       sex=data.get("sex") or "", age_group=data.get("age_group") or "",
                       structure=data.get("structure") or "")
