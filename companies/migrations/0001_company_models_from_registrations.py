"""The company models move here from `registrations`, keeping their tables and rows: this
migration only tells Django's state that they now belong to `companies` (their tables keep the
names they were created with, see Meta.db_table); registrations' own migration removes them from
its state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('forums', '0003_organisation_merged_into'),
        ('registrations', '0003_companymerge_companyname_companykey_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CompanyMerge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('merged_name', models.CharField(max_length=200)),
                        ('moved', models.JSONField(default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('undone_at', models.DateTimeField(blank=True, null=True)),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('kept', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='merges_kept', to='forums.organisation')),
                        ('merged', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='merges_gone', to='forums.organisation')),
                    ],
                    options={
                        'db_table': 'registrations_companymerge',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CompanyName',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('normalised', models.CharField(db_index=True, max_length=200)),
                        ('domain', models.CharField(blank=True, max_length=200)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='known_names', to='forums.organisation')),
                    ],
                    options={
                        'db_table': 'registrations_companyname',
                    },
                ),
                migrations.CreateModel(
                    name='CompanyKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(db_index=True, max_length=60)),
                        ('company_name', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='keys', to='companies.companyname')),
                    ],
                    options={
                        'db_table': 'registrations_companykey',
                    },
                ),
                migrations.CreateModel(
                    name='PossibleDuplicate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.FloatField()),
                        ('reason', models.CharField(max_length=300)),
                        ('status', models.CharField(choices=[('open', 'To review'), ('merged', 'Merged'), ('dismissed', 'Different companies')], default='open', max_length=20)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('first', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='forums.organisation')),
                        ('second', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='forums.organisation')),
                    ],
                    options={
                        'db_table': 'registrations_possibleduplicate',
                        'ordering': ['-score'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='companyname',
                    constraint=models.UniqueConstraint(fields=('organisation', 'name'), name='company_name_once_per_organisation'),
                ),
                migrations.AddConstraint(
                    model_name='companykey',
                    constraint=models.UniqueConstraint(fields=('company_name', 'key'), name='company_key_unique'),
                ),
                migrations.AddConstraint(
                    model_name='possibleduplicate',
                    constraint=models.UniqueConstraint(fields=('first', 'second'), name='possible_duplicate_pair'),
                ),
                migrations.AddConstraint(
                    model_name='possibleduplicate',
                    constraint=models.CheckConstraint(condition=models.Q(('first__lt', models.F('second'))), name='possible_duplicate_ordered_pair'),
                ),
            ],
            database_operations=[],
        ),
    ]
