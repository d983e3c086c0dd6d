import time

from django.core.management.base import BaseCommand, CommandError

from progress.demo import DEMO_PASSWORD, seed_demo, seed_questions


class Command(BaseCommand):
    help = "Create demo candidates with realistic practice and interview history (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10)
        parser.add_argument("--attempts-per-user", type=int, default=200)
        parser.add_argument("--weeks", type=int, default=8, help="spread the history over this many past weeks")
        parser.add_argument("--prefix", default="demo", help="usernames are PREFIX-1, PREFIX-2, …")
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data")
        parser.add_argument(
            "--questions", type=int, default=0, help="first bulk-create this many generated questions (scale tests)"
        )

    def handle(self, *args, users, attempts_per_user, weeks, prefix, seed, questions, **options):
        if users < 1 or attempts_per_user < 0 or weeks < 1 or questions < 0:
            raise CommandError("--users and --weeks must be at least 1, --attempts-per-user and --questions at least 0")
        began = time.perf_counter()
        if questions:
            self.stdout.write(f"{seed_questions(count=questions)} questions in {time.perf_counter() - began:.1f}s")
        try:
            report = seed_demo(users=users, attempts_per_user=attempts_per_user, weeks=weeks, prefix=prefix, seed=seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.perf_counter() - began
        self.stdout.write(
            f"{report.users} users, {report.attempts} attempts, {report.interviews} interviews, "
            f"{report.cards} review cards in {elapsed:.1f}s"
        )
        self.stdout.write(self.style.SUCCESS(f"sign in as {report.usernames[0]} with password {DEMO_PASSWORD}"))
