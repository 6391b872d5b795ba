from django.urls import path

from gazette.newsroom import views

app_name = "newsroom"

urlpatterns = [
    path("", views.HomeFrontView.as_view(), name="home"),
    path("section/<slug:slug>/", views.SectionFrontView.as_view(), name="section"),
    path("story/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("about/<slug:slug>/", views.PageDetailView.as_view(), name="page"),
    path("todays-paper/", views.TodaysPaperView.as_view(), name="todays_paper"),
    path("preview/<int:pk>/", views.preview_article, name="preview"),
]
