"""Input forms: shape only; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Region, Structure
from mboa.cases.models import Sector

from .models import AgeGroup, AudienceKind, BeneficiarySex, Channel, CommunityProjectStatus, FeedbackCategory, FeedbackKind

HAND_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.SMS]


class FeedbackForm(forms.Form):
    channel = forms.ChoiceField(label=_("Received by"), choices=HAND_CHANNELS)
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices, initial=FeedbackKind.COMPLAINT)
    category = forms.ModelChoiceField(label=_("Category"), queryset=FeedbackCategory.objects.filter(is_active=True),
                                      empty_label=None)
    against_staff = forms.BooleanField(
        label=_("Complaint against a staff member"), required=False,
        help_text=_("Goes only to the designated officer; you will not see it again once saved."))
    text = forms.CharField(label=_("What the person said"), widget=forms.Textarea(attrs={"rows": 4}))
    case_number = forms.CharField(label=_("Case number (optional)"), required=False, max_length=20)
    contact_phone = forms.CharField(label=_("Phone to answer (optional)"), required=False, max_length=20)
    received_at = forms.DateTimeField(label=_("Received at"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      help_text=_("Leave empty for now."))


class RespondForm(forms.Form):
    text = forms.CharField(label=_("Response given"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}))


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Satisfaction (1: not at all, 5: very)"), coerce=int,
                                   choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect, required=False)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    ask_by_sms = forms.BooleanField(label=_("The returnee will answer later by SMS (give them a code)"),
                                    required=False)


class CommunityProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    town = forms.CharField(label=_("Town"), max_length=80, required=False)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    structure = forms.ModelChoiceField(label=_("Implementing structure"), required=False, to_field_name="code",
                                       queryset=Structure.objects.filter(is_active=True).order_by("code"))
    status = forms.ChoiceField(label=_("Status"), choices=CommunityProjectStatus.choices)
    started_on = forms.DateField(label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    budget_xaf = forms.IntegerField(label=_("Budget (XAF)"), min_value=0, initial=0)
    returnees = forms.IntegerField(label=_("Returnees taking part"), min_value=0, initial=0)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class BeneficiariesForm(forms.Form):
    """One number per sex and age group: ``F_0-17``, ``M_18-24``..."""

    def __init__(self, *args, initial_counts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_counts = initial_counts or {}
        for sex, sex_label in BeneficiarySex.choices:
            for group, group_label in AgeGroup.choices:
                self.fields[f"{sex}_{group}"] = forms.IntegerField(
                    label=f"{sex_label} · {group_label}", min_value=0, required=False,
                    initial=initial_counts.get((sex, group), 0))

    def counts(self) -> dict[tuple[str, str], int]:
        return {(name.split("_", 1)[0], name.split("_", 1)[1]): value or 0
                for name, value in self.cleaned_data.items()}


class AwarenessForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    place = forms.CharField(label=_("Place"), max_length=200)
    audience_kind = forms.ChoiceField(label=_("Audience"), choices=AudienceKind.choices)
    audience_size = forms.IntegerField(label=_("Audience size"), min_value=0)
    structure = forms.ModelChoiceField(label=_("Organised by"), required=False, to_field_name="code",
                                       queryset=Structure.objects.filter(is_active=True).order_by("code"))
    speaker_cases = forms.CharField(label=_("Returnees who spoke (case numbers, comma-separated)"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def case_numbers(self) -> list[str]:
        return [n for n in self.cleaned_data.get("speaker_cases", "").replace(";", ",").split(",") if n.strip()]
