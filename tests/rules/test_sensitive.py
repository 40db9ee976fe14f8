"""Credential detection by name and by value shape; references and templates are not secrets."""

import pytest

from kubeguard.rules._helpers.sensitive import (
    credential_kinds, embedded_assignments, is_literal_secret_value, is_sensitive_name,
)


@pytest.mark.parametrize("name", [
    "DB_PASSWORD", "password", "dbPassword", "MYSQL_ROOT_PASSWORD", "CLIENT_SECRET", "JWT_SECRET", "API_KEY",
    "apiKey", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "AUTH_TOKEN", "SECRET_KEY_BASE", "db-passwd",
    "spring.datasource.password", "REDIS_AUTH", "SENTRY_DSN", "PRIVATE_KEY", "credentials", "AUTH",
    "BASIC_AUTH", "USER_PASSWORD",
])
def test_sensitive_names(name):
    assert is_sensitive_name(name)


@pytest.mark.parametrize("name", [
    "PWD", "PASSWORD_FILE", "POSTGRES_PASSWORD_FILE", "TOKEN_URL", "SECRET_NAME", "AWS_ACCESS_KEY_ID",
    "PASSWORD_MIN_LENGTH", "SESSION_TOKEN_TTL", "AUTHOR", "TOKENIZER", "BYPASS", "HOSTNAME", "PATH",
    "AUTH_ENABLED", "OAUTH_CLIENT_ID", "SECRETS_DIR", "default-tls-secret",
    "GF_AUTH_ANONYMOUS_ORG_ROLE", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD", "AUTH_SCHEME",
])
def test_not_sensitive_names(name):
    assert not is_sensitive_name(name)


def test_custom_patterns_replace_defaults():
    assert is_sensitive_name("PIN_CODE", sensitive=[r"pin"], ignored=[])
    assert not is_sensitive_name("DB_PASSWORD", sensitive=[r"pin"], ignored=[])


@pytest.mark.parametrize("value,literal", [
    ("hunter2", True), ("changeme", True), ("", False), ("  ", False), ("$(DB_PASS)", False),
    ("${DB_PASS}", False), ("{{ .Values.password }}", False), ("<your-password>", False), ("true", False),
    ("/run/secrets/db", False), ("ENC(abc)", False), ("****", False), (None, False), (12345, True),
    ("$(cat /run/secrets/db)", False), ("prefix-${SUFFIX}", False), ("__SERVICEACCOUNT_TOKEN__", False),
    ("INSERT_ETCD_DISCOVERY_TOKEN", False), ("your-api-key", False), ("replace_me", False),
    ("yourpassword1", True),
])
def test_literal_values(value, literal):
    assert is_literal_secret_value(value) is literal


@pytest.mark.parametrize("text,label", [
    ("AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "a private key"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"),
    ("ghp_" + "a1B2" * 9, "a GitHub token"),
    ("postgres://app:s3cr3t@db:5432/app", "a URL with an embedded password"),
    ("redis://:s3cr3t@cache:6379", "a URL with an embedded password"),
    ("xoxb-1234567890-abcdefghij", "a Slack token"),
    ("AIza" + "A" * 35, "a Google API key"),
    ("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=" + "A" * 86 + "==", "an Azure storage account key"),
])
def test_credential_shapes(text, label):
    assert label in credential_kinds(text)


@pytest.mark.parametrize("text", [
    "postgres://app:${DB_PASSWORD}@db/app", "https://example.com/path", "-----BEGIN CERTIFICATE-----",
    "hello world", "AKIA-not-a-key", "",
])
def test_no_credential_shapes(text):
    assert credential_kinds(text) == []


def test_embedded_assignments():
    text = "# comment\nspring.datasource.password=hunter2\nurl: http://x\n  password: \"abc\",\nempty:\n"
    got = list(embedded_assignments(text))
    assert (2, "spring.datasource.password", "hunter2") in got
    assert (4, "password", '"abc"') in got
    assert all(k != "empty" for _, k, _ in got)
