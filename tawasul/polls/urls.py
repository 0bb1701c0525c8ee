from django.urls import path

from tawasul.polls import views

app_name = "polls"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/panel/", views.panel, name="panel"),
    path("<int:pk>/vote/", views.vote, name="vote"),
]
