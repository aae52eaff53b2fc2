from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.core.validators import note_length, plausible_date

from .models import Arrival, ReceiptKind
from .services import manifest_size_problem


class ArrivalForm(forms.ModelForm):
    expected_people = forms.IntegerField(label=_("expected number of people"), min_value=1, max_value=100_000)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            validators=[note_length])

    def clean_expected_at(self):
        value = self.cleaned_data["expected_at"]
        plausible_date(value)
        return value

    class Meta:
        model = Arrival
        fields = ["reference", "kind", "departure_country", "entry_point", "entry_point_detail", "flight_number",
                  "expected_at", "expected_people", "pocket_money_eligible", "pocket_money_amount", "notes"]
        widgets = {
            "expected_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "departure_country": forms.TextInput(attrs={"maxlength": 2, "style": "text-transform:uppercase"}),
        }


class ManifestUploadForm(forms.Form):
    file = forms.FileField(label=_("Passenger list (CSV or XLSX)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}))

    def clean_file(self):
        # Refused on its size before it is read (the service checks the same limit).
        upload = self.cleaned_data["file"]
        too_large = manifest_size_problem(file_name=upload.name, size=upload.size)
        if too_large:
            raise forms.ValidationError(too_large)
        return upload


class TaskCompleteForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class PocketMoneyForm(forms.Form):
    receipt = forms.ChoiceField(label=_("Receipt"), choices=ReceiptKind.choices)
