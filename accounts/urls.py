from allauth.account import views as allauth_views
from django.urls import include, path

from . import views

urlpatterns = [
    # allauth's pages under the names the site's templates have always used.
    path("signup/", allauth_views.signup, name="signup"),
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("password/change/", allauth_views.password_change, name="password_change"),
    path("password/reset/", allauth_views.password_reset, name="password_reset"),
    path("", include("allauth.urls")),
    path("profile/", views.profile, name="profile"),
    path("profile/export/", views.export_data, name="export_data"),
    path("profile/delete/", views.delete_account, name="delete_account"),
    path("language/", views.set_language, name="set_language"),
]
