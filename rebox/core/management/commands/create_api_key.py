from django.core.management.base import BaseCommand, CommandError

from rebox.core.api_keys import api_key_create
from rebox.core.models import Store


class Command(BaseCommand):
    help = "Create an API key for a store and print it once (only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--store", required=True, help="the store's slug")
        parser.add_argument("--name", required=True, help="who or what the key is for")

    def handle(self, *args, store, name, **options):
        shop = Store.objects.filter(slug=store).first()
        if shop is None:
            raise CommandError(f"No store with slug {store!r}")
        if not name.strip():
            raise CommandError("--name must not be empty")
        key, raw = api_key_create(store=shop, name=name.strip())
        self.stderr.write(f"API key {key.name!r} for {shop.slug}; it is shown only this once:")
        self.stdout.write(raw)
