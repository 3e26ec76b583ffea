from django.urls import path

from guichet.observatory import views, views_proposals

app_name = "observatory"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("carte/", views.area_map, name="map"),
    path("zones/<str:level>/<str:code>/", views.area_detail, name="area"),
    path("besoins/", views.needs, name="needs"),
    path("indicateurs/", views.glossary, name="glossary"),
    path("scenario/", views.scenario, name="scenario"),
    path("exports/<str:table>.<str:extension>", views.export, name="export"),
    path("propositions/", views_proposals.proposal_list_view, name="proposals"),
    path("propositions/nouvelle/", views_proposals.proposal_create_view, name="proposal_create"),
    path("propositions/<int:pk>/", views_proposals.proposal_detail_view, name="proposal"),
    path("propositions/<int:pk>/reponse/", views_proposals.proposal_answer_view, name="proposal_answer"),
    path("mes-propositions/", views_proposals.centre_proposal_list_view, name="centre_proposals"),
]
