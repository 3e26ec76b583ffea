"""Partner API keys in the admin: create (the key is shown once, on the next page), list, revoke.

Keys are never deleted (the audit log and the last use stay readable) and never edited: a key whose scopes or
contact change is revoked and replaced."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from guichet.api.keys import PartnerKeyError, partner_key_create, partner_key_revoke, partner_key_validate
from guichet.api.models import PartnerKey, PartnerScope


class PartnerKeyCreationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="Portées", choices=PartnerScope.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Ce que la clé ouvre ; l'usage des portées de l'observatoire est inscrit au journal d'audit.",
    )  # fmt: skip

    class Meta:
        model = PartnerKey
        fields = ["name", "organisation", "contact_email", "scopes", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                partner_key_validate(
                    name=data["name"], organisation=data["organisation"], contact_email=data["contact_email"],
                    scopes=data["scopes"], expires_on=data["expires_on"], today=timezone.localdate(),
                )  # fmt: skip
            except PartnerKeyError as error:
                self.add_error(error.field or None, str(error))
        return data


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name", "key_prefix", "scopes_text", "expires_on", "status", "last_used_at"]
    list_filter = ["organisation"]
    search_fields = ["organisation", "name", "prefix", "contact_email"]
    actions = ["revoke"]
    readonly_fields = [
        "name", "organisation", "contact_email", "scopes", "key_prefix", "created_at", "created_by", "expires_on",
        "revoked_at", "revoked_by", "last_used_at",
    ]  # fmt: skip

    def get_form(self, request: HttpRequest, obj: PartnerKey | None = None, **kwargs: Any) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = PartnerKeyCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: PartnerKey | None = None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: PartnerKey | None = None) -> list[str]:
        if obj is None:
            return list(PartnerKeyCreationForm.Meta.fields)
        return self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: PartnerKey | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)  # list and actions, no edit

    def has_view_permission(self, request: HttpRequest, obj: PartnerKey | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: PartnerKey | None = None) -> bool:
        return False

    @admin.display(description="clé")
    def key_prefix(self, obj: PartnerKey) -> str:
        return f"ga_{obj.prefix}_…"

    @admin.display(description="portées")
    def scopes_text(self, obj: PartnerKey) -> str:
        return ", ".join(obj.scopes)

    @admin.display(description="état")
    def status(self, obj: PartnerKey) -> str:
        return obj.status_label(today=timezone.localdate())

    def save_model(self, request: HttpRequest, obj: PartnerKey, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data  # validated by PartnerKeyCreationForm.clean with the same rules
        key, raw_key = partner_key_create(
            name=data["name"], organisation=data["organisation"], contact_email=data["contact_email"],
            scopes=data["scopes"], expires_on=data["expires_on"], actor=request.user, request=request,
        )  # fmt: skip
        obj.pk, obj.prefix = key.pk, key.prefix
        request.partner_raw_key = raw_key  # type: ignore[attr-defined]  # per request: the admin is shared

    def response_add(
        self, request: HttpRequest, obj: PartnerKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "key": PartnerKey.objects.get(pk=obj.pk),
            "raw_key": request.partner_raw_key,  # type: ignore[attr-defined]
            "title": "Clé d'API créée",
        }
        return TemplateResponse(request, "admin/api/partnerkey/key_created.html", context)

    @admin.action(description="Révoquer les clés sélectionnées")
    def revoke(self, request: HttpRequest, queryset: QuerySet[PartnerKey]) -> None:
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            partner_key_revoke(key=key, actor=request.user, request=request)
            revoked += 1
        self.message_user(request, f"{revoked} clé(s) révoquée(s) : elles reçoivent désormais 401.", messages.SUCCESS)
