from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Preference


class BroadcastForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.EMAIL)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "sms", "whatsapp"]
