from django.urls import path

from tawasul.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("issues/<int:pk>/", views.issue, name="issue"),
]
