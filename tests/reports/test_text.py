from datetime import date

import pytest

from reports.text import count_text, digits, join_list, long_date, number_word, round_down


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, 0), (9, 9), (70, 70), (99, 99), (100, 100), (153, 150), (159, 150), (230, 230),
     (237, 230), (999, 990), (1000, 1000), (3047, 3000), (3199, 3100), (12_345, 12_000)],
)  # fmt: skip
def test_round_down_never_goes_above_the_count(count, expected):
    assert round_down(count) == expected


@pytest.mark.parametrize(
    ("count", "english", "spanish"),
    [
        (0, "zero", "cero"),
        (1, "one", "un"),
        (4, "four", "cuatro"),
        (10, "ten", "diez"),
        (11, "11", "11"),
        (70, "70", "70"),
        (99, "99", "99"),
        (150, "150", "150"),
        (153, "more than 150", "más de 150"),
        (237, "more than 230", "más de 230"),
        (3047, "more than 3,000", "más de 3000"),
        (12_345, "more than 12,000", "más de 12 000"),
    ],
)
def test_count_text_in_both_languages(count, english, spanish):
    assert count_text(count, "en") == english
    assert count_text(count, "es") == spanish


def test_number_words_take_the_gender_of_spanish_nouns():
    assert number_word(1, "es", feminine=True) == "una"
    assert number_word(1, "es") == "un"
    assert number_word(1, "en", feminine=True) == "one"
    assert count_text(1, "es", feminine=True) == "una"
    assert [number_word(n, "en") for n in range(2, 10)] == [
        "two", "three", "four", "five", "six", "seven", "eight", "nine"
    ]  # fmt: skip
    assert [number_word(n, "es") for n in range(2, 10)] == [
        "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"
    ]  # fmt: skip


def test_digits_group_thousands_per_language():
    assert digits(3000, "en") == "3,000"
    assert digits(3000, "es") == "3000"
    assert digits(1_234_567, "en") == "1,234,567"
    assert digits(1_234_567, "es") == "1 234 567"


@pytest.mark.parametrize(
    ("items", "english", "spanish"),
    [
        ([], "", ""),
        (["Unilever"], "Unilever", "Unilever"),
        (["Nestlé", "Unilever"], "Nestlé and Unilever", "Nestlé y Unilever"),
        (
            ["Ferrero", "Nestlé", "PepsiCo", "Unilever"],
            "Ferrero, Nestlé, PepsiCo and Unilever",
            "Ferrero, Nestlé, PepsiCo y Unilever",
        ),
        (["Verité", "Impactt"], "Verité and Impactt", "Verité e Impactt"),
        (["ABC", "Hilton Foods"], "ABC and Hilton Foods", "ABC e Hilton Foods"),
        (["ABC", "Hierro SA"], "ABC and Hierro SA", "ABC y Hierro SA"),
        (["ABC", "Iowa Foods"], "ABC and Iowa Foods", "ABC y Iowa Foods"),
    ],
)
def test_join_list_in_both_languages(items, english, spanish):
    assert join_list(items, "en") == english
    assert join_list(items, "es") == spanish


def test_long_date_in_both_languages():
    assert long_date(date(2017, 10, 24), "en") == "24 October 2017"
    assert long_date(date(2017, 10, 24), "es") == "24 de octubre de 2017"
    assert long_date(date(2017, 9, 1), "es") == "1 de septiembre de 2017"
