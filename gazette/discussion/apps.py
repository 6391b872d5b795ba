from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "gazette.discussion"
    verbose_name = "Reader discussion"

    def ready(self) -> None:
        from gazette.discussion import checks  # noqa: F401  (registers the checks)
