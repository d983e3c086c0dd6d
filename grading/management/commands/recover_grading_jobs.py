from django.core.management.base import BaseCommand

from grading.jobs import grading_jobs_recover


class Command(BaseCommand):
    help = "Re-queue grading jobs whose worker was lost (once), then give them up keeping the local score."

    def handle(self, *args, **options):
        counts = grading_jobs_recover()
        self.stdout.write(
            self.style.SUCCESS(f"re-queued {counts['requeued']} grading job(s), gave up {counts['failed']}")
        )
