"""Demo e-services for `tawasul demo`: ten services of a ministry of interior, in Arabic and
English, with their departments, categories and audiences.

Called by the core demo_content command; idempotent (found by slug, never duplicated).
"""

from __future__ import annotations

from tawasul.core.models import Department
from tawasul.eservices.models import ServiceAudience, ServiceCategory, ServiceIndexPage, ServicePage

PORTAL = "https://eservices.example.gov"

DEPARTMENTS = [
    ("passports", "الإدارة العامة للجوازات", "General Directorate of Passports"),
    ("traffic", "الإدارة العامة للمرور", "General Traffic Department"),
    ("civil-defence", "الإدارة العامة للدفاع المدني", "General Directorate of Civil Defence"),
    ("documents", "إدارة الوثائق والشهادات", "Documents and Certificates Department"),
    ("public-relations", "إدارة العلاقات العامة", "Public Relations Department"),
]
CATEGORIES = [
    ("passports-residency", "الجوازات والإقامة", "Passports and residency"),
    ("traffic-vehicles", "المرور والمركبات", "Traffic and vehicles"),
    ("safety", "السلامة والدفاع المدني", "Safety and civil defence"),
    ("certificates", "الوثائق والشهادات", "Documents and certificates"),
]
AUDIENCES = [
    ("citizens", "المواطنون", "Citizens"),
    ("residents", "المقيمون", "Residents"),
    ("visitors", "الزوار", "Visitors"),
    ("companies", "الشركات", "Companies"),
]

CENTRE = {
    "ar": ("مركز الخدمات الرئيسي", "مبنى الوزارة، الطابق الأرضي", "الأحد–الخميس 7:00–13:00"),
    "en": ("Main service centre", "Ministry building, ground floor", "Sunday–Thursday 7:00–13:00"),
}

# slug, department, category, audiences, fees (ar, en), time (ar, en), title/summary (ar, en),
# steps (ar, en), documents (ar, en)
SERVICES = [
    (
        "renew-passport",
        "passports",
        "passports-residency",
        ["citizens"],
        ("200 ريال", "200 riyals"),
        ("5 أيام عمل", "5 working days"),
        ("تجديد جواز السفر", "جدّد جواز سفرك إلكترونيًا واستلمه من مركز الخدمة أو بالبريد."),
        ("Passport renewal", "Renew your passport online and collect it or have it posted."),
        (
            ["سجّل الدخول بالهوية الرقمية", "ارفع صورة شخصية حديثة", "ادفع الرسوم", "استلم الجواز"],
            ["Sign in with your digital ID", "Upload a recent photo", "Pay the fee", "Collect it"],
        ),
        (
            ["جواز السفر الحالي", "صورة شخصية بخلفية بيضاء"],
            ["Current passport", "A photo, white background"],
        ),
    ),
    (
        "residence-permit",
        "passports",
        "passports-residency",
        ["residents", "companies"],
        ("500 ريال سنويًا", "500 riyals a year"),
        ("3 أيام عمل", "3 working days"),
        ("إصدار تصريح الإقامة", "تصدر الشركات تصاريح الإقامة لموظفيها القادمين."),
        ("Residence permit", "Companies apply for their incoming employees' residence permits."),
        (
            ["قدّم الطلب باسم الشركة", "أرفق الفحص الطبي", "ادفع الرسوم"],
            ["Apply in the company's name", "Attach the medical check", "Pay the fee"],
        ),
        (
            ["صورة جواز السفر", "عقد العمل", "نتيجة الفحص الطبي"],
            ["Copy of the passport", "Employment contract", "Medical check result"],
        ),
    ),
    (
        "visit-visa",
        "passports",
        "passports-residency",
        ["visitors", "companies"],
        ("100 ريال", "100 riyals"),
        ("يومان", "2 days"),
        ("طلب تأشيرة زيارة", "اطلب تأشيرة زيارة عائلية أو تجارية قبل السفر."),
        ("Visit visa", "Apply for a family or business visit visa before travelling."),
        (
            ["اختر نوع الزيارة", "أدخل بيانات الزائر", "ادفع الرسوم وتابع الطلب"],
            ["Choose the kind of visit", "Enter the visitor's details", "Pay and follow up"],
        ),
        (
            ["صورة جواز سفر الزائر", "حجز الفندق أو عنوان الإقامة"],
            ["Visitor's passport", "Hotel or address"],
        ),
    ),
    (
        "renew-driving-licence",
        "traffic",
        "traffic-vehicles",
        ["citizens", "residents"],
        ("250 ريال", "250 riyals"),
        ("فوري", "Immediately"),
        ("تجديد رخصة القيادة", "جدّد رخصة القيادة دون زيارة قسم المرور."),
        ("Driving licence renewal", "Renew your licence without visiting a traffic office."),
        (
            ["تأكد من سداد المخالفات", "أجرِ فحص النظر المعتمد", "ادفع الرسوم واطبع الرخصة"],
            ["Settle any fines", "Take the approved eye test", "Pay and print the licence"],
        ),
        (["رخصة القيادة الحالية", "نتيجة فحص النظر"], ["Current licence", "Eye test result"]),
    ),
    (
        "traffic-fines",
        "traffic",
        "traffic-vehicles",
        ["citizens", "residents", "visitors"],
        ("حسب المخالفة", "Depends on the violation"),
        ("فوري", "Immediately"),
        ("الاستعلام عن المخالفات المرورية وسدادها", "اعرف مخالفاتك وادفعها في دقيقة."),
        ("Traffic fines: check and pay", "See your traffic fines and pay them in a minute."),
        (
            ["أدخل رقم الهوية أو رقم اللوحة", "راجع المخالفات", "ادفع"],
            ["Enter your ID or plate number", "Review the fines", "Pay"],
        ),
        ([], []),
    ),
    (
        "vehicle-registration",
        "traffic",
        "traffic-vehicles",
        ["citizens", "residents", "companies"],
        ("150 ريال", "150 riyals"),
        ("فوري", "Immediately"),
        ("تجديد استمارة المركبة", "جدّد تسجيل مركبتك بعد الفحص الفني والتأمين."),
        ("Vehicle registration renewal", "Renew your vehicle's registration after inspection."),
        (
            ["أجرِ الفحص الفني", "جدّد التأمين", "ادفع الرسوم"],
            ["Pass the technical inspection", "Renew the insurance", "Pay the fee"],
        ),
        (["وثيقة التأمين سارية"], ["A valid insurance policy"]),
    ),
    (
        "fire-safety-certificate",
        "civil-defence",
        "safety",
        ["companies"],
        ("300 ريال", "300 riyals"),
        ("10 أيام عمل", "10 working days"),
        ("شهادة السلامة من الحريق للمنشآت", "شهادة تُثبت استيفاء المنشأة اشتراطات السلامة."),
        ("Fire safety certificate", "Certifies that premises meet the fire safety rules."),
        (
            ["قدّم الطلب مع المخططات", "حدّد موعد المعاينة", "استلم الشهادة"],
            ["Apply with the floor plans", "Book the inspection", "Receive the certificate"],
        ),
        (
            ["السجل التجاري", "مخططات المبنى", "عقد صيانة أنظمة الإطفاء"],
            ["Commercial register", "Building plans", "Fire-system maintenance contract"],
        ),
    ),
    (
        "police-clearance",
        "documents",
        "certificates",
        ["citizens", "residents"],
        ("50 ريال", "50 riyals"),
        ("يوم عمل واحد", "1 working day"),
        ("شهادة حسن السيرة والسلوك", "شهادة رسمية لجهات العمل والسفارات."),
        ("Police clearance certificate", "An official certificate for employers and embassies."),
        (
            ["قدّم الطلب إلكترونيًا", "ادفع الرسوم", "حمّل الشهادة الموثّقة"],
            ["Apply online", "Pay the fee", "Download the signed certificate"],
        ),
        (["بطاقة الهوية"], ["Identity card"]),
    ),
    (
        "lost-document",
        "documents",
        "certificates",
        ["citizens", "residents", "visitors"],
        ("مجانًا", "Free"),
        ("فوري", "Immediately"),
        ("الإبلاغ عن فقدان وثيقة", "أبلغ عن فقدان جواز أو هوية أو رخصة لإيقافها فورًا."),
        ("Report a lost document", "Report a lost passport, ID or licence to stop its use."),
        (
            ["اختر نوع الوثيقة", "صف مكان الفقدان وزمانه", "احصل على رقم البلاغ"],
            ["Choose the document", "Say where and when it was lost", "Get a report number"],
        ),
        ([], []),
    ),
    (
        "public-event-permit",
        "public-relations",
        "safety",
        ["companies"],
        ("مجانًا", "Free"),
        ("7 أيام عمل", "7 working days"),
        ("تصريح إقامة فعالية عامة", "تصريح أمني للفعاليات والتجمعات العامة."),
        ("Permit for a public event", "The security permit for public events and gatherings."),
        (
            ["قدّم تفاصيل الفعالية", "أرفق خطة السلامة", "تابع الموافقة"],
            ["Give the event's details", "Attach the safety plan", "Follow the approval"],
        ),
        (
            ["خطة السلامة والإخلاء", "موافقة مالك الموقع"],
            ["Safety and evacuation plan", "Venue owner's consent"],
        ),
    ),
]


def _terms(model, specs, locales) -> dict:
    terms = {}
    for slug, name_ar, name_en in specs:
        term = model.objects.filter(slug=slug, locale=locales["ar"]).first()
        if term is None:
            term = model.objects.create(slug=slug, name=name_ar, locale=locales["ar"])
        english = term.get_translation_or_none(locales["en"])
        if english is None:
            english = term.copy_for_translation(locales["en"])
            english.name = name_en
            english.save()
        terms[slug] = {"ar": term, "en": english}
    return terms


def _fields(spec, lang: str, terms) -> dict:
    slug, department, category, _audiences, fees, time, ar, en, steps, documents = spec
    i = 0 if lang == "ar" else 1
    title, summary = (ar, en)[i]
    centre = CENTRE[lang]
    return {
        "title": title,
        "summary": summary,
        "fees": fees[i],
        "processing_time": time[i],
        "start_url": f"{PORTAL}/{slug}",
        "department": terms["departments"][department][lang],
        "category": terms["categories"][category][lang],
        "steps": [("step", {"title": step, "detail": ""}) for step in steps[i]],
        "required_documents": [("document", {"name": name, "note": ""}) for name in documents[i]],
        "channels": [
            ("online", {"url": f"{PORTAL}/{slug}", "label": ""}),
            (
                "centre",
                {
                    "name": centre[0],
                    "address": centre[1],
                    "hours": centre[2],
                    "phone": "+974 4000 0000",
                },
            ),
        ],
    }


def load(home, locales, translate) -> None:
    index = ServiceIndexPage.objects.child_of(home).first()
    if index is None:
        index = ServiceIndexPage(
            title="الخدمات الإلكترونية",
            slug="eservices",
            intro="أنجز معاملاتك إلكترونيًا في وقت أقصر وبجهد أقل.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    translate(
        index,
        locales["en"],
        {"title": "E-services", "intro": "Complete your transactions online, in less time."},
    )
    terms = {
        "departments": _terms(Department, DEPARTMENTS, locales),
        "categories": _terms(ServiceCategory, CATEGORIES, locales),
        "audiences": _terms(ServiceAudience, AUDIENCES, locales),
    }
    for spec in SERVICES:
        slug, audiences = spec[0], spec[3]
        service = ServicePage.objects.child_of(index).filter(slug=slug).first()
        if service is None:
            service = ServicePage(slug=slug, **_fields(spec, "ar", terms))
            service.audiences.set([terms["audiences"][key]["ar"] for key in audiences])
            index.add_child(instance=service)
            service.save_revision().publish()
        english = service.get_translation_or_none(locales["en"])
        if english is None:
            english = translate(service, locales["en"], _fields(spec, "en", terms))
            english.audiences.set([terms["audiences"][key]["en"] for key in audiences])
            english.save_revision().publish()
