# Each in its own transaction: PostgreSQL cannot alter a table with pending trigger events, as
# rows just updated leave.

from django.db import migrations, models

APP = "workshops"
TRANSLATED = {"Workshop": ("title", "description")}


def copy_into_english(apps, schema_editor):
    """The texts written before there were two languages are the English ones."""
    for model, fields in TRANSLATED.items():
        apps.get_model(APP, model).objects.update(
            **{f"{field}_en": models.F(field) for field in fields}
        )


def copy_back_from_english(apps, schema_editor):
    """Going back keeps the English text, edited since or not, in the one field left."""
    for model, fields in TRANSLATED.items():
        manager = apps.get_model(APP, model).objects
        for field in fields:
            manager.exclude(**{f"{field}_en": None}).update(**{field: models.F(f"{field}_en")})


class Migration(migrations.Migration):

    dependencies = [
        ("workshops", "0003_texts_in_english_and_spanish"),
    ]

    operations = [
        migrations.RunPython(copy_into_english, copy_back_from_english),
    ]
