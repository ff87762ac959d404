"""Existing anonymous answers lose what still linked them to a person (see SurveyInvitation).

For each anonymous survey, in this one transaction:
- its responses: no invitation, no language, and the survey's one moment (the forum's start) as
  both times, all rewritten by one statement, so that they share this transaction's id;
- its invitations: deleted and made anew in the order of their registrations (as opening the
  survey makes them), with new ids, the same secrets (the links people hold keep working) and,
  where answered, the survey's moment as answer time. Made anew rather than updated, so that
  neither their ids, nor their creation times, nor their physical order keep the order in which
  they were answered (paper forms made them one by one);
- the outbox's messages about an invitation follow its new id.
"""

from django.db import migrations


def unlink_anonymous_answers(apps, schema_editor):
    Survey = apps.get_model("feedback", "Survey")
    Response = apps.get_model("feedback", "Response")
    SurveyInvitation = apps.get_model("feedback", "SurveyInvitation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    OutgoingEmail = apps.get_model("outbox", "OutgoingEmail")
    about = ContentType.objects.filter(app_label="feedback", model="surveyinvitation").first()
    for survey in Survey.objects.filter(anonymous=True).select_related("forum"):
        moment = survey.forum.starts_at
        Response.objects.filter(survey=survey).update(
            invitation=None, language="", submitted_at=moment, updated_at=moment
        )
        old = list(SurveyInvitation.objects.filter(survey=survey).order_by("registration_id"))
        if not old:
            continue
        SurveyInvitation.objects.filter(survey=survey).delete()
        new = SurveyInvitation.objects.bulk_create(
            SurveyInvitation(
                survey_id=survey.pk,
                registration_id=invitation.registration_id,
                secret=invitation.secret,
                sent_at=invitation.sent_at,
                reminded_at=invitation.reminded_at,
                responded_at=moment if invitation.responded_at is not None else None,
            )
            for invitation in old
        )
        if about is None:
            continue
        for before, after in zip(old, new, strict=True):
            for email in OutgoingEmail.objects.filter(about_type=about, about_id=before.pk):
                email.about_id = after.pk
                if isinstance(email.params, dict) and email.params.get("invitation") == before.pk:
                    email.params = {**email.params, "invitation": after.pk}
                email.save(update_fields=["about_id", "params"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("feedback", "0001_surveys"),
        ("outbox", "0003_waiting_tasks_follow_the_move"),
    ]

    operations = [
        migrations.RunPython(unlink_anonymous_answers, migrations.RunPython.noop, elidable=True),
    ]
