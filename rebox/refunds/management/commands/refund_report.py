"""``rebox refund-report --store SLUG --date YYYY-MM-DD [--out FILE]``: thin; the work is in
rebox.refunds.reports."""

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from rebox.core.models import Store
from rebox.refunds.reports import day_totals, major_units, refund_report_write


class Command(BaseCommand):
    help = "Write a store's refunds of one local day as CSV (by gateway and status)."

    def add_arguments(self, parser):
        parser.add_argument("--store", required=True, help="the store's slug")
        parser.add_argument("--date", required=True, help="the day in the store's time zone, YYYY-MM-DD")
        parser.add_argument("--out", help="the CSV file to write (default: standard output)")

    def handle(self, *args, store, date: str, out, **options):
        shop = Store.objects.filter(slug=store).first()
        if shop is None:
            raise CommandError(f"No store with slug {store!r}")
        try:
            day = _parse_day(date)
        except ValueError:
            raise CommandError(f"--date must be a date like 2026-11-23, not {date!r}") from None
        if not out:
            refund_report_write(store=shop, day=day, out=self.stdout)
            return
        with open(out, "w", newline="", encoding="utf-8") as file:
            count = refund_report_write(store=shop, day=day, out=file)
        self.stdout.write(f"{count} refunds of {day} ({shop.time_zone}) written to {out}")
        for total in day_totals(store=shop, day=day):
            self.stdout.write(f"  {total.gateway:10} {total.status:10} {total.count:6} "
                              f"{major_units(total.amount_minor, total.currency)} {total.currency}")


def _parse_day(text: str) -> date:
    return datetime.strptime(text.strip(), "%Y-%m-%d").date()
