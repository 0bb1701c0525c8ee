"""Background work of search: thin tasks that call the service."""

from django_tasks import task

from tawasul.search import services


@task()
def update_search_entry(*, kind: str, object_id: int) -> None:
    services.search_object_changed(kind=kind, object_id=object_id)
