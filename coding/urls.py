from django.urls import path

from . import views

urlpatterns = [
    path("questions/<int:pk>/run/", views.run_create, name="code_run_create"),
    path("runs/<int:pk>/", views.run_detail, name="code_run_detail"),
]
