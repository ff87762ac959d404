"""A merge's record of what it moved (CompanyMerge.moved) names each relation as
"app_label.Model.field" (see companies.references), so that an undo can move back rows of any
relation. Merges recorded before named three: "registrations", "people" and "names"."""

from django.db import migrations

RENAMED = {
    "registrations": "registrations.Registration.company",
    "people": "forums.Person.organisation",
    "names": "companies.CompanyName.organisation",
}


def rename_keys(moved: dict, renamed: dict) -> dict:
    """`moved` with its keys renamed; lists left empty are dropped, as a merge records only the
    relations it moved rows of."""
    return {renamed.get(key, key): pks for key, pks in moved.items() if pks}


def forwards(apps, schema_editor, renamed=RENAMED):
    CompanyMerge = apps.get_model("companies", "CompanyMerge")
    for merge in CompanyMerge.objects.only("moved"):
        moved = rename_keys(merge.moved, renamed)
        if moved != merge.moved:
            CompanyMerge.objects.filter(pk=merge.pk).update(moved=moved)


def backwards(apps, schema_editor):
    forwards(apps, schema_editor, renamed={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0001_company_models_from_registrations'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
