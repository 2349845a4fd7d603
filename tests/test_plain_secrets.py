"""secret-in-plain-env: credentials by name in env, auth headers, and known formats anywhere."""

from __future__ import annotations

from argolint.checks.plain_secrets import is_credential_name
from tests.conftest import FIXTURES, findings_of


def _spans(findings: list) -> list[tuple[int, int, int, int]]:
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in findings]


def test_bad_fixture_positions_and_masking():
    text = (FIXTURES / "secrets" / "bad-secrets.yaml").read_text()
    found = findings_of(text, "secret-in-plain-env")
    assert _spans(found) == [
        (15, 36, 15, 48),  # the password part of the git repo URL only
        (19, 57, 19, 77),  # the AWS key inside the args string
        (22, 20, 22, 38),  # DB_PASSWORD's value
        (24, 20, 24, 30),  # PGPASSWORD's value
        (34, 20, 34, 41),  # the Authorization header's value
    ]
    assert "a password in a URL" in found[0].message and "an AWS access key" in found[1].message
    assert "hunter2" not in found[2].message and "`hunt…`" in found[2].message
    assert "secretKeyRef" in (found[2].suggestion or "")


def test_good_fixture_is_silent():
    text = (FIXTURES / "secrets" / "good-secrets.yaml").read_text()
    assert findings_of(text, "secret-in-plain-env") == []


def test_credential_names():
    yes = [
        "DB_PASSWORD",
        "API_KEY",
        "apiKey",
        "GITHUB_TOKEN",
        "AWS_SECRET_ACCESS_KEY",
        "SSH_KEY",
        "clientSecret",
        "PGPASSWORD",
        "secretKey",
        "REGISTRY_CREDENTIALS",
    ]
    no = [
        "TOKEN_FILE",
        "SECRET_NAME",
        "AWS_ACCESS_KEY_ID",
        "CACHE_KEY",
        "S3_KEY",
        "DOCKER_TLS_CERTDIR",
        "AUTH_TOKEN_PATH",
        "PASSWORD_LENGTH",
        "MESSAGE",
        "TOKEN_AUDIENCE",
        "TOKEN_ENDPOINT",
        "SECRET_STORE",
        "SECRETS_PROVIDER",
        "TOKEN_ISSUER",
        "TOKEN_SCOPE",
        "PASSWORD_POLICY",
    ]
    assert [n for n in yes if not is_credential_name(n)] == []
    assert [n for n in no if is_credential_name(n)] == []


def test_embedded_pod_env_is_placed_in_the_block_scalar():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: x-}
spec:
  entrypoint: main
  templates:
    - name: main
      resource:
        action: create
        manifest: |
          apiVersion: v1
          kind: Pod
          metadata: {generateName: p-}
          spec:
            containers:
              - name: c
                image: alpine:3.20
                env:
                  - {name: API_TOKEN, value: "tok-123456789"}
"""
    assert _spans(findings_of(text, "secret-in-plain-env")) == [(19, 46, 19, 61)]


def test_credential_parameters_with_literal_values():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: x-}
spec:
  entrypoint: main
  arguments:
    parameters:
      - {name: db-password, value: "letmein-please"}
      - {name: secret-name, value: db-creds}
      - {name: api-token, value: "{{workflow.uid}}"}
  templates:
    - name: main
      inputs:
        parameters:
          - {name: apiKey, default: "k-1234567890"}
      container: {image: "alpine:3.20"}
"""
    found = findings_of(text, "secret-in-plain-env")
    assert _spans(found) == [(8, 36, 8, 52), (15, 37, 15, 51)]
    assert "parameter `db-password`" in found[0].message and "`default`" in found[1].message


def test_names_of_secret_objects_are_not_credentials():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: refs-}
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: db-password-secret
        value: db-creds
      - name: registry-secret
        value: regcred
      - name: client-secret
        value: 8f14e45f-ceea-467f-a8f3-1e1b5d7c1a2b
  templates:
    - name: main
      container:
        image: alpine:3.20
        env:
          - name: GITHUB_TOKEN_SECRET
            value: github-token
          - name: APP_SECRET
            value: s3cr3t-Value-42
"""
    found = findings_of(text, "secret-in-plain-env")
    # `regcred` has no separator to tell it from a password; UUIDs and mixed case are secrets.
    assert [f.span.line for f in found] == [11, 13, 22]


def test_base64_encoded_credentials_in_env():
    import base64

    docker = base64.b64encode(b'{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}').decode()
    key = base64.b64encode(b"aws_key=AKIAIOSFODNN7EXAMPLE").decode()
    plain = base64.b64encode(b"just some configuration text").decode()
    text = f"""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {{generateName: b64-}}
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine:3.20
        env:
          - name: DOCKER_CONFIG_B64
            value: {docker}
          - name: SETTINGS
            value: {key}
          - name: BANNER
            value: {plain}
"""
    found = findings_of(text, "secret-in-plain-env")
    assert [(f.span.line, f.span.column) for f in found] == [(12, 20), (14, 20)]
    assert "base64" in found[0].message and "registry credentials" in found[0].message
    assert "an AWS access key" in found[1].message


def test_credentials_passed_as_flags_in_args():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: flags-}
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine/helm:3.14.0
        command: [helm]
        args: [repo, add, charts, https://charts.example.com, --password, hunter2hunter2]
      sidecars:
        - name: login
          image: docker:24
          command: [sh, -c]
          args:
            - docker login --password=s3cretPass -u bot registry.example.com && echo ok
        - name: fine
          image: docker:24
          command: [sh, -c]
          args:
            - docker login --password "$REGISTRY_PASSWORD" --token-file /run/token r.io
        - name: fine-too
          image: alpine/helm:3.14.0
          args: [--password, "{{inputs.parameters.pw}}", --token, $(TOKEN), --password-stdin]
"""
    found = findings_of(text, "secret-in-plain-env")
    assert [(f.span.line, f.span.column) for f in found] == [(11, 75), (17, 39)]
    assert "--password" in found[0].message and "hunt" in found[0].message


def test_secret_created_by_a_resource_template_with_literal_data():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: mk-secret-}
spec:
  entrypoint: main
  templates:
    - name: main
      inputs:
        parameters:
          - name: token
      resource:
        action: apply
        manifest: |
          apiVersion: v1
          kind: Secret
          metadata:
            name: app-creds
          stringData:
            password: hunter2hunter2
            token: "{{inputs.parameters.token}}"
          data:
            key: aHVudGVyMg==
"""
    found = findings_of(text, "secret-in-plain-env")
    assert [(f.span.line, f.span.column) for f in found] == [(19, 23), (22, 18)]
    assert "Secret `app-creds`" in found[0].message
