from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.SECRETARIAT)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Identified by e-mail; there are no usernames."""

    # Removes the inherited field; the stubs can only describe AbstractUser with a username.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SUPPLIER)
    organisation = models.ForeignKey(
        "forums.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("For member representatives: the member organisation they speak for."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # AbstractUser's stubs expect auth's username-based UserManager; an e-mail user needs its own.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]
        # What a secretariat member may do beyond the admin's model permissions; given through
        # the groups "Forum managers" and "Report readers" (accounts/permissions.py).
        permissions = [
            (
                "run_forums",
                _(
                    "Can run forums: registrations, check-in, badges, surveys, imports and "
                    "exports of personal data"
                ),
            ),
            ("read_reports", _("Can read reports and feedback results")),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).strip()
        if self.role == Role.MEMBER and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("A member representative must be linked to a member.")}
            )
        if self.role == Role.SECRETARIAT and not self.is_staff:
            raise ValidationError({"is_staff": _("Secretariat accounts must have staff status.")})

    @property
    def is_member_representative(self) -> bool:
        return self.is_active and self.role == Role.MEMBER and self.organisation_id is not None

    @property
    def is_facilitator(self) -> bool:
        return self.is_active and self.role == Role.FACILITATOR


class Invitation(models.Model):
    """A link e-mailed by the secretariat to set the password of an account it made. Only the
    SHA-256 of the link's token is kept: the token itself is in the e-mail alone. The link works
    once (used_at), until expires_at; a newer invitation to the same account replaces it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation #{self.pk}"
