"""``rebox import-orders FILE --store SLUG``: thin; the work is in rebox.orders.importer."""

from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from rebox.core.actors import Actor
from rebox.core.errors import ApplicationError
from rebox.core.models import ActorType, Store
from rebox.orders.importer import FORMAT_HELP
from rebox.orders.importer.run import orders_import
from rebox.orders.importer.sniff import FORMATS


class _Formatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    pass


class Command(BaseCommand):
    help = "Import historical orders from a CSV or JSON Lines file (they reserve no stock)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _Formatter
        parser.epilog = FORMAT_HELP
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or JSON Lines file")
        parser.add_argument("--store", required=True, help="the store's slug")
        parser.add_argument("--format", choices=FORMATS, help="instead of guessing by extension")
        parser.add_argument("--encoding", help="the file's text encoding (default UTF-8)")
        parser.add_argument("--delimiter", help="CSV field separator (default ',', '\\t' for .tsv)")
        parser.add_argument("--errors", help="where to write the error report "
                                             "(default: FILE.errors.csv beside the input)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, store, format, encoding, delimiter, errors, no_progress,
               **options):
        shop = Store.objects.filter(slug=store).first()
        if shop is None:
            raise CommandError(f"No store with slug {store!r}")
        if delimiter == "\\t":
            delimiter = "\t"
        try:
            result = orders_import(
                store=shop, path=file, file_format=format, encoding=encoding, delimiter=delimiter,
                errors_path=errors, actor=Actor(ActorType.SYSTEM, "rebox import-orders"),
                progress=not no_progress)
        except ApplicationError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(result.summary())
        if result.orders_rejected:
            raise CommandError(f"{result.orders_rejected} orders were refused; see "
                               f"{result.error_report}", returncode=2)
