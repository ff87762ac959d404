"""forums.text: the checks shared by every way names and titles come in."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from forums.text import TextValidator, is_visible, text_problem


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Siti Rahman",
        "Nestlé",
        "中国食品包装有限公司",
        "محمد",  # right-to-left script, no control characters
        "Ana\u200dMaría",  # a joiner between visible letters
        "x" * 100,
    ],
)
def test_text_problem_acceptable_text_is_none(value):
    assert text_problem(value, max_length=100) is None


def test_text_problem_too_long_says_limit_and_length():
    assert text_problem("x" * 101, max_length=100) == ("Enter at most 100 characters (it has 101).")


def test_text_problem_without_max_length_accepts_any_length():
    assert text_problem("x" * 10_000) is None


@pytest.mark.parametrize(
    "value",
    [
        "\u200b\u200c\u200d",  # zero-width space, non-joiner, joiner
        "\u2060\ufeff",  # word joiner, byte-order mark
        "\u3164\u3164",  # Hangul filler
        "\u115f\u1160\uffa0",
        "\u2800",  # braille blank
        " \u00a0\u2003",  # spaces
        "\u0301\u034f",  # a combining accent on nothing, grapheme joiner
        "\ufe0f",  # variation selector
        "\U000e0041\U000e0042",  # tag characters
        "\u00ad",  # soft hyphen
    ],
)
def test_text_problem_only_invisible_characters_is_refused(value):
    assert text_problem(value, max_length=100) == (
        "Enter visible letters: this contains only invisible characters."
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "Siti\u202eharmaR",
            "Remove the hidden character that changes the direction of the text (U+202E).",
        ),
        (
            "\u2067Acme\u2069 Packaging",
            "Remove the hidden characters that change the direction of the text (U+2067, U+2069).",
        ),
        *(
            (
                f"Acme{char}",
                "Remove the hidden character that changes the direction of the text "
                f"(U+{ord(char):04X}).",
            )
            for char in "\u202a\u202b\u202c\u202d\u2066\u2068"
        ),
    ],
)
def test_text_problem_direction_controls_are_refused(value, message):
    assert text_problem(value, max_length=100) == message


def test_text_problem_length_is_checked_first():
    assert text_problem("\u202e" * 300, max_length=200) == (
        "Enter at most 200 characters (it has 300)."
    )


def test_text_problem_speaks_spanish():
    with translation.override("es"):
        assert text_problem("x" * 101, max_length=100) == (
            "Escriba como máximo 100 caracteres (tiene 101)."
        )
        assert text_problem("\u200b\u200c", max_length=100) == (
            "Escriba letras visibles: esto solo contiene caracteres invisibles."
        )
        assert text_problem("Acme\u202e", max_length=100) == (
            "Quite el carácter oculto que cambia la dirección del texto (U+202E)."
        )


@pytest.mark.parametrize(
    ("value", "code"),
    [("x" * 11, "too_long"), ("\u200c", "invisible"), ("a\u202eb", "direction")],
)
def test_text_validator_raises_with_code(value, code):
    with pytest.raises(ValidationError) as raised:
        TextValidator(max_length=10)(value)

    assert raised.value.code == code
    assert raised.value.messages == [text_problem(value, max_length=10)]


def test_text_validator_accepts_good_text_and_compares_by_limit():
    TextValidator(max_length=10)("Siti")

    assert TextValidator(max_length=10) == TextValidator(max_length=10)
    assert TextValidator(max_length=10) != TextValidator(max_length=11)
    assert TextValidator(max_length=10).deconstruct() == (
        "forums.text.TextValidator",
        (),
        {"max_length": 10},
    )


def test_is_visible():
    assert [is_visible(c) for c in "a é\u200b\u3164中"] == [True, False, True, False, False, True]
