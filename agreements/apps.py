from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = "Aftaler"

    def ready(self) -> None:
        from . import revisions

        revisions.connect()
