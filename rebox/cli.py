"""The `rebox` command: Django's management commands under Rebox's name.

    rebox migrate | rebox serve | rebox worker | rebox seed-demo
    rebox create-api-key --store SLUG --name NAME | rebox import-orders FILE --store SLUG
    rebox rotate-secrets (after putting a new key first in REBOX_ENCRYPTION_KEYS)
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rebox.settings")
    from django.core.management import execute_from_command_line

    argv = [sys.argv[0], *[a.replace("-", "_") if i == 0 else a
                           for i, a in enumerate(sys.argv[1:])]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
