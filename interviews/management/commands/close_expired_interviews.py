from django.core.management.base import BaseCommand

from interviews.services import close_expired_interviews


class Command(BaseCommand):
    help = "Close mock interviews whose deadline has passed (run from cron, e.g. every minute)."

    def handle(self, *args, **options):
        closed = close_expired_interviews()
        self.stdout.write(self.style.SUCCESS(f"closed {closed} expired interview(s)"))
