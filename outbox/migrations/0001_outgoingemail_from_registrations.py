# The outgoing e-mail model moves here from registrations, keeping its table and rows: this
# migration only takes the model over in Django's state, as registrations left it; the next one
# changes it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('registrations', '0005_outgoingemail_claimed_until'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutgoingEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40)),
                        ('to', models.EmailField(max_length=254)),
                        ('subject', models.CharField(max_length=300)),
                        ('body_text', models.TextField()),
                        ('body_html', models.TextField(blank=True)),
                        ('ics', models.TextField(blank=True)),
                        ('ics_cancel', models.TextField(blank=True)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed (retries exhausted)')], default='pending', max_length=20)),
                        ('attempts', models.PositiveIntegerField(default=0)),
                        ('last_error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('claimed_until', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('registration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registrations.registration')),
                    ],
                    options={
                        'db_table': 'registrations_outgoingemail',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='registratio_status_ca3dc2_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
