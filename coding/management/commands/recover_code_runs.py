from django.core.management.base import BaseCommand

from coding.services import code_runs_sweep


class Command(BaseCommand):
    help = (
        "Queue again (once) or fail code runs left pending by a worker that died. Pages do this lazily too; "
        "run it from cron every minute."
    )

    def handle(self, *args, **options):
        count = code_runs_sweep()
        self.stdout.write(self.style.SUCCESS(f"{count} stale code runs recovered"))
