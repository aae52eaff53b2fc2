"""Input of the release pages: a period, and a region for the indicators."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .indicators import Filters


def default_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return dt.date(today.year, 1, 1), today


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The period ends before it begins."))
        return data


class IndicatorFilterForm(PeriodForm):
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Whole country")), *regions]

    def filters(self) -> Filters:
        """The filters asked for, or the default period (this year) when the form is empty or wrong."""
        date_from, date_to = default_period()
        if self.is_bound and self.is_valid():
            return Filters(self.cleaned_data["date_from"], self.cleaned_data["date_to"],
                           self.cleaned_data.get("region") or "")
        return Filters(date_from, date_to)
