"""Input forms: shape only; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Structure
from mboa.core.uploads import DocumentField

from .models import AgreementKind, Party, Service, ServicePoint, SharedPart, Urgency


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.filter(is_active=True))
    structure = forms.ModelChoiceField(
        label=_("Receiving structure"), to_field_name="code",
        queryset=Structure.objects.filter(is_active=True, service_points__is_active=True).distinct().order_by("code"))
    service_point = forms.ModelChoiceField(
        label=_("Service point"), required=False,
        queryset=ServicePoint.objects.filter(is_active=True).select_related("structure"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    reason = forms.CharField(label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 3}))
    shared_parts = forms.MultipleChoiceField(
        label=_("What the receiving structure needs to know"), choices=SharedPart.choices, required=False,
        widget=forms.CheckboxSelectMultiple, initial=[SharedPart.IDENTITY],
        help_text=_("Only these parts of the case travel. Health details travel only to health services."))
    health_details = forms.CharField(
        label=_("Health details (health services only)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    consent_override_reason = forms.CharField(
        label=_("Reason for sending without consent"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if the returnee has not consented and you hold the override right."))
    from_reception = forms.BooleanField(label=_("Referred at reception"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_point"].label_from_instance = lambda p: f"{p.structure.code} · {p.name} ({p.town})"


class ReferralActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note or reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(forms.Form):
    structure = forms.ModelChoiceField(label=_("Structure"), to_field_name="code",
                                       queryset=Structure.objects.filter(is_active=True).order_by("code"))
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    services = forms.ModelMultipleChoiceField(label=_("Services covered"), queryset=Service.objects.all(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, structures=None, services=None, **kwargs):
        """``structures``, ``services``: the choices (selectors.agreement_choices_for_user)."""
        super().__init__(*args, **kwargs)
        if structures is not None:
            self.fields["structure"].queryset = structures
        if services is not None:
            self.fields["services"].queryset = services


class AgreementActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note or reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    at = forms.DateTimeField(label=_("Date of the step (empty: now)"), required=False,
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ball_with = forms.ChoiceField(label=_("Ball with (empty: the usual party)"), required=False,
                                  choices=[("default", "—"), *Party.choices])


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.IntegerField(label=_("Version (empty: next)"), required=False, min_value=1)
    file = DocumentField(label=_("File"), help_text=_("PDF, Word, Excel, OpenDocument, PNG or JPEG."))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class DelayFilterForm(forms.Form):
    since = forms.DateField(label=_("Sent since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.ChoiceField(label=_("Group by"), required=False, choices=[
        ("structure,service,month", _("Structure, service and month")),
        ("structure", _("Structure")), ("service", _("Service")), ("month", _("Month")),
        ("structure,month", _("Structure and month"))])
