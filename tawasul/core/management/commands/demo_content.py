"""Load the bilingual demo content. Idempotent: a second run changes nothing.

Used by ``tawasul demo``; also useful on its own (``tawasul demo_content``).
"""

from __future__ import annotations

import secrets
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from wagtail.models import Collection, Locale, Page, Site

from tawasul.accounts.models import User
from tawasul.accounts.roles import ensure_roles
from tawasul.core.models import HomePage, SiteSettings, StandardPage

DEMO_ADMIN_EMAIL = "admin@tawasul.local"

HOME = {
    "ar": {
        "title": "الرئيسية",
        "agency_name": "وزارة الداخلية",
        "tagline": "بوابة التواصل مع الجمهور",
        "intro": (
            "<p>تواصل هي نافذة الوزارة التفاعلية مع الجمهور: تتعرّف من خلالها على أنشطة "
            "الوزارة وفعالياتها، وتطّلع على مواد التوعية الأمنية، وتُبدي رأيك في القضايا "
            "المطروحة للنقاش وفي استطلاعات الرأي، وترسل أسئلتك واقتراحاتك حول الخدمات التي "
            "تقدّمها إدارات الوزارة.</p>"
            "<p>تساعدك الخدمات الإلكترونية على إنجاز معاملاتك في وقت أقصر وبجهد أقل، "
            "ويصلك البريد التوعوي إذا اشتركت في النشرة.</p>"
        ),
    },
    "en": {
        "title": "Home",
        "agency_name": "Ministry of Interior",
        "tagline": "The public's portal to the ministry",
        "intro": (
            "<p>Tawasul is the ministry's interactive window to the public: follow the "
            "ministry's activities and events, read its security-awareness material, give "
            "your opinion on the issues for discussion and in opinion polls, and send your "
            "questions and suggestions about the services of the ministry's departments.</p>"
            "<p>The e-services save you time and effort, and the awareness newsletter reaches "
            "you by email when you subscribe.</p>"
        ),
    },
}

PAGES = [
    {
        "slug": "about",
        "ar": (
            "عن البوابة",
            "من نحن وما الذي تقدّمه البوابة.",
            "<p>أُنشئ أول موقع للوزارة عام 2002، وهو اليوم مصدر رئيسي للمعلومات "
            "والخدمات لشريحة واسعة من المجتمع.</p>",
        ),
        "en": (
            "About the portal",
            "Who we are and what the portal offers.",
            "<p>The ministry's first website opened in 2002; today it is a main source "
            "of information and services for a large part of society.</p>",
        ),
    },
    {
        "slug": "privacy",
        "ar": (
            "سياسة الخصوصية",
            "كيف نتعامل مع بياناتك.",
            "<p>لا تُحمّل هذه البوابة أي ملف من موقع آخر، ولا تستخدم أدوات تتبّع. "
            "يمكنك تنزيل بياناتك أو حذف حسابك في أي وقت من صفحة حسابك.</p>"
            "<h2>مقاطع الفيديو</h2>"
            "<p>تُعرض مقاطع الفيديو المنشورة على YouTube أو Vimeo بصورة محفوظة على البوابة، "
            "ولا يُحمَّل أي شيء من تلك المواقع حتى تضغط زر التشغيل. عندها فقط يُحمَّل مشغّل "
            "الموقع (من youtube-nocookie.com أو player.vimeo.com)، ويخضع لسياسة الخصوصية "
            "الخاصة به. ويمكنك بدلًا من ذلك فتح الفيديو على موقعه.</p>",
        ),
        "en": (
            "Privacy policy",
            "How we handle your data.",
            "<p>This portal loads nothing from any other site and uses no trackers. "
            "You can download your data or delete your account at any time from your "
            "account page.</p>"
            "<h2>Videos</h2>"
            "<p>Videos published on YouTube or Vimeo are shown as a picture kept on this "
            "portal, and nothing is loaded from those sites until you press play. Only then "
            "is the site's player loaded (from youtube-nocookie.com or player.vimeo.com), "
            "under that site's own privacy policy. You can also open the video on its "
            "site instead.</p>",
        ),
    },
    {
        "slug": "accessibility",
        "ar": (
            "بيان إمكانية الوصول",
            "التزامنا بأن تكون البوابة متاحة للجميع.",
            "<p>نعمل على أن تستوفي البوابة معايير WCAG 2.2 بمستوى AA باللغتين العربية "
            "والإنجليزية. إن واجهتك صعوبة فراسلنا.</p>",
        ),
        "en": (
            "Accessibility statement",
            "Our commitment that everyone can use the portal.",
            "<p>We aim for WCAG 2.2 level AA in Arabic and English. If something is hard "
            "to use, please tell us.</p>",
        ),
    },
    {
        "slug": "terms",
        "ar": (
            "شروط الاستخدام",
            "القواعد التي تنظّم المشاركة في البوابة.",
            "<p>نرحّب بآرائكم البنّاءة. تُراجع المشاركات قبل نشرها، ولا تُنشر "
            "المشاركات المسيئة أو التي تتضمن بيانات شخصية.</p>",
        ),
        "en": (
            "Terms of use",
            "The rules for taking part on the portal.",
            "<p>Constructive opinions are welcome. Contributions are reviewed before "
            "they are published; abusive ones, or ones with personal data, are not.</p>",
        ),
    },
    {
        "slug": "contact",
        "ar": (
            "اتصل بنا",
            "طرق التواصل مع الوزارة.",
            "<p>يمكنك التواصل معنا عبر صفحاتنا على مواقع التواصل الاجتماعي.</p>",
        ),
        "en": (
            "Contact us",
            "How to reach the ministry.",
            "<p>You can reach us through our social media pages.</p>",
        ),
    },
]

SOCIAL = {
    "facebook_url": "https://www.facebook.com/tawasul.demo",
    "x_url": "https://x.com/tawasul_demo",
    "youtube_url": "https://www.youtube.com/@tawasul-demo",
    "instagram_url": "https://www.instagram.com/tawasul.demo",
}


class Command(BaseCommand):
    help = "Load bilingual (Arabic/English) demo content and a demo administrator."

    def handle(self, *args, **options):
        with transaction.atomic():
            locales = {
                code: Locale.objects.get_or_create(language_code=code)[0]
                for code, _name in settings.LANGUAGES
            }
            home = self._home(locales)
            for spec in PAGES:
                self._standard_page(home, spec, locales)
            # Each capability adds its own demo content (its app's demo.load).
            for app_config in apps.get_app_configs():
                if app_config.name.startswith("tawasul.") and module_has_submodule(
                    app_config.module, "demo"
                ):
                    demo = import_module(f"{app_config.name}.demo")
                    demo.load(home, locales, self._translate)
            site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
            changed = [name for name, url in SOCIAL.items() if not getattr(site_settings, name)]
            for name in changed:
                setattr(site_settings, name, SOCIAL[name])
            if changed:
                site_settings.save(update_fields=changed)
            ensure_roles()
            email, password = self._admin()
        self.stdout.write(self.style.SUCCESS("Demo content is ready (Arabic and English)."))
        self.stdout.write(f"Demo administrator: {email}  password: {password}")

    def _home(self, locales) -> HomePage:
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locales["ar"])
        )
        # Wagtail's migrations make the root collection; an emptied database lacks it.
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        home = HomePage.objects.filter(locale=locales["ar"], depth=2).first()
        if home is None:
            # Wagtail's own "Welcome" page (and the site pointing at it) from its first
            # migration would take the slug; remove it when it is still untouched.
            for placeholder in Page.objects.filter(depth=2).exact_type(Page):
                if not placeholder.get_children().exists():
                    placeholder.delete()
            spec = HOME["ar"]
            home = HomePage(slug="home", locale=locales["ar"], **spec)
            root.add_child(instance=home)
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Tawasul",
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save(update_fields=["root_page"])
        self._translate(home, locales["en"], HOME["en"])
        return home

    def _standard_page(self, home: HomePage, spec: dict, locales) -> None:
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            title, intro, body = spec["ar"]
            page = StandardPage(
                slug=spec["slug"], title=title, intro=intro, body=body, show_in_menus=True
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        title, intro, body = spec["en"]
        self._translate(page, locales["en"], {"title": title, "intro": intro, "body": body})

    @staticmethod
    def _translate(page: Page, locale: Locale, fields: dict) -> Page:
        existing = page.get_translation_or_none(locale)
        if existing is not None:
            return existing
        translated = page.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(translated, name, value)
        translated.save()
        translated.save_revision().publish()
        return translated

    def _admin(self) -> tuple[str, str]:
        """The demo administrator; its password is kept in the data folder between runs."""
        path = settings.DATA_DIR / "demo-admin-password.txt"
        password = path.read_text().strip() if path.exists() else secrets.token_urlsafe(12)
        user = User.objects.filter(email=DEMO_ADMIN_EMAIL).first()
        if user is None:
            User.objects.create_superuser(
                email=DEMO_ADMIN_EMAIL, password=password, display_name="مدير النظام"
            )
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n")
            path.chmod(0o600)
        return DEMO_ADMIN_EMAIL, password
