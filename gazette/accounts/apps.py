from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gazette.accounts"
    verbose_name = "Accounts"
