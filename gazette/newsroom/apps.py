from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "gazette.newsroom"
    verbose_name = "Newsroom"
