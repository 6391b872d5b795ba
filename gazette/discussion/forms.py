"""What the discussion's forms send. The rules live in services: a form only reads."""

from django import forms


class ReturnForm(forms.Form):
    """Every discussion form carries the page to return to without JavaScript."""

    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CommentForm(ReturnForm):
    body = forms.CharField(required=False, strip=False, widget=forms.Textarea)


class RespectForm(ReturnForm):
    action = forms.ChoiceField(choices=[("give", "Give"), ("withdraw", "Withdraw")])


class ReportForm(ReturnForm):
    reason = forms.CharField(required=False)
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea)


class NoticesForm(forms.Form):
    email_replies = forms.BooleanField(required=False)


class AppealForm(forms.Form):
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea)
