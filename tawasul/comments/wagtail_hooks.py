"""The comments app in the Wagtail admin: menu, bulk actions, audit-log actions, dashboard."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from tawasul.comments import admin_views, rules
from tawasul.comments.models import Reason


@hooks.register("register_admin_viewset")
def register_comments_admin():
    return admin_views.CommentsGroup()


for _action in admin_views.BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    if rules.can_moderate(request.user):
        panels.append(admin_views.ReviewPanel())


def _why(log_entry) -> str:
    data = log_entry.data or {}
    parts = []
    if data.get("reason") in Reason.values:
        parts.append(str(Reason(data["reason"]).label))
    if data.get("note"):
        parts.append(data["note"])
    return " — ".join(parts)


class _Decision(LogFormatter):
    done = ""

    def format_message(self, log_entry):
        why = _why(log_entry)
        return f"{self.done}: {why}" if why else str(self.done)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    """Moderation decisions in Wagtail's audit log: who (the user), when (the time),
    what (the action) and why (reason and note, shown in the message)."""

    def decision(action, label, done):
        actions.register_action(action)(type(action, (_Decision,), {"label": label, "done": done}))

    decision("comments.approve", _("Approve comment"), _("Comment approved"))
    decision("comments.reject", _("Reject comment"), _("Comment rejected"))
    decision("comments.hide", _("Hide comment"), _("Comment hidden"))
    decision("comments.restore", _("Restore comment"), _("Comment restored"))
    decision("comments.block_author", _("Block comment author"), _("Author blocked"))
    decision("comments.unblock_author", _("Unblock comment author"), _("Author unblocked"))

    @actions.register_action("comments.hold")
    class Held(LogFormatter):
        label = _("Comment held by screening")

        def format_message(self, log_entry):
            from tawasul.comments.screening import describe

            flags = "; ".join(describe(flag) for flag in log_entry.data.get("flags", []))
            return _("Held for review: %(flags)s") % {"flags": flags}

    @actions.register_action("comments.auto_hide")
    class AutoHidden(LogFormatter):
        label = _("Comment hidden after reports")

        def format_message(self, log_entry):
            return _("Hidden, pending review, after %(count)s reports") % {
                "count": log_entry.data.get("reports", 0)
            }

    actions.register_action("comments.edit", _("Edit comment"), _("Edited by the author"))
    actions.register_action("comments.delete", _("Delete comment"), _("Deleted by the author"))
