"""The published default secret is refused wherever others could reach the app; what browsers and proxies may keep."""

from __future__ import annotations

import pytest

from api.security import cache_control
from api.settings import DEFAULT_SECRET, Settings, UnsafeConfiguration, check_secret, default_secret_refusal


def _settings(environment: str = "development", secret: str = DEFAULT_SECRET, host: str | None = None) -> Settings:
    return Settings(
        environment=environment,
        secret=secret,
        database_url="",
        smtp_host="",
        smtp_port=25,
        mail_from="a@b",
        host=host,
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", None])  # noqa: S104 - the addresses refused
def test_with_cdv_env_unset_the_default_secret_is_refused_off_127_0_0_1_and_the_refusal_says_so(host):
    refusal = default_secret_refusal(_settings(host=host))
    assert refusal is not None
    assert "CDV_SECRET" in refusal and "127.0.0.1" in refusal
    with pytest.raises(UnsafeConfiguration, match="published default secret"):
        check_secret(_settings(host=host))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_the_default_secret_is_accepted_on_127_0_0_1_as_the_demo_serves(host):
    assert default_secret_refusal(_settings(host=host)) is None
    assert default_secret_refusal(_settings("demo", host=host)) is None


def test_a_demo_served_on_the_network_with_the_default_secret_is_refused_too():
    assert default_secret_refusal(_settings("demo", host="0.0.0.0")) is not None  # noqa: S104


def test_a_secret_of_ones_own_is_accepted_anywhere_and_the_test_suite_runs_with_the_default():
    assert default_secret_refusal(_settings(secret="s" * 40, host="0.0.0.0")) is None  # noqa: S104
    assert default_secret_refusal(_settings("test")) is None


def test_nothing_signed_in_and_no_api_answer_or_download_may_be_kept():
    assert cache_control(signed_in=True, is_api=False, download=False, given=None) == b"no-store"
    assert cache_control(signed_in=True, is_api=True, download=False, given=b"no-cache") == b"no-store"
    assert cache_control(signed_in=False, is_api=True, download=False, given=None) == b"no-store"
    assert cache_control(signed_in=False, is_api=False, download=True, given=b"max-age=60") == b"no-store"


def test_a_download_is_a_pdf_or_an_attachment_and_a_static_file_is_neither():
    from api.security import _is_download

    assert _is_download([(b"content-type", b"application/pdf")])
    assert _is_download([(b"Content-Disposition", b"attachment; filename*=UTF-8''bid.docx")])
    assert not _is_download([(b"content-disposition", b'inline; filename="app.css"'), (b"content-type", b"text/css")])


def test_a_public_answer_keeps_its_own_caching():
    assert cache_control(signed_in=False, is_api=True, download=False, given=b"no-cache") is None
    assert cache_control(signed_in=False, is_api=False, download=False, given=None) is None


def test_cdv_serve_on_the_network_with_cdv_env_unset_and_no_secret_refuses_and_says_why(monkeypatch, capsys):
    from api.cli import main

    monkeypatch.delenv("CDV_ENV", raising=False)
    monkeypatch.delenv("CDV_SECRET", raising=False)
    monkeypatch.setenv("CDV_HOST", "restored-after-the-test")
    assert main(["serve", "--host", "0.0.0.0", "--port", "9"]) == 2  # noqa: S104 - the address refused
    said = capsys.readouterr().err
    assert "published default secret" in said and "CDV_SECRET" in said and "127.0.0.1" in said


def test_the_app_itself_refuses_to_be_built_with_the_default_secret_off_127_0_0_1():
    from api.app import create_app

    with pytest.raises(UnsafeConfiguration, match=r"127\.0\.0\.1"):
        create_app(_settings(host="0.0.0.0"))  # noqa: S104 - the address refused
