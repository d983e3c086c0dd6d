from django.core.management.base import BaseCommand

from live.services import live_sessions_close_idle


class Command(BaseCommand):
    help = "Close live interviews nobody has touched for LIVE_IDLE_MINUTES as abandoned (run from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the sessions that would close.")

    def handle(self, *args, dry_run=False, **options):
        closed = live_sessions_close_idle(dry_run=dry_run)
        verb = "would close" if dry_run else "closed"
        self.stdout.write(self.style.SUCCESS(f"{verb} {closed} idle live session(s)"))
