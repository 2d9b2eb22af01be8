"""What the app package carries: no demo content, no benchmark seeding, no demo password.

Under ``make wheel-test`` ``articles`` is the installed wheel, so this checks the wheel.
"""

from pathlib import Path

import articles

PACKAGE = Path(articles.__file__).parent


def test_the_app_ships_no_demo_or_benchmark_module():
    names = {path.stem for path in PACKAGE.rglob("*.py")}
    assert not names & {"demo", "benchdata", "load_demo", "seed_bench"}


def test_no_file_of_the_app_holds_the_demo_password():
    holding = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*")
        if path.is_file() and b"newsroom-demo" in path.read_bytes()
    ]
    assert holding == []


def test_the_app_ships_its_compiled_catalogues():
    for language in ("de", "fr", "es", "ar"):
        folder = PACKAGE / "locale" / language / "LC_MESSAGES"
        assert (folder / "django.po").is_file(), language
        assert (folder / "django.mo").stat().st_size > 10_000, language
