from django.urls import path

from . import views

urlpatterns = [
    path("", views.practice_home, name="practice_home"),
    path("next/", views.practice_next, name="practice_next"),
    path("questions/<int:pk>/reveal/", views.practice_reveal, name="practice_reveal"),
    path("attempts/<int:pk>/", views.practice_attempt, name="practice_attempt"),
    path("attempts/<int:pk>/rate/", views.practice_rate, name="practice_rate"),
    path("attempts/<int:pk>/undo/", views.practice_undo, name="practice_undo"),
]
