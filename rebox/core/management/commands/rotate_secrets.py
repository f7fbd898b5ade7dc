from django.core.management.base import BaseCommand, CommandError

from rebox.core.crypto import SecretUnreadable
from rebox.core.fields import stored_secrets_reencrypt


class Command(BaseCommand):
    help = ("Re-encrypt every stored integration secret with the first key of REBOX_ENCRYPTION_KEYS "
            "(after it, the other keys can be dropped).")

    def handle(self, *args, **options):
        try:
            rewritten = stored_secrets_reencrypt()
        except SecretUnreadable as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        for label, count in sorted(rewritten.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"Re-encrypted {sum(rewritten.values())} secrets with the first key.")
