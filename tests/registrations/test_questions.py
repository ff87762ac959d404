"""A forum's own registration questions: asked on the public form (through the stored
submission the worker carries out) and the manage page, checked by kind, shown, exported,
protected once answered, copied with the forum."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from forums.services import forum_duplicate
from registrations import services
from registrations.enums import QuestionKind
from registrations.models import (
    AnswerChoice,
    QuestionChoice,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    SubmittedRegistration,
)

from .test_views import form_data, manage_url, register_url

EMAIL = "siti@supplier.example"


def question(forum, kind, label="Which commodity do you supply?", choices=(), **kw):
    made = RegistrationQuestion.objects.create(forum=forum, kind=kind, label_en=label, **kw)
    for order, (english, spanish) in enumerate(choices):
        QuestionChoice.objects.create(
            question=made, label_en=english, label_es=spanish, order=order
        )
    return made


@pytest.fixture
def commodity(forum):
    return question(
        forum,
        QuestionKind.ONE_CHOICE,
        label_es="¿Qué materia prima suministra?",
        choices=[("Palm oil", "Aceite de palma"), ("Sugar", "Azúcar")],
        required=True,
        order=1,
    )


@pytest.fixture
def certifications(forum):
    return question(
        forum,
        QuestionKind.SEVERAL_CHOICES,
        label="Which certifications do you hold?",
        choices=[("RSPO", ""), ("Bonsucro", ""), ("=cmd", "")],
        order=2,
    )


@pytest.fixture
def audited(forum):
    return question(forum, QuestionKind.YES_NO, label="Audited in the last year?", order=3)


@pytest.fixture
def mills(forum):
    return question(forum, QuestionKind.TEXT, label="Which mills supply you?", order=4)


def choice(q, label):
    return q.choices.get(label_en=label)


def field(q):
    return f"question_{q.pk}"


def answers_of(email=EMAIL):
    """{question label: what the registration answered}, read from the database."""
    registration = Registration.objects.get(person__email=email)
    return {
        answer.question.label_en: answer.shown(english=True)
        for answer in registration.answers.select_related("question")
    }


# --- the public form ---------------------------------------------------------------------------


def test_register_stores_answers_of_every_kind_through_the_submission(
    client, forum, commodity, certifications, audited, mills
):
    response = client.post(
        register_url(forum),
        form_data(
            **{
                field(commodity): str(choice(commodity, "Sugar").pk),
                field(certifications): [
                    str(choice(certifications, "RSPO").pk),
                    str(choice(certifications, "Bonsucro").pk),
                ],
                field(audited): "no",
                field(mills): "  Kilang Sawit Maju  ",
            }
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:sent", args=[forum.slug])
    assert answers_of() == {
        "Which commodity do you supply?": "Sugar",
        "Which certifications do you hold?": "RSPO; Bonsucro",
        "Audited in the last year?": "no",
        "Which mills supply you?": "Kilang Sawit Maju",
    }
    # Carried out and wiped, as every submission.
    assert SubmittedRegistration.objects.get().details == {}


def test_register_optional_questions_may_be_left_unanswered(
    client, forum, commodity, certifications, audited, mills
):
    data = form_data(**{field(commodity): str(choice(commodity, "Palm oil").pk)})
    response = client.post(register_url(forum), data)
    assert response.status_code == 302
    assert answers_of() == {"Which commodity do you supply?": "Palm oil"}


def test_register_required_question_unanswered_is_refused(client, forum, commodity):
    response = client.post(register_url(forum), form_data())
    assert response.status_code == 200
    assert response.context["form"].errors[field(commodity)] == ["This field is required."]
    assert Registration.objects.count() == 0
    assert SubmittedRegistration.objects.count() == 0


@pytest.mark.parametrize(
    "kind, value, error",
    [
        (QuestionKind.ONE_CHOICE, "other", "unknown"),
        (QuestionKind.ONE_CHOICE, "²", "unknown"),
        (QuestionKind.ONE_CHOICE, "1\x00", "nul"),
        (QuestionKind.ONE_CHOICE, "9" * 10_000, "unknown"),
        (QuestionKind.SEVERAL_CHOICES, "other", "unknown"),
        (QuestionKind.SEVERAL_CHOICES, "²", "unknown"),
        (QuestionKind.SEVERAL_CHOICES, "9" * 10_000, "unknown"),
        (QuestionKind.YES_NO, "maybe", "unknown"),
        (QuestionKind.YES_NO, "²", "unknown"),
        (QuestionKind.YES_NO, "yes\x00", "nul"),
        (QuestionKind.TEXT, "x" * 10_000, "long"),
        (QuestionKind.TEXT, "Palm\x00oil", "nul"),
    ],
)
def test_register_bad_answer_is_a_form_error_and_saves_nothing(client, forum, kind, value, error):
    asked = question(forum, kind, choices=[("Palm oil", ""), ("Sugar", "")], required=True)
    response = client.post(register_url(forum), form_data(**{field(asked): value}))
    if error == "nul":
        # Refused before any view by config.params.RefuseNulMiddleware, with its message.
        assert response.status_code == 400
        assert response.content.decode() == (
            "The request contains a NUL character, which no field accepts."
        )
    else:
        assert response.status_code == 200
        errors = response.context["form"].errors[field(asked)]
        if error == "unknown":
            assert errors == [
                f"Select a valid choice. {value} is not one of the available choices."
            ]
        else:
            assert errors == ["Ensure this value has at most 1000 characters (it has 10000)."]
    assert Registration.objects.count() == 0
    assert SubmittedRegistration.objects.count() == 0
    assert RegistrationAnswer.objects.count() == 0


def test_register_another_questions_choice_id_is_refused(client, forum, commodity, make_forum):
    other = question(make_forum(slug="other-forum"), QuestionKind.ONE_CHOICE, choices=[("X", "")])
    foreign = str(other.choices.get().pk)
    response = client.post(register_url(forum), form_data(**{field(commodity): foreign}))
    assert response.status_code == 200
    assert response.context["form"].errors[field(commodity)] == [
        f"Select a valid choice. {foreign} is not one of the available choices."
    ]
    assert Registration.objects.count() == 0


def test_register_hidden_question_is_not_asked_and_its_answer_is_ignored(client, forum, commodity):
    commodity.hidden = True
    commodity.save()
    page = client.get(register_url(forum))
    assert field(commodity) not in page.context["form"].fields
    assert f'name="{field(commodity)}"' not in page.content.decode()
    sugar = str(choice(commodity, "Sugar").pk)
    response = client.post(register_url(forum), form_data(**{field(commodity): sugar}))
    assert response.status_code == 302
    assert answers_of() == {}


def test_register_question_and_choices_in_spanish_fall_back_to_english(
    client, forum, commodity, certifications
):
    with translation.override("es"):
        form = client.get(register_url(forum), HTTP_ACCEPT_LANGUAGE="es").context["form"]
        assert form.fields[field(commodity)].label == "¿Qué materia prima suministra?"
        assert form.fields[field(commodity)].choices == [
            (str(choice(commodity, "Palm oil").pk), "Aceite de palma"),
            (str(choice(commodity, "Sugar").pk), "Azúcar"),
        ]
        # No Spanish text: the English one, marked optional in Spanish.
        assert str(form.fields[field(certifications)].label) == (
            "Which certifications do you hold? (opcional)"
        )
        assert form.fields[field(certifications)].choices[0][1] == "RSPO"


def test_answers_travel_through_the_held_registrations_confirmation(
    forum, commodity, make_forum, register, make_details
):
    register(make_forum(slug="earlier"), EMAIL)  # known address, not yet in this forum
    sugar = str(choice(commodity, "Sugar").pk)
    outcome = services.registration_create(
        forum=forum,
        details=make_details(EMAIL, answers={str(commodity.pk): sugar}),
        workshops=[],
        proven=False,
    )
    assert outcome.held is not None
    assert outcome.held.details["answers"] == {str(commodity.pk): sugar}
    assert RegistrationAnswer.objects.count() == 0
    services.registration_confirm_held(held=outcome.held)
    assert [a.shown(english=True) for a in RegistrationAnswer.objects.all()] == ["Sugar"]


@pytest.mark.parametrize("value", ["Sugar", "gone", ["gone"], 7, None])
def test_service_keeps_only_choices_the_question_offers_by_id(
    forum, commodity, certifications, register, value
):
    """What reaches the service (a stored submission, a held registration) is read again
    against the questions as they are: a choice by its id, never by its label; a choice
    deleted since, or any other value, is left out."""
    gone = QuestionChoice.objects.create(question=commodity, label_en="Cocoa")
    gone_id = str(gone.pk)
    gone.delete()
    value = [gone_id] if value == ["gone"] else gone_id if value == "gone" else value
    register(forum, EMAIL, answers={str(commodity.pk): value, str(certifications.pk): value})
    assert answers_of() == {}


# --- the manage page ---------------------------------------------------------------------------


def test_manage_page_shows_and_changes_answers(client, forum, commodity, audited, register):
    palm, sugar = choice(commodity, "Palm oil"), choice(commodity, "Sugar")
    registration = register(
        forum, EMAIL, answers={str(commodity.pk): str(palm.pk), str(audited.pk): "yes"}
    ).registration
    url = manage_url(registration)
    page = client.get(url)
    form = page.context["details_form"]
    assert form[field(commodity)].value() == str(palm.pk)
    assert form[field(audited)].value() == "yes"
    assert [(a.question.label_en, a.shown()) for a in page.context["answers"]] == [
        ("Which commodity do you supply?", "Palm oil"),
        ("Audited in the last year?", "Yes"),
    ]
    details = form.initial | {"action": "details", field(commodity): str(sugar.pk)}
    details = {k: v for k, v in details.items() if v is not None and k != field(audited)}
    response = client.post(url, details)
    assert response.status_code == 302
    assert answers_of() == {"Which commodity do you supply?": "Sugar"}


def test_manage_page_bad_answer_changes_nothing(client, forum, commodity, register):
    palm = choice(commodity, "Palm oil")
    registration = register(forum, EMAIL, answers={str(commodity.pk): str(palm.pk)}).registration
    url = manage_url(registration)
    form = client.get(url).context["details_form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    response = client.post(url, data | {"action": "details", field(commodity): "²"})
    assert response.status_code == 200
    assert response.context["details_form"].errors[field(commodity)] == [
        "Select a valid choice. ² is not one of the available choices."
    ]
    assert answers_of() == {"Which commodity do you supply?": "Palm oil"}


def test_manage_keeps_the_answer_to_a_hidden_question(client, forum, commodity, mills, register):
    palm = choice(commodity, "Palm oil")
    registration = register(
        forum, EMAIL, answers={str(commodity.pk): str(palm.pk), str(mills.pk): "Maju"}
    ).registration
    mills.hidden = True
    mills.save()
    url = manage_url(registration)
    form = client.get(url).context["details_form"]
    assert field(mills) not in form.fields
    data = {k: v for k, v in form.initial.items() if v is not None}
    response = client.post(url, data | {"action": "details", field(commodity): str(palm.pk)})
    assert response.status_code == 302
    assert answers_of() == {
        "Which commodity do you supply?": "Palm oil",
        "Which mills supply you?": "Maju",
    }


@pytest.mark.parametrize("count", [1, 3])
def test_manage_page_query_count_does_not_grow_with_questions(
    client, forum, register, count, django_assert_num_queries
):
    answers = {}
    for index in range(count):
        asked = question(
            forum, QuestionKind.ONE_CHOICE, label=f"Q{index}", choices=[("A", ""), ("B", "")]
        )
        answers[str(asked.pk)] = str(asked.choices.first().pk)
    registration = register(forum, EMAIL, answers=answers).registration
    url = manage_url(registration)
    # As with no questions (test_views), plus the questions' choices and the answers' choices.
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["answers"]) == count
    assert response.content.decode().count('class="answer"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_register_page_query_count_does_not_grow_with_questions(
    client, forum, count, django_assert_num_queries
):
    for index in range(count):
        question(forum, QuestionKind.ONE_CHOICE, label=f"Q{index}", choices=[("A", ""), ("B", "")])
    with django_assert_num_queries(4):
        response = client.get(register_url(forum))
    assert len(response.context["form"].questions) == count


# --- the secretariat -----------------------------------------------------------------------------


def test_export_has_one_column_per_question_with_formulas_escaped(
    forum, commodity, certifications, audited, mills, register
):
    hidden = question(forum, QuestionKind.TEXT, label="Old question", order=9)
    register(
        forum,
        EMAIL,
        answers={
            str(certifications.pk): [str(choice(certifications, "=cmd").pk)],
            str(mills.pk): '=HYPERLINK("http://x")',
            str(audited.pk): "yes",
            str(hidden.pk): "kept",
        },
    )
    hidden.hidden = True
    hidden.save()
    register(forum, "other@supplier.example")
    out = io.StringIO()
    call_command("export_registrations", forum.slug, stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert rows[0][-5:] == [
        f"question:{commodity.pk}:Which commodity do you supply?",
        f"question:{certifications.pk}:Which certifications do you hold?",
        f"question:{audited.pk}:Audited in the last year?",
        f"question:{mills.pk}:Which mills supply you?",
        f"question:{hidden.pk}:Old question",
    ]
    by_email = {row[0]: row[-5:] for row in rows[1:]}
    assert by_email == {
        EMAIL: ["", "'=cmd", "yes", '\'=HYPERLINK("http://x")', "kept"],
        "other@supplier.example": ["", "", "", "", ""],
    }


def test_admin_registration_page_shows_answers(staff_client, forum, commodity, audited, register):
    sugar = choice(commodity, "Sugar")
    registration = register(
        forum, EMAIL, answers={str(commodity.pk): str(sugar.pk), str(audited.pk): "no"}
    ).registration
    page = staff_client.get(
        reverse("admin:registrations_registration_change", args=[registration.pk])
    )
    html = page.content.decode()
    block = html[html.index('<div class="readonly"><table>') :]
    block = block[: block.index("</table>")]
    assert block.count('class="answer"') == 2
    assert (
        '<th scope="row">Which commodity do you supply?</th><td class="answer">Sugar</td>' in block
    )
    assert '<th scope="row">Audited in the last year?</th><td class="answer">no</td>' in block


def test_admin_refuses_to_delete_an_answered_question(staff_client, forum, commodity, register):
    register(forum, EMAIL, answers={str(commodity.pk): str(choice(commodity, "Sugar").pk)})
    url = reverse("admin:registrations_registrationquestion_delete", args=[commodity.pk])
    response = staff_client.post(url, {"post": "yes"}, follow=True)
    assert response.redirect_chain == [
        (reverse("admin:registrations_registrationquestion_change", args=[commodity.pk]), 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "“Which commodity do you supply?” has been answered, so it cannot be deleted: its "
        "answers are kept. Tick “hidden” to stop asking it."
    ]
    assert RegistrationQuestion.objects.filter(pk=commodity.pk).exists()
    assert RegistrationAnswer.objects.count() == 1


def test_admin_deletes_an_unanswered_question(staff_client, forum, commodity):
    url = reverse("admin:registrations_registrationquestion_delete", args=[commodity.pk])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not RegistrationQuestion.objects.filter(pk=commodity.pk).exists()


def test_answered_question_and_choice_are_protected_in_the_database(forum, commodity, register):
    from django.db.models import ProtectedError

    register(forum, EMAIL, answers={str(commodity.pk): str(choice(commodity, "Sugar").pk)})
    with pytest.raises(ProtectedError):
        commodity.delete()
    with pytest.raises(ProtectedError):
        choice(commodity, "Sugar").delete()
    assert AnswerChoice.objects.count() == 1


def test_admin_refuses_to_delete_a_chosen_choice(staff_client, forum, commodity, register):
    sugar, palm = choice(commodity, "Sugar"), choice(commodity, "Palm oil")
    register(forum, EMAIL, answers={str(commodity.pk): str(sugar.pk)})
    url = reverse("admin:registrations_registrationquestion_change", args=[commodity.pk])
    data = {
        "forum": forum.pk,
        "kind": QuestionKind.ONE_CHOICE,
        "label_en": commodity.label_en,
        "label_es": commodity.label_es,
        "required": "on",
        "order": "1",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "2",
        "choices-0-id": str(palm.pk),
        "choices-0-question": str(commodity.pk),
        "choices-0-label_en": "Palm oil",
        "choices-0-order": "0",
        "choices-1-id": str(sugar.pk),
        "choices-1-question": str(commodity.pk),
        "choices-1-label_en": "Sugar",
        "choices-1-order": "1",
        "choices-1-DELETE": "on",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "Deleting choice Sugar would require deleting the following protected related "
        f"objects: answer choice {RegistrationAnswer.objects.get().pk} – {sugar.pk}"
    ]
    assert set(commodity.choices.values_list("label_en", flat=True)) == {"Palm oil", "Sugar"}
    # Without deleting it, the same page saves (the label corrected).
    del data["choices-1-DELETE"]
    data["choices-1-label_en"] = "Cane sugar"
    assert staff_client.post(url, data).status_code == 302
    assert answers_of() == {"Which commodity do you supply?": "Cane sugar"}


def test_duplicating_a_forum_copies_its_questions(forum, commodity, certifications, register):
    certifications.hidden = True
    certifications.save()
    register(forum, EMAIL, answers={str(commodity.pk): str(choice(commodity, "Sugar").pk)})
    copy = forum_duplicate(forum=forum, starts_at=forum.starts_at + timedelta(days=365))
    copied = [
        (
            q.kind,
            q.label_en,
            q.label_es,
            q.required,
            q.hidden,
            q.order,
            [(c.label_en, c.label_es, c.order) for c in q.choices.all()],
        )
        for q in copy.registration_questions.order_by("order")
    ]
    assert copied == [
        (
            "one_choice",
            "Which commodity do you supply?",
            "¿Qué materia prima suministra?",
            True,
            False,
            1,
            [("Palm oil", "Aceite de palma", 0), ("Sugar", "Azúcar", 1)],
        ),
        (
            "several_choices",
            "Which certifications do you hold?",
            "",
            False,
            True,
            2,
            [("RSPO", "", 0), ("Bonsucro", "", 1), ("=cmd", "", 2)],
        ),
    ]
    assert RegistrationAnswer.objects.filter(question__forum=copy).count() == 0
    # The source keeps its own.
    assert forum.registration_questions.count() == 2
    assert QuestionChoice.objects.filter(question__forum=forum).count() == 5


@pytest.mark.parametrize("count", [1, 3])
def test_admin_question_list_query_count(staff_client, forum, count, django_assert_num_queries):
    for index in range(count):
        question(forum, QuestionKind.TEXT, label=f"Q{index}")
    url = reverse("admin:registrations_registrationquestion_changelist")
    with django_assert_num_queries(6):
        page = staff_client.get(url)
    assert page.context["cl"].result_count == count


@pytest.mark.parametrize("count", [1, 3])
def test_admin_registration_page_query_count_with_answers(
    staff_client, forum, register, count, django_assert_num_queries
):
    answers = {}
    for index in range(count):
        asked = question(
            forum, QuestionKind.SEVERAL_CHOICES, label=f"Q{index}", choices=[("A", "")]
        )
        answers[str(asked.pk)] = [str(asked.choices.get().pk)]
    registration = register(forum, EMAIL, answers=answers).registration
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    with django_assert_num_queries(10):
        page = staff_client.get(url)
    assert page.content.decode().count('<td class="answer">A</td>') == count
