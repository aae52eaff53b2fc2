from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mboa.core.phones import normalize_phone

from .models import FocalPoint, Structure
from .services import STRUCTURE_IDENTITY_FIELDS


class LockedWidget(forms.Widget):
    """A field the user may not change: shown greyed out, and its current value sent in a
    hidden input (a disabled control is not sent), so that the form keeps it as it is."""

    def __init__(self, widget: forms.Widget) -> None:
        super().__init__()
        self.widget = widget

    def render(self, name, value, attrs=None, renderer=None) -> str:
        shown = self.widget.render(name, value, {**(attrs or {}), "disabled": True}, renderer)
        return shown + forms.HiddenInput().render(name, value, None, renderer)

    def value_from_datadict(self, data, files, name):
        return self.widget.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return self.widget.value_omitted_from_data(data, files, name)

    def id_for_label(self, id_: str) -> str:
        return self.widget.id_for_label(id_)


class StructureForm(forms.ModelForm):
    """``lock_identity``: the identity fields are shown greyed out and kept as they are for a
    user who may not change them. A request that changes them anyway goes to the service,
    which refuses it (403) as it does on the API."""

    class Meta:
        model = Structure
        fields = ["code", "name_fr", "name_en", "kind", "parent", "mandate", "is_active"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, lock_identity: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in STRUCTURE_IDENTITY_FIELDS if lock_identity else ():
            self.fields[name].widget = LockedWidget(self.fields[name].widget)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def changes(self) -> dict:
        """The fields the user changed."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


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

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data}
