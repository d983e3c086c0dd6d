from django.urls import path

from . import views

urlpatterns = [
    path("attempts/<int:pk>/", views.grading_status, name="grading_status"),
]
