"""Who may do what with a poll, as plain predicates (tested as a matrix in
tests/test_rules.py: role × action × poll state).

The results rule is public: ``results_rule_text`` writes it in words for the poll page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tawasul.polls.models import Poll


def is_staff_with(user, codename: str) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(f"polls.{codename}")
    )


def can_vote(user, poll: Poll) -> bool:
    """Whether this person may cast (or try to cast) a vote now: the poll is open, and
    for citizens-only polls they are signed in. Whether they already voted is the
    unique constraint's business, not a rule."""
    if not poll.is_open:
        return False
    if poll.electorate == Poll.Electorate.CITIZENS:
        return bool(user is not None and user.is_authenticated)
    return True


def can_change_vote(poll: Poll) -> bool:
    return poll.allow_change and poll.is_open


def can_see_results(user, poll: Poll, *, has_voted: bool) -> bool:
    """The public rule, the same on the page, in the API and in the widget."""
    state = poll.state
    if state == Poll.State.CLOSED:
        return True
    if state != Poll.State.OPEN:
        return False
    if poll.results_visibility == Poll.Visibility.ALWAYS:
        return True
    if poll.results_visibility == Poll.Visibility.AFTER_VOTING:
        return has_voted
    return False


def can_see_results_as_staff(user, poll: Poll) -> bool:
    """Staff screens: closed polls to whoever may see results; open ones only when the
    poll says staff may (every such view is logged by the service)."""
    if not is_staff_with(user, "view_results"):
        return False
    state = poll.state
    if state == Poll.State.CLOSED:
        return True
    return state == Poll.State.OPEN and (
        poll.staff_see_live_results or poll.results_visibility == Poll.Visibility.ALWAYS
    )


def can_export(user, poll: Poll) -> bool:
    return is_staff_with(user, "export_results") and can_see_results_as_staff(user, poll)


def can_moderate_other(user) -> bool:
    return is_staff_with(user, "moderate_other")


def results_rule_text(poll: Poll) -> str:
    """The results rule in words, for the public (shown before anyone votes)."""
    public = {
        Poll.Visibility.ALWAYS: _("Everyone can see the results at any time, also before voting."),
        Poll.Visibility.AFTER_VOTING: _(
            "You see the results after you vote; everyone sees them once the poll closes."
        ),
        Poll.Visibility.AFTER_CLOSING: _(
            "Nobody sees the results before the poll closes; then everyone sees them."
        ),
    }[poll.results_visibility]
    if poll.results_visibility == Poll.Visibility.ALWAYS:
        staff = _(
            "The ministry's staff see the same results as everyone; each time they open them "
            "in the staff screens while the poll is open is recorded."
        )
    elif poll.staff_see_live_results:
        staff = _(
            "While the poll is open, the ministry's analysts may see the results; "
            "each time they do is recorded."
        )
    else:
        staff = _("While the poll is open, the ministry's staff do not see the results either.")
    return f"{public} {staff}"


def electorate_text(poll: Poll) -> str:
    if poll.electorate == Poll.Electorate.CITIZENS:
        return _("Signed-in citizens may vote, one vote per account.")
    return _("Anyone may vote, one vote per browser.")


def change_text(poll: Poll) -> str:
    if poll.allow_change:
        return _("You may change your vote until the poll closes.")
    return _("A vote cannot be changed once it is cast.")
