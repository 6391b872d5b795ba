"""The weather in the masthead and on the weather page, in the paper's unit."""

import math

from django import template
from django.urls import reverse
from django.utils.html import format_html

from gazette.weather import selectors

register = template.Library()


@register.filter
def temperature(celsius: float | None) -> str:
    """ "75°": a temperature in GAZETTE_WEATHER_UNIT, rounded half up."""
    if celsius is None:
        return ""
    value = celsius * 9 / 5 + 32 if selectors.display_unit() == "F" else celsius
    return f"{math.floor(value + 0.5)}°"


@register.simple_tag
def masthead_weather() -> str:
    """The current temperature and condition, linked to the weather page; nothing
    at all when there is no reading under 3 hours old."""
    conditions = selectors.current_conditions()
    if conditions is None:
        return ""
    return format_html(
        '<a class="masthead__weather" href="{}">{} <span>{}</span></a>',
        reverse("weather:weather"),
        temperature(conditions.temperature_celsius),
        conditions.description,
    )
