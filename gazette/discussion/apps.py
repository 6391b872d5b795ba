from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "gazette.discussion"
    verbose_name = "Reader discussion"
