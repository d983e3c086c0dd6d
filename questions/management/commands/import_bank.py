from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.importers import FORMATS, BankError
from questions.services import DEFAULT_TOPICS_PATH, bank_import, bank_read


class Command(BaseCommand):
    help = (
        "Import a question bank: Markdown, Moodle GIFT, Anki notes (.txt/.tsv/.csv), JSON, or a .zip with images. "
        "Safe to run again: unchanged questions stay as they are, and questions edited in the admin are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the bank file, e.g. fixtures/bank.md")
        parser.add_argument("--dry-run", action="store_true", help="report what would change and write nothing")
        parser.add_argument("--format", choices=FORMATS, help="the file's format (default: from extension and content)")
        parser.add_argument("--level", type=int, choices=range(1, 7), help="Markdown: the heading level of questions")
        parser.add_argument(
            "--style", choices=["heading", "bold"], help="Markdown: questions are headings or bold paragraphs"
        )
        parser.add_argument(
            "--topics",
            default=str(DEFAULT_TOPICS_PATH),
            help='a topics file (JSON): the seed\'s format, or {"section name": "topic-slug"}; \'\' for none',
        )
        parser.add_argument("--topic", help="put every question of the file under this topic (its slug)")
        parser.add_argument("--strict", action="store_true", help="refuse the whole file if any entry would be skipped")
        parser.add_argument(
            "--overwrite-edited",
            action="store_true",
            help="replace questions edited in the admin since their last import",
        )

    def handle(self, *args, path, dry_run, format, level, style, topics, topic, strict, overwrite_edited, **options):
        try:
            bank, assets = bank_read(path, format=format, level=level, style=style)
            report = bank_import(
                bank=bank,
                assets=assets,
                source=Path(path).name,
                topics_path=topics or None,
                topic=topic,
                dry_run=dry_run,
                strict=strict,
                overwrite_edited=overwrite_edited,
            )
        except BankError as exc:
            raise CommandError(f"{path}:{exc.line}: {exc.message}") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("import finished" if not dry_run else "dry run finished"))
