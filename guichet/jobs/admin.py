from django.contrib import admin

from guichet.jobs.models import Appellation, DiplomaLevel, ProfessionalDomain, RomeJob


@admin.register(ProfessionalDomain)
class ProfessionalDomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "major_code", "major_name"]
    search_fields = ["code", "name"]


@admin.register(RomeJob)
class RomeJobAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "domain", "future_family"]
    list_filter = ["future_family", "domain__major_code"]
    search_fields = ["code", "title", "search_title"]
    list_select_related = ["domain"]


@admin.register(Appellation)
class AppellationAdmin(admin.ModelAdmin):
    list_display = ["ogr_code", "title", "job"]
    search_fields = ["title", "search_title", "job__code"]
    list_select_related = ["job"]
    raw_id_fields = ["job"]


@admin.register(DiplomaLevel)
class DiplomaLevelAdmin(admin.ModelAdmin):
    list_display = ["level", "label", "old_name", "examples"]
