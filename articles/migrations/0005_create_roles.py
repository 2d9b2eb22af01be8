"""Formerly: create the roles as groups named "Reporter" and "Editor".

That took over a host's own group of the same name (``get_or_create`` gave it the
publish permission) and its rollback deleted it. It now does nothing; migration
0015 creates the roles under the app's own names and marks them (``Role``), and
adopts the groups this migration made on installs that already ran it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
