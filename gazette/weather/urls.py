from django.urls import path

from gazette.weather import views

app_name = "weather"

urlpatterns = [
    path("", views.WeatherView.as_view(), name="weather"),
]
