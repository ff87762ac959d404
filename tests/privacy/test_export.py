import json

from django.core.management import call_command
from django.urls import reverse

from privacy.selectors import person_export


def test_person_export_holds_their_data_and_nothing_of_another(make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    ravi = make_someone("Ravi", "Kumar", "ravi@mill.example")
    data = person_export(siti.person)
    assert data["person"]["first_name"] == "Siti"
    assert data["person"]["email"] == "siti@supplier.example"
    assert data["person"]["phone"] == "+60 3 1234"
    [registration] = data["registrations"]
    assert registration["forum"] == "kl"
    assert registration["dietary_needs"] == "Halal"
    assert registration["accessibility_needs"] == "Wheelchair"
    assert registration["workshops"] == [
        {"code": "A1", "title": "Workshop A1", "status": "confirmed"}
    ]
    assert registration["answers"] == [
        {"question": "Which commodity do you supply?", "answer": "Palm oil from Rahman"}
    ]
    assert [c["workshop"] for c in registration["checkins"]] == [None]
    [invitation] = registration["survey_invitations"]
    assert invitation["answered"] is True
    assert {a["question"]: (a["number"], a["text"]) for a in invitation["answers"]} == {
        "overall": (4, ""),
        "comments": (None, "Thanks, Siti"),
    }
    assert [h["email"] for h in data["held_registrations"]] == ["SITI@SUPPLIER.EXAMPLE"]
    assert [s["email"] for s in data["submitted_registrations"]] == ["siti@supplier.example"]
    assert [(e["to"], e["subject"]) for e in data["emails"]] == [
        ("siti@supplier.example", "Your link, Siti")
    ]
    text = json.dumps(data)
    for other in ("Ravi", "Kumar", "ravi@mill.example", str(ravi.registration.secret)):
        assert other not in text


def test_person_export_leaves_out_anonymous_survey_answers(make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    survey = siti.feedback.response.survey
    survey.anonymous = True
    survey.save()
    [invitation] = person_export(siti.person)["registrations"][0]["survey_invitations"]
    assert invitation == {
        "forum": "kl",
        "sent_at": None,
        "reminded_at": None,
        "answered": True,
    }


def test_manage_export_downloads_the_registrants_json(client, make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    make_someone("Ravi", "Kumar", "ravi@mill.example")
    response = client.get(reverse("privacy:manage_export", args=[siti.registration.secret]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data == json.loads(json.dumps(person_export(siti.person)))
    assert data["person"]["email"] == "siti@supplier.example"


def test_manage_page_links_to_the_download_and_the_erasure(client, make_someone):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    secret = siti.registration.secret
    page = client.get(reverse("registrations:manage", args=[secret])).content.decode()
    assert f'href="{reverse("privacy:manage_export", args=[secret])}" download>' in page
    assert f'href="{reverse("privacy:manage_erase", args=[secret])}">' in page


def test_manage_export_with_a_wrong_token_is_404(client, make_someone):
    make_someone("Siti", "Rahman", "siti@supplier.example")
    response = client.get(reverse("privacy:manage_export", args=["A" * 43]))
    assert response.status_code == 404


def test_export_person_command_prints_the_same_json(make_someone, capsys):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    call_command("export_person", "SITI@supplier.example")
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(person_export(siti.person)))


def test_desk_person_data_downloads_their_json(client, make_someone, forum_manager):
    siti = make_someone("Siti", "Rahman", "siti@supplier.example")
    client.force_login(forum_manager)
    response = client.get(reverse("privacy:person_data", args=[siti.person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="person-{siti.person.pk}.json"'
    assert json.loads(response.content)["person"]["last_name"] == "Rahman"
