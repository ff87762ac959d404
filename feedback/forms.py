"""The survey as a form: one field per question, and for questions asked per workshop or per
facilitator, one per workshop attended and per facilitator of it. The answering page, the
secretariat's quick entry of a paper form and the import all check answers with this form."""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from feedback.enums import QuestionKind, QuestionScope
from feedback.models import Answer, Question, Survey
from forums.models import Person
from forums.text import TextValidator
from workshops.models import Workshop

Kind = QuestionKind
Scope = QuestionScope

# The longest free-text answer kept.
TEXT_MAX = 4000
YES, NO = "1", "0"


def column_name(text: str) -> str:
    """A spreadsheet column's name as the import reads headers: lower case, spaces as _."""
    return re.sub(r"\s+", "_", unicodedata.normalize("NFC", text.strip()).lower())


@dataclass(frozen=True)
class Item:
    """One answer a response may hold: a question, for a workshop and a facilitator where the
    question is asked per workshop or per facilitator."""

    question: Question
    workshop: Workshop | None = None
    facilitator: Person | None = None

    @property
    def name(self) -> str:
        """The form field's name."""
        name = f"q{self.question.pk}"
        if self.workshop is not None:
            name += f"_w{self.workshop.pk}"
        if self.facilitator is not None:
            name += f"_f{self.facilitator.pk}"
        return name

    @property
    def column(self) -> str:
        """The import's column: `key`, `key:<workshop code>` or `key:<code>:<surname>`."""
        parts = [self.question.key]
        if self.workshop is not None:
            parts.append(self.workshop.code)
        if self.facilitator is not None:
            parts.append(self.facilitator.last_name)
        return column_name(":".join(parts))

    @property
    def ident(self) -> tuple[int, int | None, int | None]:
        return (
            self.question.pk,
            self.workshop.pk if self.workshop else None,
            self.facilitator.pk if self.facilitator else None,
        )


def survey_items(questions: Sequence[Question], workshops: Iterable[Workshop]) -> list[Item]:
    """Every answer a response may hold, in the order asked. `workshops` are those the person
    attended, with their facilitators prefetched."""
    workshops = list(workshops)
    items: list[Item] = []
    for question in questions:
        if question.scope == Scope.FORUM:
            items.append(Item(question))
        elif question.scope == Scope.WORKSHOP:
            items += [Item(question, workshop) for workshop in workshops]
        else:
            items += [
                Item(question, workshop, person)
                for workshop in workshops
                for person in workshop.facilitators.all()
            ]
    return items


def _choice_label(choice: dict[str, str]) -> str:
    spanish = (get_language() or "en").startswith("es")
    return (choice.get("es") if spanish else choice.get("en")) or choice.get("en") or choice["key"]


def _number_choices(low: int, high: int) -> list[tuple[str, str]]:
    return [(str(n), str(n)) for n in range(low, high + 1)]


def answer_field(item: Item, *, required: bool) -> forms.Field:
    question = item.question
    label: str = question.text
    if item.facilitator is not None:
        label = item.facilitator.full_name
    required = required and question.required
    kind = question.kind
    if kind in (Kind.RATING, Kind.RECOMMEND):
        low, high = (1, 5) if kind == Kind.RATING else (0, 10)
        return forms.TypedChoiceField(
            label=label,
            required=required,
            choices=_number_choices(low, high),
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            error_messages={
                "invalid_choice": _("Choose a number from %(low)s to %(high)s.")
                % {"low": low, "high": high},
                "required": _("Choose a number from %(low)s to %(high)s.")
                % {"low": low, "high": high},
            },
        )
    if kind == Kind.YES_NO:
        return forms.TypedChoiceField(
            label=label,
            required=required,
            choices=[(YES, _("Yes")), (NO, _("No"))],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            error_messages={
                "invalid_choice": _("Choose yes or no."),
                "required": _("Choose yes or no."),
            },
        )
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        choices = [(c["key"], _choice_label(c)) for c in question.choices]
        if kind == Kind.SINGLE:
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Choose one of the answers listed."),
                    "required": _("Choose one answer."),
                },
            )
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": _("Choose from the answers listed."),
                "required": _("Choose at least one answer."),
            },
        )
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        strip=True,
        validators=[TextValidator(max_length=TEXT_MAX)],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write an answer.")},
    )


@dataclass(frozen=True)
class AnswerValue:
    """One answer as the services store it (see feedback.models.Answer)."""

    item: Item
    number: int | None = None
    choices: tuple[str, ...] = ()
    text: str = ""

    @property
    def empty(self) -> bool:
        return self.number is None and not self.choices and not self.text


class AnswerForm(forms.Form):
    """The survey's questions for one person. `enforce_required` is False for paper forms typed
    in by the secretariat: a question left blank on paper stays blank."""

    def __init__(
        self,
        *args: Any,
        items: list[Item],
        enforce_required: bool = True,
        current: dict[tuple[int, int | None, int | None], Answer] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.name] = answer_field(item, required=enforce_required)
        if current:
            for item in items:
                answer = current.get(item.ident)
                if answer is not None:
                    self.initial[item.name] = _initial(item.question, answer)

    def values(self) -> list[AnswerValue]:
        """The answers given (empty ones left out), once the form is valid."""
        values = []
        for item in self.items:
            value = self.cleaned_data.get(item.name)
            kind = item.question.kind
            if kind in (Kind.RATING, Kind.RECOMMEND, Kind.YES_NO):
                answer = AnswerValue(item, number=value)
            elif kind == Kind.SINGLE:
                answer = AnswerValue(item, choices=(value,) if value else ())
            elif kind == Kind.MULTIPLE:
                answer = AnswerValue(item, choices=tuple(value or ()))
            else:
                answer = AnswerValue(item, text=value or "")
            if not answer.empty:
                values.append(answer)
        return values

    def sections(self) -> list[dict[str, Any]]:
        """The fields as the page shows them: by section, questions asked per workshop grouped
        under each workshop (its rating, its facilitators', its comment)."""
        sections: list[dict[str, Any]] = []
        groups: dict[tuple[str, int], dict[str, Any]] = {}
        for item in self.items:
            title = item.question.section
            if not sections or sections[-1]["title"] != title:
                sections.append({"title": title, "blocks": []})
            blocks = sections[-1]["blocks"]
            field = self[item.name]
            if item.workshop is None:
                blocks.append({"field": field, "question": item.question})
                continue
            key = (title, item.workshop.pk)
            group = groups.get(key)
            if group is None:
                group = groups[key] = {"workshop": item.workshop, "parts": []}
                blocks.append(group)
            parts = group["parts"]
            if item.facilitator is not None:
                if not parts or parts[-1].get("question") != item.question:
                    parts.append({"question": item.question, "fields": []})
                parts[-1]["fields"].append(field)
            else:
                parts.append({"question": item.question, "field": field})
        return sections


def _initial(question: Question, answer: Answer) -> Any:
    if question.kind in (Kind.RATING, Kind.RECOMMEND, Kind.YES_NO):
        return "" if answer.number is None else str(answer.number)
    if question.kind == Kind.SINGLE:
        return answer.choices[0] if answer.choices else ""
    if question.kind == Kind.MULTIPLE:
        return list(answer.choices)
    return answer.text


class PaperEntryForm(forms.Form):
    """Who filled in a paper form: their e-mail, needed unless the survey is anonymous."""

    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("The address they registered with."),
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.survey = survey
        if not survey.anonymous:
            self.fields["email"].required = True
            self.fields["email"].error_messages["required"] = _(
                "Enter the e-mail address the person registered with."
            )
        else:
            self.fields["email"].help_text = _(
                "Optional. If given, they are marked as having answered; their answers are not "
                "linked to them."
            )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("One row per paper form. The columns are described in docs/feedback.md."),
    )
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)


# --- the survey's questions in the admin --------------------------------------------------------


class ChoicesField(forms.CharField):
    """The choices of a question, one a line: `key | English | Spanish`."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 50})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(
                " | ".join([c.get("key", ""), c.get("en", ""), c.get("es", "")]) for c in value
            )
        return value or ""

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        choices = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts):
                raise ValidationError(
                    _("Line %(n)s: write each choice as “key | English | Spanish”.") % {"n": number}
                )
            key, english, spanish = parts
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,50}", key):
                raise ValidationError(
                    _(
                        "Line %(n)s: a choice's key may hold only letters, digits, - and _ "
                        "(at most 50)."
                    )
                    % {"n": number}
                )
            for text in (english, spanish):
                TextValidator(max_length=200)(text)
            choices.append({"key": key, "en": english, "es": spanish})
        keys = [c["key"].lower() for c in choices]
        if len(set(keys)) != len(keys):
            raise ValidationError(_("Two choices have the same key: give each its own."))
        return choices


class QuestionForm(forms.ModelForm):
    choices = ChoicesField(
        label=_("choices"),
        required=False,
        help_text=_("For one or several choices only: one a line, “key | English | Spanish”."),
    )

    class Meta:
        model = Question
        fields = [
            "position",
            "key",
            "section_en",
            "section_es",
            "text_en",
            "text_es",
            "kind",
            "scope",
            "required",
            "choices",
        ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("section_en", "section_es", "text_en", "text_es"):
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.validators.append(TextValidator(max_length=field.max_length))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        choices = data.get("choices") or []
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            if len(choices) < 2:
                self.add_error("choices", _("Give at least two choices."))
        elif choices:
            self.add_error("choices", _("Only questions with one or several choices have choices."))
        if kind == Kind.TEXT and data.get("scope") == Scope.FACILITATOR:
            self.add_error("scope", _("Ask a free-text question once or per workshop."))
        instance = self.instance
        if instance.pk and instance.answers.exists():
            for name in ("key", "kind", "scope"):
                if name in self.changed_data:
                    self.add_error(
                        name,
                        _(
                            "This question has answers: its key, kind and scope can no longer "
                            "change. Add a new question instead."
                        ),
                    )
            old = {c["key"] for c in instance.choices}
            new = {c["key"] for c in choices}
            if old - new:
                self.add_error(
                    "choices",
                    _("This question has answers: its choices can be renamed, not removed."),
                )
        return data


class QuestionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        # Before the model formset's own uniqueness check, which says only "duplicate values".
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data:
                continue
            if data.get("DELETE"):
                if form.instance.pk and form.instance.answers.exists():
                    raise ValidationError(
                        _(
                            "The question “%(key)s” has answers and cannot be deleted. Make it "
                            "optional instead."
                        )
                        % {"key": form.instance.key}
                    )
                continue
            key = data.get("key")
            if key in seen:
                form.add_error("key", _("Another question of this survey has this key."))
            elif key:
                seen.add(key)
        super().clean()
