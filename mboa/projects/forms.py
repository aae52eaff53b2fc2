"""Input forms: shape only; the rules are in services and eligibility."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Department, Region
from mboa.cases.models import Filiere, Sector
from mboa.core.conf import setting

from .models import CRITERIA_LABELS, VISIT_STATUSES, DossierKind, DossierStatus, MissedReason, Outcome, VisitMode


class DossierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DossierKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    filiere = forms.ModelChoiceField(label=_("Value chain (filière)"), queryset=Filiere.objects.select_related("sector"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    town = forms.CharField(label=_("Town"), max_length=80)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    market = forms.CharField(label=_("Market"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    contributions = forms.CharField(label=_("Contributions"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    contribution_xaf = forms.IntegerField(label=_("Contributions valued (XAF)"), min_value=0, initial=0)
    monthly_revenue_xaf = forms.IntegerField(label=_("Expected monthly revenue (XAF)"), min_value=0)
    monthly_costs_xaf = forms.IntegerField(label=_("Expected monthly costs (XAF)"), min_value=0)
    risks = forms.CharField(label=_("Risks"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    counsellor_opinion = forms.CharField(label=_("Counsellor's opinion"), widget=forms.Textarea(attrs={"rows": 2}),
                                         required=False)

    def version_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "kind"}
        data["sector"] = data["filiere"].sector
        for name in ("market", "contributions", "risks", "counsellor_opinion"):
            data[name] = data.get(name) or ""
        return data


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=200)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0.01, decimal_places=2, initial=1)
    unit_cost_xaf = forms.IntegerField(label=_("Unit cost (XAF)"), min_value=0)
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)


class MemberForm(forms.Form):
    person = forms.IntegerField(label=_("Registry number (returnee)"), required=False,
                                help_text=_("Leave empty for a community member who is not a migrant."))
    family_name = forms.CharField(label=_("Family name"), max_length=120, required=False)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("F", _("Female")), ("M", _("Male")), ("U", _("Unknown"))],
                            initial="U")
    returned_on = forms.DateField(label=_("Date of return"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=3)
MemberFormSet = forms.formset_factory(MemberForm, extra=2)


class DossierFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *DossierStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *DossierKind.choices], required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False,
                                    to_field_name="code")
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False,
                                    to_field_name="code")
    filiere = forms.ModelChoiceField(label=_("Value chain"), queryset=Filiere.objects.all(), required=False,
                                     to_field_name="code")
    town = forms.CharField(label=_("Town"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        out = {}
        for name, value in self.cleaned_data.items():
            if value:
                out[name] = getattr(value, "pk", value)
        return out


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        config = setting("PROJECTS", "SCORING")
        for name, label in CRITERIA_LABELS.items():
            self.fields[name] = forms.IntegerField(
                label=label, min_value=config["SCALE_MIN"], max_value=config["SCALE_MAX"],
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "score", "autocomplete": "off"}))
        self.order_fields([*CRITERIA_LABELS, "comment"])


class DeterminationForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Determination"), choices=Outcome.choices)
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    amendments = forms.CharField(
        label=_("Amendments (one per line: what to change | by whom)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}))

    def amendment_list(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("amendments") or "").splitlines():
            if line.strip():
                what, _sep, who = line.partition("|")
                rows.append({"what": what.strip(), "by_whom": who.strip()})
        return rows


class PurchaseForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200)
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    amount_xaf = forms.IntegerField(label=_("Amount (XAF)"), min_value=1)
    budget_line = forms.IntegerField(label=_("Budget line"), required=False, widget=forms.Select)


BLANK = [("", "—")]


class VisitForm(forms.Form):
    """A visit made (planned or not). Only the shape here: the service says what is missing."""

    visited_on = forms.DateField(label=_("Visited on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label=_("How"), choices=VisitMode.choices, initial=VisitMode.ON_SITE, required=False)
    status = forms.ChoiceField(label=_("Project status"), required=False,
                               choices=BLANK + [(s.value, s.label) for s in VISIT_STATUSES])
    notes = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VisitMissForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the visit was not made"), choices=BLANK + MissedReason.choices,
                               required=False)
    note = forms.CharField(label=_("Details"), max_length=300, required=False)


class SurvivalFilterForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + DossierKind.choices, required=False)
    sex = forms.ChoiceField(label=_("Lead promoter's sex"), required=False,
                            choices=[*BLANK, ("F", _("Female")), ("M", _("Male"))])
    installed_from = forms.DateField(label=_("Installed from"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    installed_to = forms.DateField(label=_("Installed until"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        for key in ("region", "sector"):
            if key in data:
                data[key] = data[key].pk
        return data
