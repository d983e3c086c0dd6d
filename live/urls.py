from django.urls import path

from . import views

urlpatterns = [
    path("", views.live_list, name="live_list"),
    path("new/", views.live_new, name="live_new"),
    path("join/<str:token>/", views.live_join, name="live_join"),
    path("<str:public_id>/", views.live_session, name="live_session"),
    path("<str:public_id>/invite/<str:action>/", views.live_invite, name="live_invite"),
    path("<str:public_id>/clock/<str:action>/", views.live_clock, name="live_clock"),
    path("<str:public_id>/questions/<int:position>/assess/", views.live_assess, name="live_assess"),
    path("<str:public_id>/questions/<int:position>/hint/", views.live_hint, name="live_hint"),
    path("<str:public_id>/questions/<int:position>/scratch/", views.live_scratch, name="live_scratch"),
    path("<str:public_id>/finish/", views.live_finish, name="live_finish"),
    path("<str:public_id>/report/", views.live_report, name="live_report"),
    path("<str:public_id>/swap/", views.live_swap, name="live_swap"),
]
