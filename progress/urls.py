from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("topics/<slug:slug>/", views.topic_detail, name="progress_topic"),
    path("staff/", views.staff_stats, name="staff_stats"),
]
