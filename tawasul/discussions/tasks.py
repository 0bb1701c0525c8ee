"""Background work for discussions: thin wrappers that call services."""

from django_tasks import task

from tawasul.discussions import services


@task()
def analysis_refresh(issue_key: str) -> None:
    """Recompute an issue's opinion groups if votes arrived since the last computation."""
    services.analysis_refresh(issue_key=issue_key)
