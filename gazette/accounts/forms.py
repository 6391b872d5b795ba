"""The reader's account forms: what each field asks, and the message when it is wrong.

Forms check what they can before a service runs, so that a reader sees every
problem at once; the services check again, because they are the only way in.
Password fields are never sent back to the browser; everything else a reader
typed is kept when a form is refused.
"""

import time

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed

from gazette.accounts import ratelimits, services, submissions
from gazette.accounts.errors import AccountError, RateLimited
from gazette.accounts.models import User
from gazette.newsroom.models import Page

SIGN_IN_REFUSED = "That email address and password do not match an account."


def email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


def password_field(label: str, *, autocomplete: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}."},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


def display_name_field() -> forms.CharField:
    return forms.CharField(
        label="Display name",
        max_length=60,
        help_text="Shown beside your comments: 3 to 30 letters, numbers, spaces "
        "and . - _ ' starting with a letter.",
        error_messages={
            "required": "Choose a display name.",
            "max_length": "A display name can be at most 30 characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class OnceForm(forms.Form):
    """A form whose repeat submission is recognised (see submissions.py)."""

    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", submissions.new_token())

    @property
    def token(self) -> str:
        return self.data.get("submission", "") if self.is_bound else ""

    def add_refusal(self, error: AccountError) -> None:
        """Show a service's refusal beside the field it concerns, or above the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class AcceptanceFields(forms.Form):
    """A tick box for each document to accept, and the version the reader saw."""

    def __init__(self, *args, documents: list[Page], **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = documents
        for document in documents:
            self.fields[f"accept_{document.slug}"] = forms.BooleanField(
                label=f"I accept the {document.title}",
                error_messages={
                    "required": f"Tick the box to accept the {document.title}."
                },
            )
            self.fields[f"version_{document.slug}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False
            )
            self.initial.setdefault(f"version_{document.slug}", document.version)

    def clean(self):
        cleaned = super().clean()
        for document in self.documents:
            shown = cleaned.get(f"version_{document.slug}")
            if shown is not None and shown != document.version:
                self.add_error(
                    f"accept_{document.slug}",
                    f"The {document.title} changed while this page was open: read "
                    f"version {document.version} and tick the box again.",
                )
        return cleaned

    def document_rows(self) -> list[tuple[Page, forms.BoundField]]:
        return [
            (document, self[f"accept_{document.slug}"]) for document in self.documents
        ]

    def accepted_versions(self) -> dict[str, int]:
        return {
            document.slug: self.cleaned_data.get(f"version_{document.slug}")
            or document.version
            for document in self.documents
        }


class SignUpForm(AcceptanceFields, OnceForm):
    email = email_field()
    display_name = display_name_field()
    password = password_field(
        "Password",
        autocomplete="new-password",
        help_text="At least 8 characters, not a common password, not all numbers.",
    )
    field_order = ["email", "display_name", "password"]

    def clean_email(self):
        # Whether an account has the address is not said here: sign_up_reader
        # answers the same either way.
        return services.normalize_email(self.cleaned_data["email"])

    def clean_display_name(self):
        try:
            return services.vet_display_name(self.cleaned_data["display_name"])
        except AccountError as error:
            raise forms.ValidationError(error.message) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            reader = User(
                email=cleaned.get("email", ""),
                display_name=cleaned.get("display_name", ""),
            )
            try:
                services.vet_password(cleaned["password"], reader=reader)
            except AccountError as error:
                self.add_error("password", error.message)
        return cleaned


class SignInForm(forms.Form):
    email = email_field()
    password = password_field("Password", autocomplete="current-password")

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.reader: User | None = None

    def clean(self):
        cleaned = super().clean()
        email = services.normalize_email(cleaned.get("email", ""))
        password = cleaned.get("password")
        if not email or not password:
            return cleaned
        address = ratelimits.client_address(self.request)
        limits = [
            ("sign-in", email, ratelimits.rate_setting("GAZETTE_SIGN_IN_RATE")),
            (
                "sign-in-address",
                address,
                ratelimits.rate_setting("GAZETTE_SIGN_IN_IP_RATE"),
            ),
        ]
        message = "Too many failed attempts to sign in."
        now = time.time()
        try:
            for scope, identity, rate in limits:
                ratelimits.ensure_allowed(
                    scope, identity, rate, message=message, now=now
                )
            # Count the attempt before the password is hashed, so that attempts
            # sent all at once are each counted: no more than the limit are ever
            # checked in a window, and a refused one costs no hashing.
            for scope, identity, rate in limits:
                ratelimits.spend(scope, identity, rate, message=message, now=now)
        except RateLimited as error:
            # Refused without checking the password, so without Django's signal:
            # sent here, so that the log holds lockouts like any failure.
            user_login_failed.send(
                sender=__name__,
                credentials={"email": email},
                request=self.request,
                reason=error.message,
            )
            raise forms.ValidationError(error.message) from None
        self.reader = authenticate(self.request, email=email, password=password)
        if self.reader is None:
            raise forms.ValidationError(SIGN_IN_REFUSED)
        # Only failures count against the account and the connection.
        for scope, identity, rate in limits:
            ratelimits.give_back(scope, identity, rate, now=now)
        return cleaned


class AcceptTermsForm(AcceptanceFields, OnceForm):
    pass


class DisplayNameForm(OnceForm):
    display_name = display_name_field()

    def __init__(self, *args, reader: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = reader
        self.initial.setdefault("display_name", reader.display_name)

    def clean_display_name(self):
        try:
            return services.vet_display_name(
                self.cleaned_data["display_name"], reader=self.reader
            )
        except AccountError as error:
            raise forms.ValidationError(error.message) from None


class PasswordChangeForm(OnceForm):
    current_password = password_field(
        "Current password", autocomplete="current-password"
    )
    new_password = password_field(
        "New password",
        autocomplete="new-password",
        help_text="At least 8 characters, not a common password, not all numbers.",
    )

    def __init__(self, *args, reader: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = reader

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.reader.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        try:
            services.vet_password(password, reader=self.reader)
        except AccountError as error:
            raise forms.ValidationError(error.message) from None
        return password


class NewPasswordForm(OnceForm):
    new_password = password_field(
        "New password",
        autocomplete="new-password",
        help_text="At least 8 characters, not a common password, not all numbers.",
    )

    def __init__(self, *args, reader: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = reader

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        try:
            services.vet_password(password, reader=self.reader)
        except AccountError as error:
            raise forms.ValidationError(error.message) from None
        return password


class PasswordResetRequestForm(OnceForm):
    email = email_field()


class DeleteAccountForm(OnceForm):
    password = password_field(
        "Your password",
        autocomplete="current-password",
        help_text="To be sure it is you.",
    )

    def __init__(self, *args, reader: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.reader = reader

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.reader.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
