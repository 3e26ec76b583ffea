from django.contrib import admin

from guichet.territory.models import Basin, Commune, Department, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee", "name", "department", "postcodes", "population"]
    list_filter = ["kind", "department__region"]
    search_fields = ["insee", "name", "search_name", "postcodes"]
    list_select_related = ["department"]
    readonly_fields = ["search_name"]
    raw_id_fields = ["parent"]


@admin.register(Basin)
class BasinAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "grid", "interregional"]
    list_filter = ["grid"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]
