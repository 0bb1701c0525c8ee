"""Background work for inquiries: thin wrappers that call services."""

from django_tasks import task

from tawasul.inquiries import services


@task()
def send_case_mail(case_id: int, kind: str, message_pk: int = 0) -> None:
    services.case_mail_send(case_id=case_id, kind=kind, message_pk=message_pk)
