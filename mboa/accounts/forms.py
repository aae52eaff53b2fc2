"""Forms of the account pages: input shape only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Structure

from .models import Role


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=80, required=False,
                           help_text=_("E.g. “monthly export script”, to tell your tokens apart."))


class NamesForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)


class AccessForm(forms.Form):
    structure = forms.ModelChoiceField(label=_("Structure"), queryset=Structure.objects.order_by("code"),
                                       required=False, to_field_name="code")
    roles = forms.ModelMultipleChoiceField(label=_("Roles"), queryset=Role.objects.all(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Reason (for the approving administrator)"), max_length=500, required=False)
