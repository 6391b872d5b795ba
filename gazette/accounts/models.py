"""People who sign in (readers and the newsroom's staff), and what readers accepted."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from gazette.accounts.names import display_name_key, display_name_look_key


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        fields.setdefault("display_name", email.split("@")[0])
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person with an account; staff have is_staff and a newsroom role (group)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=40, help_text="The name shown beside comments."
    )
    # Two names are one when either key of one equals either key of the other
    # (names.py); 30 characters fold to at most 210 (Hangul syllables, 7 each).
    display_name_key = models.CharField(max_length=255, unique=True, editable=False)
    display_name_look_key = models.CharField(
        max_length=255, unique=True, editable=False
    )
    email_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the reader opened the link mailed to this address.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="one_account_per_email")
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        # The keys are derived from the name; keeping them in step is the model's job.
        self.display_name_key = display_name_key(self.display_name)
        self.display_name_look_key = display_name_look_key(self.display_name)
        if kwargs.get("update_fields") and "display_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "display_name_key",
                "display_name_look_key",
            }
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None


class Acceptance(models.Model):
    """A reader accepted one version of a standing document (terms, guidelines)."""

    reader = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="acceptances"
    )
    # Documents readers accepted stay: the record must say what they agreed to.
    document = models.ForeignKey(
        "newsroom.Page", on_delete=models.PROTECT, related_name="acceptances"
    )
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["accepted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "document", "version"],
                name="one_acceptance_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.version} of page {self.document_id}"
