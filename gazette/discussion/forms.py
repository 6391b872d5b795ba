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


class DecisionForm(ReturnForm):
    """A moderator's decision on one comment: approve, reject, feature, unfeature."""

    decision = forms.CharField(required=False)
    reason = forms.CharField(required=False)


class BulkDecisionForm(DecisionForm):
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any comment number is a choice; the view looks them up.
        self.fields["ids"].choices = [
            (value, value) for value in self.data.getlist("ids") if value.isdigit()
        ]


class SanctionForm(ReturnForm):
    """A decision about a reader: warn, suspend, ban, the ladder's next step, …"""

    kind = forms.CharField(required=False)
    reason = forms.CharField(required=False)
    duration = forms.CharField(required=False)
    hours = forms.IntegerField(required=False, min_value=1, max_value=24 * 365)
    reject_comments = forms.BooleanField(required=False)
    sanction = forms.IntegerField(required=False)


class FollowForm(ReturnForm):
    section = forms.SlugField(required=False)
    follow = forms.BooleanField(required=False)


class AppealDecisionForm(forms.Form):
    outcome = forms.CharField(required=False, max_length=2000)
    decision = forms.ChoiceField(
        choices=[("uphold", "Uphold"), ("dismiss", "Dismiss")], required=False
    )
