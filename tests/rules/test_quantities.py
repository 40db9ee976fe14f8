"""Kubernetes resource quantities: the upstream grammar, exact values, and what is rejected."""

from fractions import Fraction

import pytest

from kubeguard.rules._helpers.quantities import QuantityError, format_quantity, parse_quantity


@pytest.mark.parametrize("text,value", [
    ("500m", Fraction(1, 2)), ("0.5", Fraction(1, 2)), (".5", Fraction(1, 2)), ("1.", Fraction(1)),
    ("2", Fraction(2)), ("+2", Fraction(2)), ("-1", Fraction(-1)),
    ("1Ki", Fraction(1024)), ("1Mi", Fraction(1024 ** 2)), ("1Gi", Fraction(1024 ** 3)),
    ("1.5Gi", Fraction(3 * 1024 ** 3, 2)), ("1Ei", Fraction(1024 ** 6)),
    ("1k", Fraction(1000)), ("1M", Fraction(10 ** 6)), ("1G", Fraction(10 ** 9)), ("1E", Fraction(10 ** 18)),
    ("100n", Fraction(1, 10 ** 7)), ("5u", Fraction(5, 10 ** 6)),
    ("1e3", Fraction(1000)), ("1E3", Fraction(1000)), ("1e-3", Fraction(1, 1000)), ("2.5e+2", Fraction(250)),
    (1, Fraction(1)), (0.25, Fraction(1, 4)), (0.1, Fraction(1, 10)),
])
def test_valid_quantities(text, value):
    assert parse_quantity(text) == value


def test_equivalent_forms_compare_equal():
    assert parse_quantity("500m") == parse_quantity("0.5") == parse_quantity(0.5)
    assert parse_quantity("1Gi") > parse_quantity("1G")
    assert parse_quantity("1024Mi") == parse_quantity("1Gi")


@pytest.mark.parametrize("text", [
    "", " 1", "1 ", "1.5.5", "1e", "1Kb", "1KB", "1ki", "1mi", "one", "1 Gi", "Gi", "--1", "1e1.5", True, None,
    [], float("nan"), "1m5",
])
def test_invalid_quantities(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)


def test_format_for_messages():
    assert format_quantity(parse_quantity("500m"), "cpu") == "500m"
    assert format_quantity(parse_quantity("2"), "cpu") == "2"
    assert format_quantity(parse_quantity("1Gi"), "memory") == "1Gi"
    assert format_quantity(parse_quantity("1536Mi"), "memory") == "1536Mi"
    assert format_quantity(parse_quantity("100"), "memory") == "100"
