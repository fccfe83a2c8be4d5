from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Logging in (with e-mail or username), passwords and the user's own profile."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "helhedsplan.accounts"
    label = "accounts"
    verbose_name = "Brugerkonti"
