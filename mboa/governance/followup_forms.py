"""Forms for meetings, decisions and commitments (shape only: the rules are in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Structure

from .models import DecisionKind, FollowUpStatus, MeetingKind


def _structures():
    return Structure.objects.filter(is_active=True).order_by("code")


class StructureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.code


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One item per line. End a line with “| CODE” to name the presenting structure, "
                    "e.g. “Results of the quarter | OIM”."),
    )

    def clean_agenda(self) -> list[dict]:
        items = []
        codes = {s.code: s for s in _structures()}
        for number, line in enumerate(self.cleaned_data.get("agenda", "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            title, _sep, code = line.rpartition("|") if "|" in line else (line, "", "")
            presenter = None
            if code.strip():
                presenter = codes.get(code.strip().upper())
                if presenter is None:
                    raise forms.ValidationError(
                        _("Agenda line %(n)d: unknown structure “%(code)s”.") % {"n": number, "code": code.strip()})
            items.append({"title": title.strip(), "presenter": presenter})
        return items


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    presenter = StructureChoice(label=_("Presented by"), queryset=_structures(), required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 14}),
                              help_text=_("Formatting: **bold**, *italics*, lists starting with “-”, titles with “#”."))
    attachment_title = forms.CharField(label=_("Attachment title"), max_length=200, required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    addressed_to = StructureChoice(label=_("Addressed to (recommendation)"), queryset=_structures(), required=False)
    commitment_structure = StructureChoice(label=_("Committed structure"), queryset=_structures(), required=False)
    commitment_title = forms.CharField(label=_("Commitment: what"), max_length=300, required=False)
    commitment_deadline = forms.DateField(label=_("Commitment: deadline"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        parts = [data.get("commitment_structure"), data.get("commitment_title"), data.get("commitment_deadline")]
        if any(parts) and not all(parts):
            raise forms.ValidationError(_("A commitment needs a structure, what it commits to, and a deadline."))
        return data

    def commitments(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("commitment_structure"):
            return []
        return [{"structure": data["commitment_structure"], "title": data["commitment_title"],
                 "deadline": data["commitment_deadline"]}]


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Follow-up"), choices=FollowUpStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("What progressed"), widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False)


class DropForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
