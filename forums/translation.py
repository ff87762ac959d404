"""The forum's texts the secretariat writes for participants, in English and Spanish
(django-modeltranslation): `title` reads `title_es` for a Spanish reader, `title_en` when the
Spanish is left empty."""

from modeltranslation.translator import TranslationOptions, register

from forums.models import AgendaItem, Forum


@register(Forum)
class ForumTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "venue_notes", "certificate_wording")
    required_languages = {"en": ("title",)}


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}
