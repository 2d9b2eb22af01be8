from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_migration_is_missing():
    out = StringIO()
    try:
        call_command("makemigrations", "articles", "--check", "--dry-run", stdout=out)
    except SystemExit:  # pragma: no cover - the assertion explains the failure
        pytest.fail(f"Model changes have no migration:\n{out.getvalue()}")
