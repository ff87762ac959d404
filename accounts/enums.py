from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUPPLIER = "supplier", _("Supplier representative")
    MEMBER = "member", _("Member representative")
    FACILITATOR = "facilitator", _("Facilitator")
    SECRETARIAT = "secretariat", _("Secretariat")


class AccountEmailKind(models.TextChoices):
    """allauth's e-mails, named after their templates ("account/email/password_reset_key" →
    "account_password_reset_key"); rendered when allauth sends them (labels for the admin)."""

    ACCOUNT_ALREADY_EXISTS = "account_account_already_exists", "Account already exists"
    EMAIL_CHANGED = "account_email_changed", "E-mail address changed"
    EMAIL_CONFIRM = "account_email_confirm", "Confirm a new e-mail address"
    EMAIL_CONFIRMATION = "account_email_confirmation", "Confirm an e-mail address"
    EMAIL_CONFIRMATION_SIGNUP = "account_email_confirmation_signup", "Confirm sign-up"
    EMAIL_DELETED = "account_email_deleted", "E-mail address removed"
    LOGIN_CODE = "account_login_code", "Sign-in code"
    PASSWORD_CHANGED = "account_password_changed", "Password changed"
    PASSWORD_RESET = "account_password_reset", "Password reset"
    PASSWORD_RESET_CODE = "account_password_reset_code", "Password reset code"
    PASSWORD_RESET_KEY = "account_password_reset_key", "Password reset link"
    PASSWORD_SET = "account_password_set", "Password set"
    UNKNOWN_ACCOUNT = "account_unknown_account", "No account with this address"
    RECOVERY_CODES_GENERATED = "mfa_recovery_codes_generated", "Recovery codes generated"
    TOTP_ACTIVATED = "mfa_totp_activated", "Authenticator app activated"
    TOTP_DEACTIVATED = "mfa_totp_deactivated", "Authenticator app deactivated"
    WEBAUTHN_ADDED = "mfa_webauthn_added", "Security key added"
    WEBAUTHN_REMOVED = "mfa_webauthn_removed", "Security key removed"


class InvitationEmailKind(models.TextChoices):
    """The secretariat's invitation to set a password, stored rendered (labels for the admin)."""

    INVITATION = "account_invitation", "Invitation to set a password"
