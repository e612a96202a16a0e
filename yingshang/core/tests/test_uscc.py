import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from yingshang.core.forms import USCCFormField
from yingshang.core.uscc import ALPHABET, check_character, is_valid_uscc, make_uscc, uscc_problem, validate_uscc

# Codes printed on real business licences (public registrations).
REAL_CODES = ["91110108551385082Q", "91440300708461136T"]
GOOD = "91310000MA1FL4J73A"  # well-formed, with the right check character


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert is_valid_uscc(code)


def test_lower_case_and_surrounding_spaces_are_normalised():
    assert is_valid_uscc("  91310000ma1fl4j73a ")
    field = USCCFormField()
    assert field.clean(" 91310000ma1fl4j73a\t") == GOOD


@pytest.mark.parametrize("code,fragment", [
    ("91310000MA1FL4J73", "18 characters"),           # too short
    ("91310000MA1FL4J73AX", "18 characters"),         # too long
    ("", "18 characters"),
    ("91310000MA1FL4J7IA", "Character 17"),           # I is not in the alphabet
    ("9131000OMA1FL4J73A", "Character 8"),            # letter O for zero
    ("91310000MA1FL4J-3A", "Character 16"),           # punctuation
    ("91310000MA1FL4J73U", "should be “A”"),          # wrong check character
    ("91310000MA1FL4J37A", "check character"),        # two digits swapped
])
def test_each_kind_of_wrong_code_says_what_is_wrong(code, fragment):
    with translation.override("en"):
        problem = uscc_problem(code)
    assert problem is not None and fragment in problem
    assert not is_valid_uscc(code)


def test_validator_raises_a_field_error_in_chinese_by_default():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as err:
            validate_uscc("91310000MA1FL4J73U")
    assert "校验码" in err.value.messages[0]
    assert err.value.code == "invalid_uscc"


def test_form_field_error():
    class F(forms.Form):
        uscc = USCCFormField()

    with translation.override("en"):
        form = F({"uscc": "91310000MA1FL4J73U"})
        assert not form.is_valid()
        assert "check character" in form.errors["uscc"][0]


body = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(body)
def test_appending_the_check_character_always_gives_a_valid_code(first17):
    assert is_valid_uscc(first17 + check_character(first17))


@given(body, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_changing_any_one_character_is_detected(first17, position, replacement):
    code = first17 + check_character(first17)
    changed = code[:position] + replacement + code[position + 1:]
    assert is_valid_uscc(changed) == (changed == code)


def test_generated_demo_codes_are_valid():
    assert all(is_valid_uscc(make_uscc("220174", n)) for n in range(0, 5000, 7))
