from django.urls import path

from guichet.support import views

app_name = "support"
urlpatterns = [
    path("", views.home, name="home"),
    path("question/", views.ask, name="ask"),
    path("demandes/<str:reference>/envoyee/", views.sent, name="sent"),
    path("suivi/<str:reference>/<str:token>/", views.follow, name="follow"),
    path("suivi/<str:reference>/<str:token>/repondre/", views.follow_reply, name="follow_reply"),
    path("suivi/<str:reference>/<str:token>/cloturer/", views.follow_close, name="follow_close"),
    path("suivi/<str:reference>/<str:token>/rouvrir/", views.follow_reopen, name="follow_reopen"),
    path("mes-demandes/", views.my_requests, name="my_requests"),
    path("pieces-jointes/<int:pk>/", views.attachment_download, name="attachment"),
    path("conseillers/", views.advisor_dashboard, name="advisor_dashboard"),
    path("conseillers/demandes/<str:reference>/", views.advisor_detail, name="advisor_detail"),
    path("infos/", views.knowledge_index, name="knowledge"),
    path("infos/a-verifier/", views.editor_dashboard, name="editor_dashboard"),
    path("infos/<slug:slug>/", views.knowledge_page, name="page"),
    path("infos/<slug:slug>/historique/", views.knowledge_history, name="page_history"),
    path("infos/<slug:slug>/modifier/", views.knowledge_edit, name="page_edit"),
    path("infos/<slug:slug>/verifiee/", views.knowledge_review, name="page_review"),
    path("guide/", views.guide, name="guide"),
]
