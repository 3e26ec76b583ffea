from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from guichet.accounts import signals, views
        from guichet.accounts.personal_data import account_erase, account_export
        from guichet.core.access import AccessRule, Audience, register_access
        from guichet.core.personal_data import register_personal_data, register_retention

        signals.connect()
        admin.site.login = views.admin_login
        register_personal_data(app="compte", export=account_export, erase=account_erase, order=1000)
        register_retention(
            name="accounts.inactive",
            description="Comptes sans connexion (prévenus par e-mail un mois avant)",
            duration="3 ans après la dernière connexion",
            apply="guichet.accounts.personal_data.inactive_accounts_apply",
        )

        public_form = AccessRule(Audience.PUBLIC, methods=("GET", "POST"))
        for name in ("signup", "login", "password_reset"):
            register_access(f"accounts:{name}", public_form)
        for name in ("password_reset_done", "password_reset_complete", "account_deleted"):
            register_access(f"accounts:{name}", AccessRule(Audience.PUBLIC))
        register_access(
            "accounts:password_reset_confirm",
            AccessRule(Audience.TOKEN, methods=("GET", "POST"), note="Single-use link, expires after 1 hour."),
        )
        register_access(
            "accounts:logout", AccessRule(Audience.PUBLIC, methods=("POST",), note="Harmless when anonymous.")
        )
        for name in ("profile", "password_change", "two_factor_setup", "two_factor_verify"):
            register_access(f"accounts:{name}", AccessRule(Audience.AUTHENTICATED, methods=("GET", "POST")))
        for name in ("password_change_done", "two_factor", "two_factor_codes", "my_data", "my_data_export"):
            register_access(f"accounts:{name}", AccessRule(Audience.AUTHENTICATED))
        for name in ("two_factor_codes_renew", "account_delete"):
            register_access(f"accounts:{name}", AccessRule(Audience.AUTHENTICATED, methods=("POST",)))
