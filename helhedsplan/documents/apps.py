from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The documents pipeline: context selectors, HTML preview and PDF."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "helhedsplan.documents"
    label = "documents"
    verbose_name = "Dokumenter"

    def ready(self) -> None:
        # Connects the signal that deletes a rendered document's or an approval's file with its row.
        from . import rendering  # noqa: F401
