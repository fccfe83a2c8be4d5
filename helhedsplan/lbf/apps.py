from django.apps import AppConfig


class LbfConfig(AppConfig):
    """What Landsbyggefonden gets: the LBF-udtræk and its background jobs, and the public plan page."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "helhedsplan.lbf"
    label = "lbf"
    verbose_name = "LBF-udtræk"
