"""Staff roles as Django groups with permissions; kept in step on every migrate.

Later capabilities add their permissions to ``ROLE_PERMISSIONS`` (app label and
codename); ``ensure_roles`` is idempotent and only ever adds.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

# Group name -> permissions. Editors and Moderators are also the groups Wagtail
# creates for page editing and publishing; we reuse them rather than duplicate.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    "Editors": [
        ADMIN_ACCESS,
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        # Polls: write, translate and schedule them; results are the analysts' (polls/rules.py).
        ("polls", "add_poll"),
        ("polls", "change_poll"),
        ("polls", "delete_poll"),
        ("polls", "view_poll"),
        # Issues for discussion: write, translate, open and close them, publish the outcome.
        ("discussions", "add_discussionissue"),
        ("discussions", "change_discussionissue"),
        ("discussions", "delete_discussionissue"),
        ("discussions", "view_discussionissue"),
        ("simple_translation", "submit_translation"),
    ],
    "Moderators": [
        ADMIN_ACCESS,
        ("polls", "moderate_other"),
        ("comments", "view_comment"),
        ("comments", "moderate_comment"),
        ("comments", "export_comment"),
        ("comments", "view_authorblock"),
        ("discussions", "view_discussionissue"),
    ],
    # Inquiries: their departments' cases (inquiries/rules.py; membership in DeskMember).
    "Department agents": [
        ADMIN_ACCESS,
        ("inquiries", "handle_case"),
        ("inquiries", "approve_faq"),
    ],
    "Analysts": [
        ADMIN_ACCESS,
        ("polls", "view_poll"),
        ("polls", "view_results"),
        ("polls", "export_results"),
        ("polls", "view_resultsaccess"),
        ("comments", "export_comment"),
        ("discussions", "view_discussionissue"),
        ("discussions", "export_discussion"),
        ("inquiries", "view_reports"),
        ("insights", "view_dashboard"),
        ("insights", "view_reports"),
    ],
    "Administrators": [ADMIN_ACCESS],
}
ROLES = {
    "editor": "Editors",
    "moderator": "Moderators",
    "agent": "Department agents",
    "analyst": "Analysts",
    "administrator": "Administrators",
}


def ensure_roles() -> dict[str, Group]:
    groups = {}
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        if name == "Administrators":
            permissions = Permission.objects.all()
        else:
            query = Q(pk__in=[])
            for app_label, codename in wanted:
                query |= Q(content_type__app_label=app_label, codename=codename)
            permissions = Permission.objects.filter(query)
        group.permissions.add(*permissions)
        groups[name] = group
    _grant_page_permissions(groups)
    return groups


def _grant_page_permissions(groups: dict[str, Group]) -> None:
    """Administrators manage the whole page tree (Wagtail keeps page rights per subtree)."""
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        permission = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if permission is not None:
            GroupPagePermission.objects.get_or_create(
                group=groups["Administrators"], page=root, permission=permission
            )


def on_post_migrate(sender, apps=None, **kwargs) -> None:
    """Run once, after the last app's permissions have been created."""
    from django.apps import apps as global_apps

    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if with_models and sender is with_models[-1]:
        ensure_roles()
