"""Filters for the policy editor's templates."""

from django import template

register = template.Library()


@register.filter
def field_warnings(field) -> list[str]:
    """``{% for w in field|field_warnings %}``: floor warnings about a bound field."""
    warnings_for = getattr(field.form, "warnings_for", None)
    return warnings_for(field.name) if warnings_for else []


@register.filter
def form_warnings(form) -> list[str]:
    """Floor warnings about the rule as a whole (not tied to one field)."""
    warnings_for = getattr(form, "warnings_for", None)
    return warnings_for("__all__") if warnings_for else []
