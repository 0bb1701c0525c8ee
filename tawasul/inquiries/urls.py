from django.urls import path

from tawasul.inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.index, name="index"),
    path("sent/", views.sent, name="sent"),
    path("track/", views.track, name="track"),
    path("case/<str:token>/", views.case, name="case"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("faq/", views.faq, name="faq"),
]
