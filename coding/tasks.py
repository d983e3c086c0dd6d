"""Code runs as background tasks: never in the request, always in a worker (`manage.py db_worker`)."""

from django_tasks import task

from .services import code_run_execute


@task()
def code_run_task(run_id: int) -> None:
    code_run_execute(run_id=run_id)
