"""Regenerate the demo's awareness posters, video poster and PDF guides.

The files in ``tawasul/news/demo_data/`` are committed; run this only to change them:

    .venv/bin/python tools/make_demo_assets.py

It draws each one as an HTML page in the system Chromium (Debian's ``chromium``, with
``fonts-noto-core`` for Arabic) and saves a JPEG screenshot or a PDF.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "tawasul" / "news" / "demo_data"

SHIELD = (
    '<svg viewBox="0 0 100 120" width="150" height="180" aria-hidden="true">'
    '<path d="M50 4 L94 20 V58 C94 88 74 108 50 116 C26 108 6 88 6 58 V20 Z" '
    'fill="#ffffff" opacity="0.15" stroke="#ffffff" stroke-width="4"/>'
    '<path d="M30 60 L45 75 L72 45" fill="none" stroke="#f2b705" stroke-width="9" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)

STYLE = """
* { box-sizing: border-box; margin: 0; }
body { width: 800px; height: 1000px; font-family: 'Noto Naskh Arabic', 'Noto Sans', sans-serif;
  background: linear-gradient(160deg, #0b5d3b, #073f28 70%); color: #fff; padding: 64px;
  display: flex; flex-direction: column; gap: 36px; }
html[lang=en] body { font-family: 'Noto Sans', sans-serif; }
h1 { font-size: 64px; line-height: 1.3; }
p.lead { font-size: 30px; color: #e8f1ec; }
ol { font-size: 30px; line-height: 1.6; padding-inline-start: 40px; display: grid; gap: 12px; }
li::marker { color: #f2b705; font-weight: 700; }
footer { margin-block-start: auto; border-block-start: 3px solid #f2b705; padding-block-start: 20px;
  font-size: 26px; display: flex; justify-content: space-between; }
"""

POSTERS = {
    "poster-phishing": {
        "ar": (
            "لا تشارك رمز التحقق مع أحد",
            "رسائل التصيّد الاحتيالي تنتحل صفة جهات رسمية.",
            [
                "الوزارة لا تطلب رمز التحقق أو كلمة المرور أبدًا.",
                "تحقّق من عنوان الموقع قبل إدخال بياناتك.",
                "أبلغ عن الرسائل المشبوهة ولا تضغط على روابطها.",
            ],
            "وزارة الداخلية — حملة التوعية الأمنية",
        ),
        "en": (
            "Never share your verification code",
            "Phishing messages pretend to come from official bodies.",
            [
                "The ministry never asks for codes or passwords.",
                "Check the site's address before you type anything.",
                "Report suspicious messages; do not open their links.",
            ],
            "Ministry of Interior — security awareness",
        ),
    },
    "poster-home-safety": {
        "ar": (
            "بيتك أمانة",
            "خطوات بسيطة قبل السفر تحمي منزلك.",
            [
                "أغلق الأبواب والنوافذ وافصل الأجهزة الكهربائية.",
                "لا تعلن عن سفرك على مواقع التواصل الاجتماعي.",
                "اطلب من جار موثوق متابعة المنزل.",
            ],
            "وزارة الداخلية — حملة التوعية الأمنية",
        ),
        "en": (
            "Keep your home safe",
            "A few simple steps before you travel.",
            [
                "Lock doors and windows; unplug appliances.",
                "Do not announce your trip on social media.",
                "Ask a trusted neighbour to keep an eye on the house.",
            ],
            "Ministry of Interior — security awareness",
        ),
    },
}

GUIDE = {
    "ar": (
        "دليل الأمان الرقمي للأسرة",
        [
            ("كلمات المرور", "استخدم عبارة مرور طويلة لكل حساب، وفعّل التحقق بخطوتين."),
            ("الرسائل المشبوهة", "لا تفتح روابط أو مرفقات من مرسل لا تعرفه، وتحقّق من العنوان."),
            ("الأطفال على الإنترنت", "تحدّث مع أطفالك عمّا يشاركونه، واضبط إعدادات الخصوصية."),
            ("الإبلاغ", "أبلغ الوزارة عن أي احتيال عبر قسم «اسألنا» في البوابة."),
        ],
    ),
    "en": (
        "A family guide to digital safety",
        [
            ("Passwords", "Use a long passphrase for each account and turn on two-step sign-in."),
            ("Suspicious messages", "Do not open links or attachments from unknown senders."),
            ("Children online", "Talk with your children about what they share; set privacy."),
            ("Reporting", "Report any fraud to the ministry through the portal's Ask us section."),
        ],
    ),
}


def poster_html(lang: str, spec: tuple) -> str:
    title, lead, tips, footer = spec
    direction = "rtl" if lang == "ar" else "ltr"
    items = "".join(f"<li>{tip}</li>" for tip in tips)
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        f"<style>{STYLE}</style></head><body>{SHIELD}<h1>{title}</h1>"
        f'<p class="lead">{lead}</p><ol>{items}</ol><footer><span>{footer}</span></footer>'
        "</body></html>"
    )


def guide_html(lang: str) -> str:
    title, sections = GUIDE[lang]
    direction = "rtl" if lang == "ar" else "ltr"
    font = "'Noto Naskh Arabic'" if lang == "ar" else "'Noto Sans'"
    body = "".join(f"<h2>{heading}</h2><p>{text}</p>" for heading, text in sections)
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        f"<style>body{{font-family:{font},sans-serif;font-size:14pt;line-height:1.8;"
        "margin:2cm}h1{color:#0b5d3b;font-size:26pt}h2{color:#8a1538;font-size:16pt}</style>"
        f"</head><body><h1>{title}</h1>{body}</body></html>"
    )


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("needs Debian's chromium (apt-get install chromium fonts-noto-core)")
        return 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 800, "height": 1000})
        for name, languages in POSTERS.items():
            for lang, spec in languages.items():
                page.set_content(poster_html(lang, spec))
                page.screenshot(path=str(OUT / f"{name}.{lang}.jpg"), type="jpeg", quality=82)
        page.set_viewport_size({"width": 960, "height": 540})
        page.set_content(
            "<body style='margin:0;background:linear-gradient(135deg,#8a1538,#0b5d3b);"
            "width:960px;height:540px;display:grid;place-items:center'>"
            + SHIELD.replace('width="150" height="180"', 'width="260" height="312"')
            + "</body>"
        )
        page.screenshot(path=str(OUT / "video-poster.jpg"), type="jpeg", quality=82)
        for lang in GUIDE:
            page.set_content(guide_html(lang))
            page.pdf(path=str(OUT / f"digital-safety-guide.{lang}.pdf"), format="A4")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
