from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("practice/", include("practice.urls")),
    path("interviews/", include("interviews.urls")),
    path("progress/", include("progress.urls")),
    path("coding/", include("coding.urls")),
    path("admin/", admin.site.urls),
]
