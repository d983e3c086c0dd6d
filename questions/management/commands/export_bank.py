import json

from django.core.management.base import BaseCommand

from questions.services import bank_export_json, bank_export_markdown


class Command(BaseCommand):
    help = "Write the question bank in the import format (Markdown) or as JSON."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument("--format", choices=["markdown", "json"], default="markdown")

    def handle(self, *args, output, format, **options):
        if format == "json":
            text = json.dumps(bank_export_json(), ensure_ascii=False, indent=2) + "\n"
        else:
            text = bank_export_markdown()
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
            self.stderr.write(self.style.SUCCESS(f"wrote {output}"))
        else:
            self.stdout.write(text, ending="")
