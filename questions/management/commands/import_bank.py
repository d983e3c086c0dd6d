from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.bank import BankError
from questions.services import DEFAULT_TOPICS_PATH, bank_import, bank_read


class Command(BaseCommand):
    help = "Import a Markdown question bank (all or nothing). Safe to run again: unchanged questions stay as they are."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the bank file, e.g. fixtures/bank.md")
        parser.add_argument("--dry-run", action="store_true", help="report what would change and write nothing")
        parser.add_argument("--topics", default=str(DEFAULT_TOPICS_PATH), help="the topics file (JSON)")

    def handle(self, *args, path, dry_run, topics, **options):
        try:
            entries = bank_read(path)
            report = bank_import(entries=entries, source=Path(path).name, topics_path=topics, dry_run=dry_run)
        except BankError as exc:
            raise CommandError(f"{path}:{exc.line}: {exc.message}") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("import finished" if not dry_run else "dry run finished"))
