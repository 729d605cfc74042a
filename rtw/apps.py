from django.apps import AppConfig


class RtwConfig(AppConfig):
    name = "rtw"
    verbose_name = "Organisations, accounts and audit"
