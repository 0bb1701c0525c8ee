from django.urls import path

from tawasul.comments import views

app_name = "comments"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/off/<str:token>/", views.notifications_off, name="notifications_off"),
    path("<int:pk>/", views.link, name="link"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<slug:kind>/<int:target_id>/", views.post, name="post"),
]
