"""The company models now belong to the `companies` app (companies' first migration). Their
tables and rows stay as they are: this only removes them from registrations' state, and moves
their content types (so admin history and any permissions on them stay attached)."""

from django.db import migrations

MODELS = ["companyname", "companykey", "possibleduplicate", "companymerge"]


def move_content_types(apps, schema_editor, source="registrations", target="companies"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=target, model__in=MODELS).values_list(
            "model", flat=True
        )
    )
    ContentType.objects.filter(app_label=source, model__in=set(MODELS) - taken).update(
        app_label=target
    )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="companies", target="registrations")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('companies', '0001_company_models_from_registrations'),
        ('registrations', '0006_outgoingemail_moved_to_outbox'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='CompanyKey'),
                migrations.DeleteModel(name='CompanyMerge'),
                migrations.DeleteModel(name='CompanyName'),
                migrations.DeleteModel(name='PossibleDuplicate'),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
