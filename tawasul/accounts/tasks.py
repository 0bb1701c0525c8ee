"""Background work for accounts: thin wrappers that call services."""

from django_tasks import task

from tawasul.accounts import services


@task()
def send_verification_email(user_id: int, base_url: str) -> None:
    services.user_send_verification(user_id=user_id, base_url=base_url)


@task()
def send_account_email(subject: str, body: str, to: str) -> None:
    services.send_account_email(subject=subject, body=body, to=to)
