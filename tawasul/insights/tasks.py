"""Background work for insights: thin wrappers that call services."""

from django_tasks import task

from tawasul.insights import services


@task()
def build_report(job_id: int) -> None:
    """Build the PDF of one report job (a job already started or finished is left alone)."""
    services.report_job_run(job_id=job_id)
