from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gazette.search"
    verbose_name = "Search"
