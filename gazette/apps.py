from django.apps import AppConfig


class GazetteConfig(AppConfig):
    name = "gazette"
    verbose_name = "Gazette"

    def ready(self) -> None:
        # Sign-ins, failed sign-ins and sign-outs reach the log (gazette/logs.py).
        from gazette import logs  # noqa: F401
