from decimal import Decimal

from django import template

from programs.rules import fmt

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """20.00 → "20", 22.50 → "22.5"; never "2E+1" as ``normalize`` alone would give."""
    return "" if value is None else fmt(value)
