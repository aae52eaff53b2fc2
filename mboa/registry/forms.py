from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Department

from .finding import FIND_NOTE_MAX_LENGTH, FindReason
from .models import DocumentKind, Sex


class PersonForm(forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    other_names = forms.CharField(label=_("Other names or spellings"), required=False,
                                  help_text=_("One per line, e.g. a maiden name or another spelling."),
                                  widget=forms.Textarea(attrs={"rows": 2}))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = forms.CharField(label=_("Date of birth"), required=False, max_length=10,
                                    help_text=_("YYYY-MM-DD or DD/MM/YYYY; the year alone if that is all you know."))
    birth_date_approximate = forms.BooleanField(label=_("Approximate (estimated year)"), required=False)
    place_of_birth = forms.ModelChoiceField(label=_("Place of birth (department)"), required=False,
                                            queryset=Department.objects.order_by("name"))
    place_of_birth_text = forms.CharField(label=_("Place of birth abroad"), max_length=120, required=False)
    nationality = forms.CharField(label=_("Nationality (ISO code)"), max_length=3, initial="CM", required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    document_kind = forms.ChoiceField(label=_("Document"), choices=[("", "—"), *DocumentKind.choices], required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    confirmed_new = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        person = {name: data[name] for name in ("family_name", "given_names", "sex", "birth_date_approximate",
                                                 "place_of_birth", "place_of_birth_text", "nationality", "address")}
        person["date_of_birth"] = data["date_of_birth"]
        documents = []
        if data["document_number"]:
            documents.append({"kind": data["document_kind"] or DocumentKind.OTHER, "number": data["document_number"]})
        return {
            "data": person,
            "aliases": [line.strip() for line in data["other_names"].splitlines() if line.strip()],
            "documents": documents,
            "phones": [data["phone"]] if data["phone"] else [],
            "confirmed_new": data["confirmed_new"],
        }


class FindForm(forms.Form):
    """“Find a returnee” (counsellors): a query and the reason for looking."""

    q = forms.CharField(label=_("Name, document or phone number"), max_length=100)
    reason = forms.ChoiceField(label=_("Why are you looking for this person?"),
                               choices=[("", "—"), *FindReason.choices])
    note = forms.CharField(label=_("Explanation"), max_length=FIND_NOTE_MAX_LENGTH, required=False,
                           help_text=_("Required when the reason is “Other”. Kept in the read log."))
