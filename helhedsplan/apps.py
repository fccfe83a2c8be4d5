from django.apps import AppConfig


class HelhedsplanConfig(AppConfig):
    name = "helhedsplan"
    verbose_name = "Helhedsplan"
