from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": "Guichet Apprentissage", "region_name": "Hauts-de-France"}
