"""What discussions offer to search: the title, question and background of every issue the
public can see, and its outcome once published (never the statements, which are short
opinions best read in their issue)."""

from django.utils.translation import gettext_lazy as _

from tawasul.discussions import selectors
from tawasul.discussions.models import DiscussionIssue
from tawasul.search.registry import Document, Source


def _issue(issue: DiscussionIssue) -> Document | None:
    if not issue.is_public:
        return None
    return Document(
        title=issue.title,
        body="\n".join(
            [issue.question, issue.background, issue.what_we_heard, issue.what_we_will_do]
        ),
        url=issue.get_absolute_url(),
        language=issue.locale.language_code,
        published_at=issue.opens_at,
    )


# timed: an issue becomes public when it opens, with nothing saved at that moment.
SOURCES = [
    Source(
        "discussion",
        _("Issues for discussion"),
        DiscussionIssue,
        selectors.public_issues,
        _issue,
        55,
        timed=True,
    )
]
