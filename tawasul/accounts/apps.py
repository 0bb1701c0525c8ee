from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tawasul.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from tawasul.accounts import roles

        # Roles need every app's permissions, which exist only after migrate.
        post_migrate.connect(roles.on_post_migrate, dispatch_uid="tawasul.accounts.roles")
