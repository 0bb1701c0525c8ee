"""Background work for comments: thin wrappers that call services."""

from django_tasks import task

from tawasul.comments import services


@task()
def send_comment_notification(comment_id: int, kind: str, event: int = 0) -> None:
    services.comment_notify(comment_id=comment_id, kind=kind, event=event)
