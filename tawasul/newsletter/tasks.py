"""Background work for the newsletter: thin wrappers that call services."""

from django_tasks import task

from tawasul.newsletter import sender, services


@task()
def send_subscriber_mail(subscriber_id: int, kind: str) -> None:
    services.subscriber_mail(subscriber_id=subscriber_id, kind=kind)


@task()
def send_campaign(campaign_id: int) -> None:
    sender.campaign_send(campaign_id=campaign_id)
