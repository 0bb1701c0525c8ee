"""What polls offer to search: the question, its explanation and the choices of every poll
the public can see (open or closed), never the free "Other" answers."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tawasul.polls.models import Poll
from tawasul.search.registry import Document, Source


def _public():
    return (
        Poll.objects.filter(status=Poll.Status.PUBLISHED, opens_at__lte=timezone.now())
        .select_related("locale")
        .prefetch_related("choices")
    )


def _poll(poll: Poll) -> Document | None:
    if not poll.is_public:
        return None
    return Document(
        title=poll.question,
        body="\n".join([poll.description, *(choice.label for choice in poll.choices.all())]),
        url=poll.get_absolute_url(),
        language=poll.locale.language_code,
        published_at=poll.opens_at,
    )


# timed: a scheduled poll becomes public when it opens, with nothing saved at that moment.
SOURCES = [Source("poll", _("Polls"), Poll, _public, _poll, 50, timed=True)]
