"""Accounts: each has its own conversations, jobs and limit; another account's are 404, never 403 (reading 15)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from symbl_mock import MockConfig, RunningMock
from symbl_mock.accounts import Account, load_accounts_file, parse_account_option
from symbl_mock.cli import build_parser, config_from_args, main
from tests.mock.conftest import MockFactory
from tests.mock.helpers import AUDIO, AUTH, TOKEN, assert_error

OTHER_TOKEN = "other-account-token"  # noqa: S105 - a test token
SECRET = "acme-secret"  # noqa: S105 - a test secret
DEFAULT_SECRET = "default-secret"  # noqa: S105 - a test secret
OTHER = {"x-api-key": OTHER_TOKEN}
SUBMIT = "/v1/process/audio/url"


def _two_accounts(start_mock: MockFactory, **config: object) -> RunningMock:
    return start_mock(accounts=(Account("acme", (OTHER_TOKEN,), "acme-app", SECRET),), **config)


def test_neither_account_sees_the_others_conversations_or_jobs(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    mock = _two_accounts(start_mock)
    client = checked(mock)
    mine = client.post(SUBMIT, json={"url": AUDIO}, headers=AUTH).json()
    theirs = client.post(SUBMIT, json={"url": AUDIO}, headers=OTHER).json()
    for headers, own, other in ((AUTH, mine, theirs), (OTHER, theirs, mine)):
        assert client.get(f"/v1/job/{own['jobId']}", headers=headers).status_code == 200
        assert client.put(f"{SUBMIT}/{own['conversationId']}", json={"url": AUDIO}, headers=headers).status_code == 201
        # The other account's job and conversation answer exactly as IDs that do not exist: 404, not 403.
        assert_error(client.get(f"/v1/job/{other['jobId']}", headers=headers), 404, "could not be found")
        response = client.put(f"{SUBMIT}/{other['conversationId']}", json={"url": AUDIO}, headers=headers)
        assert_error(response, 404, "could not be found")
    document = mock.conversations()
    owners = {c["conversationId"]: (c["account"], len(c["jobs"])) for c in document["conversations"]}
    assert owners == {mine["conversationId"]: ("default", 2), theirs["conversationId"]: ("acme", 2)}


def test_each_account_has_its_own_limit(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    mock = start_mock(
        concurrency_limit=1,
        job_duration=30.0,
        accounts=(Account("acme", tokens=(OTHER_TOKEN,), concurrency_limit=2),),
    )
    client = checked(mock)
    assert client.post(SUBMIT, json={"url": AUDIO}, headers=AUTH).status_code == 201
    assert_error(client.post(SUBMIT, json={"url": AUDIO}, headers=AUTH), 429, "`1`")
    for _ in range(2):  # the other account's jobs are not the default's: its own limit of 2 applies
        assert client.post(SUBMIT, json={"url": AUDIO}, headers=OTHER).status_code == 201
    assert_error(client.post(SUBMIT, json={"url": AUDIO}, headers=OTHER), 429, "`2`")
    document = httpx.get(f"{mock.url}/__mock__/conversations", params={"account": "acme"}, timeout=5).json()
    assert {c["account"] for c in document["conversations"]} == {"acme"}
    assert (document["unfinishedJobs"], document["concurrencyLimit"]) == (2, 2)
    assert {a["name"]: (a["unfinishedJobs"], a["concurrencyLimit"]) for a in document["accounts"]} == {
        "default": (1, 1),
        "acme": (2, 2),
    }
    assert httpx.get(f"{mock.url}/__mock__/conversations?account=nobody", timeout=5).status_code == 404


def test_a_generated_token_acts_for_the_account_of_its_app(
    start_mock: MockFactory, checked: Callable[[RunningMock], httpx.Client]
) -> None:
    mock = _two_accounts(start_mock, app_id="default-app", app_secret=DEFAULT_SECRET)
    client = checked(mock)

    def token(app_id: str, secret: str) -> str:
        body = {"type": "application", "appId": app_id, "appSecret": secret}
        response = client.post("/oauth2/token:generate", json=body)
        assert response.status_code == 200, response.text
        value: str = response.json()["accessToken"]
        return value

    acme, default = token("acme-app", SECRET), token("default-app", DEFAULT_SECRET)
    assert acme != default
    created = client.post(SUBMIT, json={"url": AUDIO}, headers={"Authorization": f"Bearer {acme}"}).json()
    assert client.get(f"/v1/job/{created['jobId']}", headers=OTHER).status_code == 200  # acme's static token
    assert client.get(f"/v1/job/{created['jobId']}", headers={"x-api-key": default}).status_code == 404
    assert client.get(f"/v1/job/{created['jobId']}", headers=AUTH).status_code == 404


def test_a_secret_of_another_account_is_refused(start_mock: MockFactory) -> None:
    mock = _two_accounts(start_mock, app_id="default-app", app_secret=DEFAULT_SECRET)
    body = {"type": "application", "appId": "acme-app", "appSecret": DEFAULT_SECRET}
    assert_error(httpx.post(f"{mock.url}/oauth2/token:generate", json=body, timeout=5), 401)


# -- configuration ----------------------------------------------------------------------------------------------


def test_the_embedded_constructor_and_the_child_process_json_keep_working() -> None:
    assert MockConfig(tokens=("t",)).all_accounts()[0] == Account("default", ("t",), None, None, 50)
    config = MockConfig(tokens=("t",), accounts=(Account("b", ("u",), "i", "s", 3),), reject_unknown_properties=True)
    assert MockConfig.from_json(config.to_json()) == config


@pytest.mark.parametrize(
    ("accounts", "message"),
    [
        ((Account("default", ("u",)),), "reserved"),
        ((Account("b", ("u",)), Account("b", ("v",))), "unique"),
        ((Account("b", (TOKEN,)),), "one account"),
        ((Account("b", (), "app", SECRET),), "appId may belong to one account"),
        ((Account("b", app_id="i"),), "together"),
        ((Account("b", ("has space",)),), "whitespace"),
        ((Account("b", concurrency_limit=0),), "at least 1"),
        ((Account(""),), "1-64 printable"),
    ],
)
def test_bad_accounts_are_refused(accounts: tuple[Account, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MockConfig(tokens=(TOKEN,), app_id="app", app_secret=DEFAULT_SECRET, accounts=accounts)


def test_accounts_from_flags_and_a_file(tmp_path: Path) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text(
        "accounts:\n  - {name: c, tokens: [tc], concurrency_limit: 2}\n  - {name: d, app_id: di, app_secret: ds}\n",
        encoding="utf-8",
    )
    args = build_parser().parse_args(
        ["--token", "t", "--account", "name=b,token=tb1,token=tb2,concurrency-limit=5", "--accounts-file", str(path)]
    )
    config, generated = config_from_args(args)
    assert generated is None
    assert [a.name for a in config.all_accounts()] == ["default", "b", "c", "d"]
    assert config.accounts[0] == Account("b", ("tb1", "tb2"), None, None, 5)
    assert config.all_accounts()[3] == Account("d", (), "di", "ds", 50)
    json_file = tmp_path / "accounts.json"
    json_file.write_text(json.dumps({"accounts": [{"name": "e", "tokens": ["te"]}]}), encoding="utf-8")
    assert load_accounts_file(json_file) == (Account("e", ("te",)),)


def test_accounts_alone_need_no_generated_token() -> None:
    config, generated = config_from_args(build_parser().parse_args(["--account", "name=b,token=tb"]))
    assert generated is None
    assert config.tokens == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name=b,tok=x", "unknown key 'tok'"),
        ("name=b,token", "key=value"),
        ("name=b,concurrency-limit=two", "whole number"),
        ("token=x", "needs a name"),
        ("name=b,name=c", "given twice"),
    ],
)
def test_bad_account_options_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_account_option(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--account", "name=b,tok=x"], "unknown key"),
        (["--account", "name=default,token=x"], "reserved"),
        (["--accounts-file", "/nonexistent/accounts.yaml"], "cannot read accounts file"),
    ],
)
def test_bad_account_flags_exit_2_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("symbl-mock: error: ")
    assert message in err


@pytest.mark.parametrize(
    "content", ["accounts: {name: x}\n", "[1, 2]\n", "accounts:\n  - 3\n", "accounts:\n  - {name: x, colour: red}\n"]
)
def test_bad_accounts_files_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="accounts file"):
        load_accounts_file(path)


@pytest.mark.parametrize(
    "content",
    [
        "accounts:\n  - {name: x, tokens: 5}\n",  # not a list: was a TypeError traceback, exit 1
        "accounts:\n  - {name: x, tokens: }\n",  # null: the same
        "accounts:\n  - {name: x, tokens: {t: 1}}\n",  # a mapping: its keys were taken as tokens
    ],
)
def test_accounts_file_tokens_that_are_not_a_list_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="tokens must be a list of strings"):
        load_accounts_file(path)


def test_an_accounts_file_that_is_not_utf8_is_named_in_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_bytes(b"\xff\xfeaccounts: []\n")
    with pytest.raises(SystemExit) as exited:
        main(["--accounts-file", str(path)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert str(path) in err
