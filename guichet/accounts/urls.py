from django.urls import path

from guichet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/nouveau/termine/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mot-de-passe/modifier/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("double-authentification/", views.two_factor, name="two_factor"),
    path("double-authentification/activer/", views.two_factor_setup, name="two_factor_setup"),
    path("double-authentification/verifier/", views.two_factor_verify, name="two_factor_verify"),
    path("double-authentification/codes-de-secours/", views.two_factor_codes, name="two_factor_codes"),
    path(
        "double-authentification/codes-de-secours/renouveler/",
        views.two_factor_codes_renew,
        name="two_factor_codes_renew",
    ),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/export/", views.my_data_export, name="my_data_export"),
    path("mes-donnees/supprimer/", views.my_account_delete, name="account_delete"),
    path("compte-supprime/", views.account_deleted, name="account_deleted"),
]
