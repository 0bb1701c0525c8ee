"""tawasul newsletter-send CAMPAIGN — run the sender for one campaign in the foreground.

The task worker does the same (the send_campaign task); this command is for operators
(resume by hand, a dedicated sending host) and for the benchmark's crash test.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError

from tawasul.newsletter import sender, services
from tawasul.newsletter.models import Campaign


class Command(BaseCommand):
    help = "Send a running campaign (or start a draft with --start) until nothing is due."

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int)
        parser.add_argument("--concurrency", type=int, help="SMTP connections (threads)")
        parser.add_argument("--rate", type=float, help="messages per second (0: no limit)")
        parser.add_argument("--start", action="store_true", help="start a draft first")

    def handle(self, *args, campaign: int, concurrency, rate, start, **_):
        if not Campaign.objects.filter(pk=campaign).exists():
            raise CommandError(f"no campaign {campaign}")
        if start:
            try:
                services.campaign_start(campaign_id=campaign, enqueue=False)
            except services.NewsletterRefused as error:
                raise CommandError(str(error.message)) from None
        began = time.perf_counter()
        report = sender.campaign_send(campaign_id=campaign, concurrency=concurrency, rate=rate)
        seconds = time.perf_counter() - began
        self.stdout.write(json.dumps({**report.__dict__, "seconds": round(seconds, 3)}))
