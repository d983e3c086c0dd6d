from django.urls import path

from . import views

urlpatterns = [
    path("", views.interview_list, name="interview_list"),
    path("new/", views.interview_new, name="interview_new"),
    path("<int:pk>/", views.interview_detail, name="interview_detail"),
    path("<int:pk>/questions/<int:position>/draft/", views.answer_draft, name="interview_answer_draft"),
    path("<int:pk>/questions/<int:position>/next/", views.answer_next, name="interview_answer_next"),
    path("<int:pk>/end/", views.interview_end, name="interview_end"),
    path("<int:pk>/report/", views.interview_report, name="interview_report"),
    path("<int:pk>/report/assess/", views.report_assess, name="interview_report_assess"),
]
