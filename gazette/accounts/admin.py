"""Accounts in the back office: staff and readers, with what each reader accepted.

Display names go through the same rules as the reader's own form, and deleting an
account goes through services.delete_account, so comments are erased as the site
setting says.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from gazette.accounts import services
from gazette.accounts.errors import AccountError
from gazette.accounts.models import Acceptance, User


class AcceptanceInline(admin.TabularInline):
    model = Acceptance
    extra = 0
    fields = ["document", "version", "accepted_at"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-accepted_at"]

    def has_add_permission(self, request, obj=None):
        # Acceptances are the reader's own act; staff never record one for them.
        return False


class DisplayNameRules(forms.ModelForm):
    """Hold a name typed in the back office to the rules a reader's form applies."""

    def clean(self):
        cleaned = super().clean()
        if "display_name" not in cleaned:
            return cleaned
        # Judge the name as it will be: a member of staff may use newsroom words.
        account = User(
            pk=self.instance.pk,
            is_staff=cleaned.get("is_staff", self.instance.is_staff),
        )
        try:
            cleaned["display_name"] = services.vet_display_name(
                cleaned["display_name"], reader=account
            )
        except AccountError as error:
            self.add_error("display_name", error.message)
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["last_login", "date_joined", "email_verified_at"]
    inlines = [AcceptanceInline]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name"]}),
        ("Standing", {"fields": ["is_active", "email_verified_at"]}),
        (
            "Newsroom role",
            {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "password1", "password2"],
            },
        )
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Mix the name rules into whichever form Django's UserAdmin chose.
        return type(form.__name__, (DisplayNameRules, form), {})

    def save_model(self, request, obj, form, change):
        if change and "display_name" in form.changed_data:
            name = obj.display_name
            obj.display_name = User.objects.get(pk=obj.pk).display_name
            services.rename_reader(obj, display_name=name, actor=request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        try:
            services.delete_account(obj, actor=request.user)
        except AccountError as error:
            self.message_user(request, error.message, level=messages.ERROR)

    def delete_queryset(self, request, queryset):
        for account in queryset:
            self.delete_model(request, account)
