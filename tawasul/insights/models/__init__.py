"""Insights: trends of public opinion for analysts, public results for everyone.

The models are split by concern (one module each) and gathered here.
"""

from tawasul.insights.models.access import Insights
from tawasul.insights.models.reports import ReportJob
from tawasul.insights.models.rollups import (
    DailyCount,
    DailyTerm,
    Dimension,
    DirtyDay,
    Metric,
    MonthlyTerm,
    OpinionSnapshot,
    TermSource,
)

__all__ = [
    "DailyCount",
    "DailyTerm",
    "Dimension",
    "DirtyDay",
    "Insights",
    "Metric",
    "MonthlyTerm",
    "OpinionSnapshot",
    "ReportJob",
    "TermSource",
]
