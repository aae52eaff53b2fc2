"""Forms of governance pages (shape only: the rules are in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Structure
from mboa.core.errors import ApplicationError
from mboa.core.uploads import DocumentField
from mboa.notifications.models import Channel

from .models import Body, DecisionKind, FollowUpStatus, MeetingKind, MemberRole


def submitted(form: forms.Form, message: str = "") -> dict:
    """The data of a valid form, for a page action that has no form page of its own: an
    invalid form refuses the action with its errors (or ``message``), shown as a message
    on the page the action returns to."""
    if form.is_valid():
        return form.cleaned_data
    raise ApplicationError(message or "; ".join(str(e) for errors in form.errors.values() for e in errors))


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
    attachment = DocumentField(label=_("Attachment"), required=False,
                               help_text=_("PDF, Word, Excel, OpenDocument, PNG or JPEG."))


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


class MemberForm(forms.Form):
    structure = forms.ModelChoiceField(label=_("Structure"), queryset=_structures())
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            structure = form.cleaned_data["structure"]
            if structure.pk in seen:
                form.add_error("structure", _("This structure is listed twice."))
            seen.add(structure.pk)

    def members(self) -> list[dict]:
        return [
            {"structure": f.cleaned_data["structure"], "role": f.cleaned_data["role"]}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=3, can_delete=True)


class BodyForm(forms.ModelForm):
    """A body and its member structures (``members``, a formset); valid when both are."""

    class Meta:
        model = Body
        fields = ["code", "name_fr", "name_en", "kind", "mandate", "start_date", "end_date"]
        widgets = {
            "mandate": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, data=None, *args, members: list[dict] | None = None, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.members = MemberFormSet(data, prefix="members", initial=members)
        if self.instance.pk:
            self.fields["code"].disabled = True  # a body keeps its code

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.members.is_valid()])

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def body_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields if name != "code"}
        return {**data, "mandate": data.get("mandate") or ""}


class BroadcastForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.EMAIL)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
