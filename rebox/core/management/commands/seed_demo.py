from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo store (slug 'demo') once; re-running keeps existing data."

    def handle(self, *args, **options):
        from rebox.demo import seed_demo

        seed_demo(stdout=self.stdout)
