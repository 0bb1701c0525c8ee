"""The search page: every search has its own address (a GET form), so it can be shared."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from tawasul.search import selectors
from tawasul.search.forms import SearchForm

PAGE_SIZE = 10
MAX_PAGE = 100


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    page_number = 1
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        language = data["lang"] or translation.get_language()
        try:
            page_number = max(1, min(int(request.GET.get("page", 1)), MAX_PAGE))
        except ValueError:
            page_number = 1
        date_to = form.day_start(data["date_to"])
        results = selectors.search(
            data["q"],
            kinds=data["type"] or None,
            language=None if language == "all" else language,
            date_from=form.day_start(data["date_from"]),
            date_to=date_to + dt.timedelta(days=1) if date_to else None,
            page=page_number,
            page_size=PAGE_SIZE,
        )
    pages = None
    if results is not None and results.total > PAGE_SIZE:
        paginator = Paginator(range(min(results.total, PAGE_SIZE * MAX_PAGE)), PAGE_SIZE)
        pages = paginator.get_page(page_number)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "pages": pages,
            "query_string": query_without_page.urlencode(),
        },
    )
