from django.apps import AppConfig


class EditionConfig(AppConfig):
    name = "gazette.edition"
    verbose_name = "Today’s Paper"

    def ready(self) -> None:
        from gazette.edition import checks  # noqa: F401  (registers the checks)
