"""Input forms (shape only; rules live in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.accounts.models import User
from mboa.actors.models import Department, Region, Structure
from mboa.core.vocabulary import vulnerability_choices

from .assessments import question_choices
from .models import (
    CaseStatus,
    ClosureReason,
    ConsentMethod,
    ConsentPurpose,
    Counsellor,
    Filiere,
    FormSchema,
    Relationship,
    SessionKind,
    TrainingKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, phone, document or case number"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), ("active", _("Active")), *CaseStatus.choices])
    counsellor = forms.TypedChoiceField(label=_("Counsellor"), required=False, coerce=int, empty_value=None)
    city = forms.CharField(label=_("City"), required=False)
    vulnerability = forms.ChoiceField(label=_("Vulnerability"), required=False,
                                      choices=[("", _("Any vulnerability")), *vulnerability_choices()])
    arrival_from = forms.DateField(label=_("Arrived from"), required=False, widget=DATE)
    arrival_to = forms.DateField(label=_("Arrived until"), required=False, widget=DATE)
    order = forms.ChoiceField(label=_("Sort"), required=False, choices=[
        ("-opened", _("Newest first")), ("opened", _("Oldest first")), ("name", _("Name")),
        ("number", _("Case number")), ("status", _("Status")), ("due", _("Next due date"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A plain list: one small query, no server-side cursor (ModelChoiceIterator uses one).
        self.fields["counsellor"].choices = [("", _("All counsellors"))] + [
            (pk, f"{first} {last}".strip() or username)
            for pk, first, last, username in Counsellor.objects.filter(is_active=True).order_by(
                "user__last_name").values_list("pk", "user__first_name", "user__last_name", "user__username")
        ]


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    next_appointment_at = forms.DateTimeField(label=_("Next appointment"), required=False, widget=DATETIME,
                                              input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    structures = forms.ModelMultipleChoiceField(
        label=_("Structures (for a referral)"), required=False,
        queryset=Structure.objects.filter(is_active=True).order_by("code"),
    )
    method = forms.ChoiceField(label=_("How given"), choices=ConsentMethod.choices)
    witness_name = forms.CharField(label=_("Witness (oral consent)"), required=False)
    given_on = forms.DateField(label=_("Given on"), widget=DATE)


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    is_beneficiary = forms.BooleanField(label=_("Also a beneficiary"), required=False)


class ApprovalRequestForm(forms.Form):
    closure_reason = forms.ChoiceField(label=_("Closure reason"), required=False,
                                       choices=[("", "—"), *ClosureReason.choices])
    note = forms.CharField(label=_("Note to the supervisor"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    to_owner = forms.ModelChoiceField(label=_("Receiving case manager"), queryset=User.objects.none())
    to_city = forms.CharField(label=_("Receiving office (city)"), max_length=80)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_owner"].queryset = User.objects.filter(roles__code="case_manager", is_active=True).order_by(
            "city", "last_name")


class NicheForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    department = forms.ModelChoiceField(label=_("Department (optional)"), queryset=Department.objects.all(),
                                        required=False)
    filiere = forms.ModelChoiceField(label=_("Value chain (filière)"),
                                     queryset=Filiere.objects.select_related("sector"))
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    investment_min_xaf = forms.IntegerField(label=_("Typical investment from (XAF)"), min_value=0)
    investment_max_xaf = forms.IntegerField(label=_("Typical investment to (XAF)"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=200)
    source_date = forms.DateField(label=_("Source date"), widget=DATE)


class NicheImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file"))


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    provider_name = forms.CharField(label=_("Training centre"), max_length=200, required=False)
    filiere = forms.ModelChoiceField(label=_("Value chain (filière)"), queryset=Filiere.objects.all(), required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=80)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Form"), choices=[])
    key = forms.CharField(label=_("Key"), max_length=40, help_text=_("e.g. family_size"))
    label = forms.CharField(label=_("Question"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=[(t, t) for t in
                                                       ("text", "number", "bool", "date", "choice", "multi",
                                                        "filieres")])
    choices = forms.CharField(label=_("Choices (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("Required"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(f.kind, f.title) for f in FormSchema.objects.filter(is_current=True)]


def assessment_form_class(schema: FormSchema) -> type[forms.Form]:
    """A Django form built from a stored form schema version."""
    fields: dict[str, forms.Field] = {}
    for q in schema.questions:
        required = bool(q.get("required")) and q["type"] != "bool"
        label = q["label"]
        if q["type"] == "text":
            field: forms.Field = forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))
        elif q["type"] == "number":
            field = forms.DecimalField(label=label, required=required)
        elif q["type"] == "bool":
            field = forms.BooleanField(label=label, required=False)
        elif q["type"] == "date":
            field = forms.DateField(label=label, required=required, widget=DATE)
        elif q["type"] == "choice":
            field = forms.ChoiceField(label=label, required=required, choices=[("", "—"), *question_choices(schema, q)])
        elif q["type"] == "multi":
            field = forms.MultipleChoiceField(label=label, required=required, choices=question_choices(schema, q),
                                              widget=forms.CheckboxSelectMultiple)
        else:  # filieres
            field = forms.MultipleChoiceField(label=label, required=required,
                                              choices=[(f.code, f.name) for f in Filiere.objects.all()],
                                              widget=forms.SelectMultiple(attrs={"size": 6}))
        fields[q["key"]] = field
    fields["assessed_on"] = forms.DateField(label=_("Assessed on"), widget=DATE)
    return type("AssessmentForm", (forms.Form,), fields)
