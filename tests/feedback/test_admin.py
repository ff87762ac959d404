"""The survey in the admin: made from the template, its questions edited per forum with checks,
the actions, the progress, and the link from the forum's page."""

import re

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from feedback.models import Answer, Question, Response, Survey


def formset_data(survey, change=None):
    """The survey's change form as the admin shows it, with `change(question, row)` applied."""
    questions = list(survey.questions.order_by("position"))
    data = {
        "anonymous": "",
        "closes_at_0": "",
        "closes_at_1": "",
        "intro_en": "",
        "intro_es": "",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for n, q in enumerate(questions):
        row = {
            "id": str(q.pk),
            "survey": str(survey.pk),
            "position": str(q.position),
            "key": q.key,
            "section_en": q.section_en,
            "section_es": q.section_es,
            "text_en": q.text_en,
            "text_es": q.text_es,
            "kind": q.kind,
            "scope": q.scope,
            "required": "on" if q.required else "",
            "choices": "\n".join(f"{c['key']} | {c['en']} | {c['es']}" for c in q.choices),
        }
        if change:
            change(q, row)
        data.update({f"questions-{n}-{k}": v for k, v in row.items() if v != ""})
    return data


def test_admin_add_survey_copies_the_template(staff_client, forum):
    page = staff_client.post(reverse("admin:feedback_survey_add"), {"forum": forum.pk})

    survey = Survey.objects.get()
    assert page.status_code == 302
    assert survey.questions.count() == 9


def test_admin_edits_a_question_and_its_choices(staff_client, survey):
    def change(q, row):
        if q.key == "overall":
            row["text_en"] = "Overall, how was the day?"
            row["required"] = ""
        if q.key == "topics":
            row["choices"] = "water | Water | Agua\nwages | Wages | Salarios"

    page = staff_client.post(
        reverse("admin:feedback_survey_change", args=[survey.pk]), formset_data(survey, change)
    )

    assert page.status_code == 302
    overall = Question.objects.get(key="overall")
    assert (overall.text_en, overall.required) == ("Overall, how was the day?", False)
    assert Question.objects.get(key="topics").choices == [
        {"key": "water", "en": "Water", "es": "Agua"},
        {"key": "wages", "en": "Wages", "es": "Salarios"},
    ]


def errors_of(page):
    return [
        (form.instance.key, dict(form.errors))
        for formset in page.context["inline_admin_formsets"]
        for form in formset.formset.forms
        if form.errors
    ]


def test_admin_refuses_choices_on_a_rating_and_duplicate_keys(staff_client, survey):
    def change(q, row):
        if q.key == "overall":
            row["choices"] = "a | A | A\nb | B | B"
        if q.key == "comments":
            row["key"] = "change"

    page = staff_client.post(
        reverse("admin:feedback_survey_change", args=[survey.pk]), formset_data(survey, change)
    )

    assert page.status_code == 200
    assert errors_of(page) == [
        (
            "overall",
            {"choices": ["Only questions with one or several choices have choices."]},
        ),
        ("change", {"key": ["Another question of this survey has this key."]}),
    ]
    assert Question.objects.get(key="overall").choices == []


def test_admin_refuses_changing_the_kind_of_a_question_with_answers(staff_client, survey):
    response = Response.objects.create(survey=survey, submitted_at=survey.forum.starts_at)
    Answer.objects.create(response=response, question=survey.questions.get(key="overall"), number=4)

    def change(q, row):
        if q.key == "overall":
            row["kind"] = "recommend"

    page = staff_client.post(
        reverse("admin:feedback_survey_change", args=[survey.pk]), formset_data(survey, change)
    )

    assert errors_of(page) == [
        (
            "overall",
            {
                "kind": [
                    "This question has answers: its key, kind and scope can no longer change. "
                    "Add a new question instead."
                ]
            },
        )
    ]
    assert Question.objects.get(key="overall").kind == "rating"


def test_admin_open_action_invites_and_shows_progress(
    staff_client, survey, attendee, django_capture_on_commit_callbacks
):
    attendee(email="ana@supplier.example")
    attendee(email="luis@supplier.example")
    mail.outbox.clear()

    # The action e-mails nobody: it leads to the page that says how many it will e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        chosen = staff_client.post(
            reverse("admin:feedback_survey_changelist"),
            {"action": "open_survey", ACTION_CHECKBOX_NAME: [survey.pk]},
        )
    assert mail.outbox == []
    confirmation = staff_client.get(chosen["Location"]).content.decode()
    assert "This will e-mail 2 people." in confirmation
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(chosen["Location"], {"confirm": "yes"})

    assert len(mail.outbox) == 2
    html = staff_client.get(reverse("admin:feedback_survey_change", args=[survey.pk])).content
    progress = dict(re.findall(r"id='progress-(\w+)'>(.*?)</dd>", html.decode()))
    assert progress == {
        "invited": "2",
        "invitations": "2 / 2 / 0",
        "reminders": "0 / 0",
        "answered": "0",
        "responses": "0 of 2 attendees (0%)",
    }


def test_admin_forum_page_links_to_its_survey(staff_client, forum, survey):
    html = staff_client.get(reverse("admin:forums_forum_change", args=[forum.pk])).content.decode()

    link = reverse("admin:feedback_survey_change", args=[survey.pk])
    assert re.search(rf'<a href="{link}">(.*?)</a>', html).group(1) == "Feedback survey (Draft)"


def test_admin_survey_page_links_to_its_results(staff_client, forum, survey):
    html = staff_client.get(
        reverse("admin:feedback_survey_change", args=[survey.pk])
    ).content.decode()

    assert re.findall(r'<a href="([^"]+)">Results</a>', html) == [
        f"/forums/{forum.slug}/feedback/results/"
    ]
