from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "gazette.wire"
    verbose_name = "Wire"
