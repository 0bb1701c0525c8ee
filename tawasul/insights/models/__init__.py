"""Insights: trends of public opinion for analysts, public results for everyone.

The models are split by concern (one module each) and gathered here.
"""

from tawasul.insights.models.access import Insights

__all__ = ["Insights"]
