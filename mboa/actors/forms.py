from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mboa.core.phones import normalize_phone

from .models import FocalPoint, Structure


class StructureForm(forms.ModelForm):
    class Meta:
        model = Structure
        fields = ["code", "name_fr", "name_en", "kind", "parent", "mandate", "is_active"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 4})}

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class FocalPointForm(forms.ModelForm):
    class Meta:
        model = FocalPoint
        fields = ["title", "given_names", "family_name", "function", "email", "phone", "phone_alt",
                  "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "phone_alt": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {"phone": _("Cameroonian numbers as dialled locally, others with +country code.")}

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone", ""))

    def clean_phone_alt(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone_alt", ""))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", ValidationError(_("The end date cannot be before the start date.")))
        return data
