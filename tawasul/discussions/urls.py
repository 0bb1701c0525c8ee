from django.urls import path

from tawasul.discussions import views

app_name = "discussions"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/statements/", views.submit, name="submit"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/export/<str:what>.<str:fmt>", views.export, name="export"),
]
