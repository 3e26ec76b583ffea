from django.urls import path

from guichet.aids import views, views_applications

app_name = "aids"
urlpatterns = [
    path("", views.index, name="index"),
    path("salaire/", views.salary_simulator, name="salary"),
    path("employeur/", views.employer_simulator, name="employer"),
    path("en-vigueur/", views.programme_list, name="programmes"),
    path("demandes/", views_applications.application_list, name="applications"),
    path("demandes/nouvelle/", views_applications.application_create, name="application_create"),
    path("demandes/<int:pk>/", views_applications.application_detail, name="application"),
    path("demandes/<int:pk>/piece/", views_applications.application_document, name="application_document"),
    path(
        "demandes/<int:pk>/piece/<int:document_pk>/recue/",
        views_applications.document_received,
        name="document_received",
    ),
    path("demandes/<int:pk>/note/", views_applications.application_note, name="application_note"),
    path("demandes/<int:pk>/accorder/", views_applications.application_grant_view, name="application_grant"),
    path("demandes/<int:pk>/refuser/", views_applications.application_refuse_view, name="application_refuse"),
    path("demandes/<int:pk>/courrier/", views_applications.application_letter, name="application_letter"),
    path("versements/<int:pk>/payer/", views_applications.payment_pay, name="payment_pay"),
    path("versements.csv", views_applications.payment_export, name="payment_export"),
    path("instruction/", views_applications.instruction_queue, name="queue"),
    path("budgets/", views_applications.budget_dashboard, name="budgets"),
]
