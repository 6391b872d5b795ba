from django.views.generic import TemplateView

from gazette.weather import selectors


class WeatherView(TemplateView):
    """The current reading and the forecast, as the last refresh stored them."""

    template_name = "weather/weather.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            conditions=selectors.current_conditions(),
            forecast=selectors.upcoming_forecast(),
            unit=selectors.display_unit(),
            **kwargs,
        )
