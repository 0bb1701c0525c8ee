from django.db import models
from django.utils.translation import gettext_lazy as _


class Insights(models.Model):
    """No table: the holder of the insights permissions, given to the Analysts role."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("insights")
        permissions = [
            ("view_dashboard", _("Can view the insights dashboard")),
            ("view_reports", _("Can produce and download insights reports")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)
