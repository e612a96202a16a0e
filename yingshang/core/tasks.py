"""The one Celery task: run a job of ``core.jobs`` by its id (what it does is the registered function)."""

from yingshang.celery import app


@app.task(name="yingshang.run_job", ignore_result=True, acks_late=True)
def run_job(pk: int) -> str:
    from . import jobs

    return jobs.run(pk)
