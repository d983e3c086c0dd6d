from django.conf import settings
from django.conf.urls.static import static
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
    path("grading/", include("grading.urls")),
    path("live/", include("live.urls")),
    path("coding/", include("coding.urls")),
    path("admin/", admin.site.urls),
    # Imported question images in development; in deployment the proxy (or the storage) serves MEDIA_URL.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
