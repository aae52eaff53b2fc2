from django import forms
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import Structure

from .models import Body, MemberRole


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["code", "name_fr", "name_en", "kind", "mandate", "start_date", "end_date"]
        widgets = {
            "mandate": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class MemberForm(forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Structure"), queryset=Structure.objects.filter(is_active=True).order_by("code")
    )
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
