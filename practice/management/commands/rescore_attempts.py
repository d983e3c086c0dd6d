from django.core.management.base import BaseCommand

from practice.scoring import SCORER_VERSION
from practice.services import attempts_rescore


class Command(BaseCommand):
    help = "Score stored written answers again with the current scorer; candidates' own corrections stay."

    def handle(self, *args, **options):
        count = attempts_rescore()
        self.stdout.write(self.style.SUCCESS(f"rescored {count} attempt(s) with scorer {SCORER_VERSION}"))
