"""Every message the service shows has a reviewed Welsh translation (Welsh Language Standards: Welsh never
treated less favourably). Extraction is re-run here, so a new string in code or a template without a Welsh
entry fails the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
ERROR_CLASSES = ["RuleBroken", "Conflict", "NotFound", "NotAllowed", "DomainError", "SignInRefused", "SignInProblem"]
SOURCES = [
    "core",
    "accounts",
    "organisations",
    "audit",
    "administration",
    "api",
    "web",
    "menu",
    "commissioning",
    "contracts",
    "finance",
    "notifications",
    "templates",
]


def _catalog():
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="cy")


def test_every_welsh_message_is_translated_and_reviewed():
    missing = []
    for message in _catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not missing, f"{len(missing)} messages lack a reviewed Welsh translation, e.g. {missing[:5]}"


def test_every_string_in_code_and_templates_is_in_the_welsh_catalog(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "N_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "-k",
            "translate_in:2",
            # Errors raised in services carry their message id; the edges translate it.
            *[arg for keyword in ERROR_CLASSES for arg in ("-k", keyword)],
            "--no-location",
            "--omit-header",
            "-o",
            str(pot),
            *SOURCES,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    absent = sorted(extracted - known)
    assert not absent, f"run scripts/translations and translate: {absent[:10]}"


def test_the_check_fails_for_a_message_with_no_translation(tmp_path):
    """Negative control: a catalogue with an empty entry is reported."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="cy")
    catalog.add("Sign in", "Mewngofnodi")
    catalog.add("Untranslated", "")
    empty = [m.id for m in catalog if m.id and not m.string]
    assert empty == ["Untranslated"]
