"""Template helpers of the polls pages."""

from __future__ import annotations

from django import template

from tawasul.core.templatetags.tawasul import _arabic_indic
from tawasul.polls.charts import percent_text

register = template.Library()


@register.simple_tag(takes_context=True)
def poll_percent(context, value: float) -> str:
    """A share of voters ("45.5%"), in the digits the site uses on Arabic pages."""
    return percent_text(value, arabic_indic=_arabic_indic(context))
