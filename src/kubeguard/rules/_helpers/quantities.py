"""Kubernetes resource quantities (``k8s.io/apimachinery/pkg/api/resource``), parsed exactly.

Grammar (upstream ``ParseQuantity``)::

    quantity        ::= signedNumber suffix
    suffix          ::= binarySI | decimalExponent | decimalSI
    binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei
    decimalSI       ::= n | u | m | "" | k | M | G | T | P | E
    decimalExponent ::= "e" signedNumber | "E" signedNumber
    number          ::= digits | digits "." digits | digits "." | "." digits

Values are returned as :class:`fractions.Fraction` in base units (cores, bytes),
so ``"500m" == "0.5" == 0.5`` and ``"1Gi" == 1073741824`` with no rounding.  YAML
numbers (``cpu: 1``, ``cpu: 0.5``) are accepted as the API server accepts them.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

_QUANTITY = re.compile(
    r"^(?P<num>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$"
)
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


class QuantityError(ValueError):
    pass


def parse_quantity(value: Any) -> Fraction:
    """Parse a quantity string or YAML number; raise :class:`QuantityError` when invalid."""
    if isinstance(value, bool) or value is None:
        raise QuantityError(f"{value!r} is not a quantity")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise QuantityError(f"{value!r} is not a quantity")
        return Fraction(repr(value))
    if not isinstance(value, str):
        raise QuantityError(f"{value!r} is not a quantity")
    return _parse_text(value)


@lru_cache(maxsize=4096)
def _parse_text(value: str) -> Fraction:
    """String quantities repeat across a fleet; the parse is pure, so it is memoised."""
    m = _QUANTITY.match(value)
    if not m:
        raise QuantityError(f"{value!r} is not a quantity (expected e.g. 500m, 0.5, 1Gi, 1e3)")
    number = Fraction(m.group("num"))
    suffix = m.group("suffix") or ""
    if suffix in _BINARY:
        return number * (1024 ** _BINARY[suffix])
    if suffix in _DECIMAL:
        return number * Fraction(10) ** _DECIMAL[suffix]
    if suffix:
        return number * Fraction(10) ** int(suffix[1:])
    return number


def try_quantity(value: Any) -> Fraction | None:
    """Like :func:`parse_quantity` but ``None`` for an invalid value."""
    try:
        return parse_quantity(value)
    except QuantityError:
        return None


def is_quantity(value: Any) -> bool:
    return try_quantity(value) is not None


def format_quantity(q: Fraction, resource: str) -> str:
    """A short human form: cores/millicores for cpu, binary units for bytes, plain otherwise."""
    if resource == "cpu":
        milli = q * 1000
        if milli.denominator == 1 and milli % 1000:
            return f"{int(milli)}m"
        return _plain(q)
    if resource in ("memory", "ephemeral-storage", "storage") or resource.startswith("hugepages-"):
        for unit, power in (("Ei", 6), ("Pi", 5), ("Ti", 4), ("Gi", 3), ("Mi", 2), ("Ki", 1)):
            scaled = q / (1024 ** power)
            if scaled >= 1 and (scaled.denominator == 1 or scaled >= 10):
                return _plain(scaled) + unit
        return _plain(q)
    return _plain(q)


def _plain(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    return f"{float(q):.3g}"
