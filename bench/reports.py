"""Report benchmark: the time to build each PDF report, Arabic and English, next to the
time to gather its content and render its HTML (the floor any PDF pays), in one run.

    python bench/reports.py [--participants 2000] [--statements 60] [--poll-votes 20000]

Works in a temporary data folder (SQLite unless DATABASE_URL is set): the demo content,
then one issue for discussion with ``--participants`` pseudonymous participants voting on
``--statements`` statements (in three camps; the analysis computed), one closed poll with
``--poll-votes`` votes, and the period report over the last 120 days. Prints the median of
three builds per report and language, and the PDF's size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(participants: int, statements: int, poll_votes: int) -> tuple[int, int]:
    from django.utils import timezone
    from wagtail.models import Locale

    from tawasul.discussions import services as discussion_services
    from tawasul.discussions.models import DiscussionIssue, Participant, Vote
    from tawasul.polls.models import Poll, PollChoice, VoteChoice
    from tawasul.polls.models import Vote as PollVote

    rng = random.Random(7)
    now = timezone.now()
    arabic = Locale.objects.get(language_code="ar")
    issue = DiscussionIssue.objects.create(
        locale=arabic,
        title="قضية للقياس: النقل العام في المدن",
        question="كيف نحسّن النقل العام؟",
        background="بيانات مولّدة للقياس.",
        what_we_heard="سمعنا آراء كثيرة.",
        what_we_will_do="سنعمل على تحسين النقل العام.",
        status=DiscussionIssue.Status.CLOSED,
        opens_at=now - dt.timedelta(days=100),
        closes_at=now - dt.timedelta(days=10),
    )
    seeds = [
        discussion_services.statement_seed(issue=issue, text=f"رأي مولّد رقم {n} عن النقل")
        for n in range(statements)
    ]
    camps = [[rng.choice((1, -1)) for _ in seeds] for _ in range(3)]
    votes = []
    for n in range(participants):
        when = now - dt.timedelta(days=rng.randint(11, 99))
        person = Participant(issue_key=issue.key, identity=f"bench:{n}", created_at=when)
        votes.append((person, camps[n % 3]))
    Participant.objects.bulk_create([p for p, _camp in votes], batch_size=2000)
    rows = []
    for person, camp in votes:
        for i, statement in enumerate(seeds):
            if rng.random() < 0.4:
                value = camp[i] if rng.random() < 0.8 else -camp[i]
                rows.append(
                    Vote(
                        issue_key=issue.key,
                        participant=person,
                        statement=statement,
                        value=value,
                        created_at=person.created_at,
                    )
                )
    Vote.objects.bulk_create(rows, batch_size=5000)
    discussion_services.analysis_compute(issue_key=issue.key)

    poll = Poll.objects.create(
        locale=arabic,
        question="ما الخدمة التي تستخدمها أكثر؟ (قياس)",
        status=Poll.Status.PUBLISHED,
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=5),
    )
    choices = [
        PollChoice.objects.create(poll=poll, locale=arabic, label=f"الخيار {n}", sort_order=n)
        for n in range(6)
    ]
    cast = [
        PollVote(
            poll_key=poll.translation_key,
            voter=f"b:{uuid.uuid4().hex[:20]}",
            browser=uuid.uuid4().hex[:20],
            language="ar",
            created_at=now - dt.timedelta(days=rng.randint(6, 59)),
        )
        for _ in range(poll_votes)
    ]
    PollVote.objects.bulk_create(cast, batch_size=5000)
    VoteChoice.objects.bulk_create(
        [
            VoteChoice(
                vote=vote,
                poll_key=poll.translation_key,
                choice_key=rng.choice(choices).translation_key,
            )
            for vote in cast
        ],
        batch_size=5000,
    )
    return issue.pk, poll.pk


def timed(function, repeat: int = 3) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=60)
    parser.add_argument("--poll-votes", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as folder:
        os.environ["TAWASUL_DATA"] = folder
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
        import logging

        import django

        django.setup()
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        from django.core.management import call_command
        from django.utils import timezone, translation

        from tawasul.insights import pdf, reports

        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
        began = time.perf_counter()
        issue_id, poll_id = generate(args.participants, args.statements, args.poll_votes)
        print(
            f"generated {args.participants} participants x {args.statements} statements "
            f"and {args.poll_votes} poll votes in {time.perf_counter() - began:.1f} s"
        )
        today = timezone.localdate()
        requests = {
            "issue": {"object_id": issue_id},
            "poll": {"object_id": poll_id},
            "period": {"start": today - dt.timedelta(days=120), "end": today},
        }
        print(f"\n{'report':8} {'lang':4} {'content+HTML (s)':>17} {'PDF (s)':>9} {'KB':>6}")
        for kind, request in requests.items():
            for language in ("ar", "en"):
                with translation.override(language):
                    rtl = translation.get_language_bidi()

                    def content(kind=kind, request=request, language=language, rtl=rtl):
                        built = reports.build(kind, language=language, rtl=rtl, **request)
                        pdf.report_html(built, language)
                        return built

                    floor, built = timed(content)
                    whole, data = timed(
                        lambda built=built, language=language: pdf.render_pdf(built, language)
                    )
                print(
                    f"{kind:8} {language:4} {floor:17.2f} {floor + whole:9.2f} "
                    f"{len(data) / 1024:6.0f}"
                )


if __name__ == "__main__":
    main()
