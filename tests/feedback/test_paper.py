"""Paper forms: typed in one by one in the admin, or imported (command and admin), all or
nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from feedback.models import Answer, Question, Response, Survey, SurveyInvitation
from registrations.spreadsheets import write_xlsx


def qid(key):
    return Question.objects.get(key=key).pk


def state():
    return (
        list(Response.objects.values_list("id", flat=True)),
        list(Answer.objects.values_list("id", flat=True)),
        list(SurveyInvitation.objects.values_list("registration_id", "responded_at")),
    )


def test_paper_entry_records_a_named_response(staff_client, survey, attendee, workshop):
    registration = attendee(email="ana@supplier.example")
    url = reverse("admin:feedback_survey_paper", args=[survey.pk])

    page = staff_client.post(
        url,
        {
            "email": "ANA@supplier.example",
            f"answers-q{qid('helpful')}": "1",
            f"answers-q{qid('workshop')}_w{workshop('B2').pk}": "3",
        },
    )

    assert page.status_code == 302
    response = Response.objects.get()
    assert (response.source, response.invitation.registration) == ("paper", registration)
    answers = {(a.question.key, a.workshop_id): a.number for a in Answer.objects.all()}
    assert answers == {("helpful", None): 1, ("workshop", workshop("B2").pk): 3}


@pytest.mark.parametrize(
    "email, message",
    [
        ("", "Enter the e-mail address the person registered with."),
        ("nobody@supplier.example", "No registration for this forum has this address."),
        (
            "absent@supplier.example",
            "This person was not checked in at this forum. Check them in first if they came, "
            "then enter the form again.",
        ),
    ],
)
def test_paper_entry_refusals_keep_the_data(
    staff_client, survey, attendee, register, forum, email, message
):
    register(forum, email="absent@supplier.example")
    before = state()

    page = staff_client.post(
        reverse("admin:feedback_survey_paper", args=[survey.pk]),
        {"email": email, f"answers-q{qid('overall')}": "4"},
    )

    assert page.status_code == 200
    assert list(page.context["who"].errors["email"]) == [message]
    assert page.context["answers"][f"q{qid('overall')}"].value() == "4"
    assert state() == before


def test_paper_entry_out_of_range_is_refused(staff_client, survey, attendee):
    attendee(email="ana@supplier.example")
    before = state()

    page = staff_client.post(
        reverse("admin:feedback_survey_paper", args=[survey.pk]),
        {"email": "ana@supplier.example", f"answers-q{qid('overall')}": "999"},
    )

    assert page.context["answers"].errors == {
        f"q{qid('overall')}": ["Choose a number from 1 to 5."]
    }
    assert state() == before


def test_paper_entry_anonymous_without_email(staff_client, survey):
    Survey.objects.filter(pk=survey.pk).update(anonymous=True)

    staff_client.post(
        reverse("admin:feedback_survey_paper", args=[survey.pk]),
        {"email": "", f"answers-q{qid('overall')}": "5"},
    )

    response = Response.objects.get()
    assert (response.invitation, response.source) == (None, "paper")
    assert Answer.objects.get().number == 5


def write(tmp_path, text, name="forms.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = (
    "email,helpful,overall,recommend,topics,comments,workshop:A1,"
    "facilitator:A1:White,workshop_comment:A1\n"
)


def test_import_feedback_command_imports_every_row(
    tmp_path, survey, attendee, workshop, facilitators, capsys
):
    ana = attendee(email="ana@supplier.example")
    attendee(email="luis@supplier.example")
    path = write(
        tmp_path,
        HEADER
        + "ana@supplier.example,sí,5,10,Environment;a1,=HYPERLINK(1),4,5,Good\n"
        + "luis@supplier.example,0,2,3,,,,,\n",
    )

    call_command("import_feedback", "kl-2036", str(path))

    assert capsys.readouterr().out.splitlines() == [
        "Rows read: 2",
        "Responses: 2 (2 with an e-mail address, 0 without)",
    ]
    ana_response = Response.objects.get(invitation__registration=ana)
    answers = {
        (a.question.key, a.workshop_id, a.facilitator_id): (a.number, a.choices, a.text)
        for a in ana_response.answers.all()
    }
    assert answers == {
        ("helpful", None, None): (1, [], ""),
        ("overall", None, None): (5, [], ""),
        ("recommend", None, None): (10, [], ""),
        ("topics", None, None): (None, ["environment", "A1"], ""),
        ("comments", None, None): (None, [], "=HYPERLINK(1)"),
        ("workshop", workshop("A1").pk, None): (4, [], ""),
        ("facilitator", workshop("A1").pk, facilitators["lara"].pk): (5, [], ""),
        ("workshop_comment", workshop("A1").pk, None): (None, [], "Good"),
    }
    assert Response.objects.filter(source="import").count() == 2
    assert SurveyInvitation.objects.filter(responded_at__isnull=False).count() == 2


def test_import_feedback_xlsx(tmp_path, survey, attendee):
    attendee(email="ana@supplier.example")
    path = tmp_path / "forms.xlsx"
    path.write_bytes(write_xlsx(["email", "overall"], [["ana@supplier.example", 3]]))

    call_command("import_feedback", "kl-2036", str(path))

    assert Answer.objects.get().number == 3


@pytest.mark.parametrize(
    "rows, problems",
    [
        (
            "email,overall\nnobody@supplier.example,4\n",
            [
                "Row 2, column email: no registration for this forum has the address "
                "nobody@supplier.example"
            ],
        ),
        (
            "email,overall\nabsent@supplier.example,4\n",
            [
                "Row 2, column email: This person was not checked in at this forum. Check them in "
                "first if they came, then enter the form again."
            ],
        ),
        (
            "email,overall\nana@supplier.example,999\n",
            ["Row 2, column overall: Choose a number from 1 to 5. (it says '999')"],
        ),
        (
            "email,overall,mood\nana@supplier.example,4,happy\n",
            [
                "Row 1, column mood: unknown column. Use email, the question keys (change, "
                "comments, helpful, overall, recommend, topics), workshop:<code>, "
                "workshop_comment:<code> or facilitator:<code>:<surname>"
            ],
        ),
        (
            "email,workshop:Z9\nana@supplier.example,4\n",
            [
                "Row 1, column workshop:z9: no workshop of this forum has the code 'z9'. The codes "
                "are: A1, A2, B1, B2"
            ],
        ),
        (
            "email,facilitator:A1:Smith\nana@supplier.example,4\n",
            [
                "Row 1, column facilitator:a1:smith: this workshop has no facilitator with this "
                "surname. Its facilitators: White"
            ],
        ),
        (
            "overall\n4\n",
            ["Row 1, column email: the column 'email' is missing: this survey is not anonymous"],
        ),
    ],
)
def test_import_feedback_refusals_change_nothing(
    tmp_path, survey, attendee, register, forum, capsys, rows, problems
):
    attendee(email="ana@supplier.example")
    register(forum, email="absent@supplier.example")
    before = state()

    with pytest.raises(CommandError) as refused:
        call_command("import_feedback", "kl-2036", str(write(tmp_path, rows)))

    assert capsys.readouterr().err.splitlines() == problems
    assert str(refused.value).startswith(f"{len(problems)} problem(s) found; nothing was imported")
    assert state() == before


def test_import_feedback_one_bad_row_imports_nothing(tmp_path, survey, attendee, capsys):
    attendee(email="ana@supplier.example")
    attendee(email="luis@supplier.example")
    before = state()
    path = write(tmp_path, "email,overall\nana@supplier.example,4\nluis@supplier.example,6\n")

    with pytest.raises(CommandError):
        call_command("import_feedback", "kl-2036", str(path))

    assert capsys.readouterr().err.splitlines() == [
        "Row 3, column overall: Choose a number from 1 to 5. (it says '6')"
    ]
    assert state() == before


def test_import_feedback_same_file_twice_is_refused(tmp_path, survey, attendee, capsys):
    attendee(email="ana@supplier.example")
    path = write(tmp_path, "email,overall\nana@supplier.example,4\n")
    call_command("import_feedback", "kl-2036", str(path))
    before = state()

    with pytest.raises(CommandError):
        call_command("import_feedback", "kl-2036", str(path))

    assert capsys.readouterr().err.splitlines() == [
        "Row 2, column email: This person has already answered (online or on paper)."
    ]
    assert state() == before


def test_import_feedback_anonymous_without_emails(tmp_path, survey, capsys):
    Survey.objects.filter(pk=survey.pk).update(anonymous=True)

    call_command("import_feedback", "kl-2036", str(write(tmp_path, "overall\n4\n5\n")))

    assert sorted(Answer.objects.values_list("number", flat=True)) == [4, 5]
    assert list(Response.objects.values_list("invitation", flat=True)) == [None, None]


def test_admin_import_lists_problems_and_imports_nothing(staff_client, survey, attendee):
    attendee(email="ana@supplier.example")
    before = state()
    upload = SimpleUploadedFile("forms.csv", b"email,overall\nana@supplier.example,0\n")

    page = staff_client.post(
        reverse("admin:feedback_survey_import", args=[survey.pk]), {"file": upload}
    )

    assert page.context["problems"] == [
        "Row 2, column overall: Choose a number from 1 to 5. (it says '0')"
    ]
    assert state() == before


def test_admin_import_imports(staff_client, survey, attendee):
    attendee(email="ana@supplier.example")
    upload = SimpleUploadedFile("forms.csv", b"email,overall\nana@supplier.example,5\n")

    page = staff_client.post(
        reverse("admin:feedback_survey_import", args=[survey.pk]), {"file": upload}
    )

    assert page.status_code == 302
    assert Answer.objects.get().number == 5
