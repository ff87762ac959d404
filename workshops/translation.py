"""A workshop's title and description in English and Spanish (django-modeltranslation), the
Spanish falling back to the English when left empty."""

from modeltranslation.translator import TranslationOptions, register

from workshops.models import Workshop


@register(Workshop)
class WorkshopTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}
