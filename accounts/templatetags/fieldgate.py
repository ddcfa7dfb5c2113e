from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict's value in a template: {{ mapping|get_item:key }}."""
    return mapping.get(key) if mapping else None
