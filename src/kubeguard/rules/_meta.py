"""Rule metadata: a validated schema with house style (architecture.md §10.2)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from ._helpers.quantities import QuantityError, parse_quantity

SEVERITIES = ("critical", "high", "medium", "low", "info")
CATEGORIES = (
    "workload", "reliability", "tenancy", "secrets", "rbac", "network", "supplychain",
    "storage", "controlplane", "node", "cloud", "admission",
)
TARGETS = ("workload", "object", "cluster")
PEERS = ("kubescape", "checkov", "trivy", "polaris", "kube-linter", "kube-score", "kubesec", "popeye")
_TAG = re.compile(r"^[a-z0-9][a-z0-9-]*(:[A-Za-z0-9.\-_/]+)?$")
_URL = re.compile(r"^https?://[^\s]+$")


def _check_quantity(v: str) -> str:
    """A Kubernetes quantity (``500m``, ``2Gi``); the empty string means "no bound"."""
    if v != "":
        try:
            parse_quantity(v)
        except QuantityError as exc:
            raise ValueError(str(exc)) from None
    return v


def _check_regex(v: str) -> str:
    try:
        re.compile(v)
    except re.error as exc:
        raise ValueError(f"{v!r} is not a valid regular expression: {exc}") from None
    return v


_Quantity = Annotated[str, AfterValidator(_check_quantity)]
_Regex = Annotated[str, AfterValidator(_check_regex)]
_PARAM_TYPES: dict[str, Any] = {
    "str": str, "int": int, "float": float, "bool": bool, "list[str]": list[str], "list[int]": list[int],
    "dict[str,str]": dict[str, str],
    "quantity": _Quantity, "regex": _Regex, "list[regex]": list[_Regex],  # validated once per scan
}
ParamType = Literal["str", "int", "float", "bool", "list[str]", "list[int]", "dict[str,str]",
                    "quantity", "regex", "list[regex]"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Param(_Frozen):
    """A typed rule parameter, overridable in ``.kubeguard.yaml`` under ``rules.<id>.params``."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: ParamType
    default: Any
    description: str = Field(min_length=10, max_length=300)
    choices: tuple[str, ...] | None = None  # allowed values of a str / list[str] parameter

    def annotation(self) -> Any:
        """The type overrides are validated against (``choices`` narrow str and list[str])."""
        if self.choices and self.type in ("str", "list[str]"):
            lit = Literal[self.choices]  # type: ignore[valid-type]
            return lit if self.type == "str" else list[lit]  # type: ignore[valid-type]
        return _PARAM_TYPES[self.type]


class Lifecycle(_Frozen):
    stage: Literal["preview", "stable", "deprecated", "removed"]
    since: str = Field(pattern=r"^\d+\.\d+\.\d+$")

    @staticmethod
    def preview(since: str) -> "Lifecycle":
        return Lifecycle(stage="preview", since=since)

    @staticmethod
    def stable(since: str) -> "Lifecycle":
        return Lifecycle(stage="stable", since=since)


class Fix(_Frozen):
    safety: Literal["none", "safe", "unsafe"] = "none"
    title: str | None = None

    @staticmethod
    def safe(title: str) -> "Fix":
        return Fix(safety="safe", title=title)

    @staticmethod
    def unsafe(title: str) -> "Fix":
        return Fix(safety="unsafe", title=title)


NO_FIX = Fix()


class RuleMeta(_Frozen):
    code: str = Field(pattern=r"^[A-Z]{2,4}\d{3}$")
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)
    title: str = Field(min_length=10, max_length=100)
    severity: Literal["critical", "high", "medium", "low", "info"]
    category: Literal[
        "workload", "reliability", "tenancy", "secrets", "rbac", "network", "supplychain",
        "storage", "controlplane", "node", "cloud", "admission",
    ]
    tags: tuple[str, ...] = ()
    target: Literal["workload", "object", "cluster"]
    kinds: tuple[str, ...] = ()  # object target: kinds handed in; empty = every object
    requires: tuple[str, ...] = ()  # inputs without which the result is UNKNOWN (kinds, "cloud", "nodes", ...)
    rationale: str = Field(min_length=20, max_length=600)
    remediation: str = Field(min_length=10)
    references: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    lifecycle: Lifecycle
    fix: Fix = NO_FIX
    admission: bool = False
    peers: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    aliases: tuple[str, ...] = ()

    @field_validator("title")
    @classmethod
    def _title_voice(cls, v: str) -> str:
        if v.lower().startswith("ensure"):
            raise ValueError("title states the condition; it must not start with 'Ensure'")
        if v.endswith("."):
            raise ValueError("title must not end with a period")
        return v

    @field_validator("remediation")
    @classmethod
    def _remediation_period(cls, v: str) -> str:
        if not v.rstrip().endswith((".", "```")):
            raise ValueError("remediation must end with a period")
        return v

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for t in v:
            if not _TAG.match(t):
                raise ValueError(f"tag {t!r} is not of the form name or name:value")
        if len(set(v)) != len(v):
            raise ValueError("duplicate tags")
        return v

    @field_validator("references")
    @classmethod
    def _refs(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for r in v:
            if not _URL.match(r):
                raise ValueError(f"reference {r!r} is not a URL")
        if len(set(v)) != len(v):
            raise ValueError("duplicate references")
        return v

    @field_validator("peers")
    @classmethod
    def _peers(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for k in v:
            if k not in PEERS:
                raise ValueError(f"unknown peer {k!r}; expected one of {', '.join(PEERS)}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "RuleMeta":
        if self.target == "workload" and self.kinds:
            raise ValueError("workload rules receive every pod spec; do not set kinds")
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise ValueError("duplicate parameter names")
        for p in self.params:
            params_model = create_model("P", x=(p.annotation(), ...))
            params_model(x=p.default)  # default must have the declared type
        return self

    @property
    def id(self) -> str:
        return self.code

    def params_model(self) -> type[BaseModel]:
        """A pydantic model validating this rule's parameter overrides (unknown keys rejected)."""
        fields: dict[str, Any] = {p.name: (p.annotation(), p.default) for p in self.params}
        return create_model(f"{self.code}Params", __config__=ConfigDict(extra="forbid", frozen=True), **fields)
