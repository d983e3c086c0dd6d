from django.core.management.base import BaseCommand

from questions.importers import FORMATS
from questions.services import bank_export


class Command(BaseCommand):
    help = (
        "Write the question bank as Markdown, JSON, Moodle GIFT or Anki notes; import_bank reads each back unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument("--format", choices=FORMATS, default="markdown")

    def handle(self, *args, output, format, **options):
        text = bank_export(format=format)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            self.stderr.write(self.style.SUCCESS(f"wrote {output}"))
        else:
            self.stdout.write(text, ending="")
