"""Public results: closed polls with their results, and what was heard in closed issues for
discussion and what the ministry will do. The same for every visitor (no form, no own
vote), so the anonymous page cache may keep them; every page works without JavaScript."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_safe

from tawasul.core.templatetags.tawasul import _arabic_indic
from tawasul.insights import results


@require_safe
def index(request):
    language = translation.get_language()
    rtl = translation.get_language_bidi()
    context = {
        "polls": results.closed_polls(
            language, rtl=rtl, arabic_indic=_arabic_indic({"request": request})
        ),
        "issues": results.closed_issues(language, rtl=rtl),
    }
    return render(request, "insights/results.html", context)


@require_safe
def issue(request, pk: int):
    rtl = translation.get_language_bidi()
    found = results.closed_issue(pk, rtl=rtl)
    if found is None:
        raise Http404("no closed issue")
    language = translation.get_language()
    if found.locale.language_code != language:
        translated = results.issue_in_language(found, language)
        if translated is not None:
            return redirect("insights:issue", pk=translated.pk)
    return render(request, "insights/outcome.html", {"issue": found})
