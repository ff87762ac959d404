"""The association's name for templates rendered without a request (e-mails in the worker)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def association_name() -> str:
    return settings.ASSOCIATION_NAME
