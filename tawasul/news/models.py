"""News: an index per language, articles, and their categories and tags."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from tawasul.news.blocks import ArticleBodyBlock

PAGE_SIZE = 12


@register_snippet
class NewsCategory(TranslatableMixin, models.Model):
    """A news category, translated like pages are (one row per language)."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


class NewsArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsIndexPage(RoutablePageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["news.NewsArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    def articles(self):
        """Live articles under this index, newest first, ready for a list (no N+1)."""
        return (
            NewsArticlePage.objects.child_of(self)
            .live()
            .public()
            .select_related("category", "lead_image")
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")
        )

    @path("")
    def index_route(self, request):
        return self.render(request)

    @path("feed/rss/", name="rss")
    def rss(self, request):
        from tawasul.news.feeds import NewsFeed

        return NewsFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom(self, request):
        from tawasul.news.feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)

    @path("category/<str:slug>/feed/rss/", name="category_rss")
    def category_rss(self, request, slug):
        from tawasul.news.feeds import NewsFeed

        category = get_object_or_404(NewsCategory, slug=slug, locale=self.locale)
        return NewsFeed(self, category)(request)

    @path("category/<str:slug>/feed/atom/", name="category_atom")
    def category_atom(self, request, slug):
        from tawasul.news.feeds import NewsAtomFeed

        category = get_object_or_404(NewsCategory, slug=slug, locale=self.locale)
        return NewsAtomFeed(self, category)(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()
        category_slug = request.GET.get("category", "")[:80]
        tag = request.GET.get("tag", "")[:100]
        category = None
        if category_slug:
            category = NewsCategory.objects.filter(slug=category_slug, locale=self.locale).first()
            articles = articles.filter(category=category) if category else articles.none()
        if tag:
            articles = articles.filter(tags__name=tag)
        paginator = Paginator(articles, PAGE_SIZE)
        try:
            page_of_articles = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_of_articles = paginator.page(1)
        except EmptyPage:
            page_of_articles = paginator.page(paginator.num_pages)
        from tawasul.news.selectors import prepare_cards

        page_of_articles.object_list = prepare_cards(page_of_articles.object_list)
        context.update(
            articles=page_of_articles,
            category=category,
            tag=tag,
            categories=NewsCategory.objects.filter(locale=self.locale),
        )
        return context


class NewsArticlePage(Page):
    og_type = "article"

    subtitle = models.CharField(_("subtitle"), max_length=250, blank=True)
    summary = models.TextField(
        _("summary"), max_length=600, blank=True, help_text=_("Shown in lists and feeds.")
    )
    published_at = models.DateTimeField(_("publication date"), default=timezone.now, db_index=True)
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_alt = models.CharField(
        _("lead image text alternative"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    lead_image_caption = models.CharField(_("lead image caption"), max_length=300, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    category = models.ForeignKey(
        NewsCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = ClusterTaggableManager(through=NewsArticleTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        FieldPanel("published_at"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_alt"),
                FieldPanel("lead_image_caption"),
            ],
            heading=_("Lead image"),
        ),
        FieldPanel("body"),
        FieldPanel("category"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def related_articles(self, limit: int = 3):
        """Newest articles of the same category (or the same index), in one query."""
        siblings = (
            NewsArticlePage.objects.sibling_of(self, inclusive=False)
            .live()
            .public()
            .select_related("lead_image")
            .order_by("-published_at")
        )
        if self.category_id:
            siblings = siblings.filter(category_id=self.category_id)
        return siblings[:limit]

    def structured_data(self, request) -> dict:
        """schema.org NewsArticle, for search engines (JSON-LD)."""
        home = self.get_parent().get_parent().specific
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "inLanguage": self.locale.language_code,
            "datePublished": self.published_at.isoformat(),
            "dateModified": (self.last_published_at or self.published_at).isoformat(),
            "mainEntityOfPage": request.build_absolute_uri(self.get_url(request)),
            "publisher": {
                "@type": "GovernmentOrganization",
                "name": getattr(home, "agency_name", "") or self.get_site().site_name,
            },
        }
        if self.summary or self.subtitle:
            data["description"] = self.summary or self.subtitle
        if self.lead_image:
            rendition = self.lead_image.get_rendition("fill-1200x630")
            data["image"] = [request.build_absolute_uri(rendition.url)]
        return data

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from tawasul.news.selectors import prepare_cards

        context["related_articles"] = prepare_cards(self.related_articles())
        context["article_tags"] = list(self.tags.all())
        return context


# Events and awareness material are models of this app, kept in their own modules.
from tawasul.news.awareness import (  # noqa: E402
    AwarenessCampaign,
    AwarenessIndexPage,
    AwarenessMaterialPage,
)
from tawasul.news.events import EventIndexPage, EventPage  # noqa: E402

__all__ = [
    "AwarenessCampaign",
    "AwarenessIndexPage",
    "AwarenessMaterialPage",
    "EventIndexPage",
    "EventPage",
    "NewsArticlePage",
    "NewsArticleTag",
    "NewsCategory",
    "NewsIndexPage",
]
