"""Matching pages: the young people's search (/recherche/), the public offer page with its compatible trainings
(/offres/<id>/), the ranked candidates of an employer's offer, and, for training centres, the offers matching
the apprentices whose contract was broken. Thin: ranking and reasons come from guichet.matching.search.

Works without JavaScript (GET form, full pages); with htmx, the search form refreshes only the results
(partial templates under matching/partials/).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from guichet.accounts.fields import commune_label
from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role
from guichet.candidates.enums import ENROLMENT_WITHOUT_EMPLOYER, EnrolmentStatus
from guichet.candidates.selectors import (
    candidate_profile_for_user,
    enrolment_display_name,
    enrolment_list_for_user,
    enrolment_pending_count_for_centres,
)
from guichet.contracts.models import Contract
from guichet.employers.views import role_required
from guichet.jobs.models import RomeJob
from guichet.matching.forms import DEFAULT_RADIUS_KM, SearchForm
from guichet.matching.search import (
    MatchingError,
    OfferMatch,
    candidate_plan,
    candidates_for_offer,
    companies_likely_to_recruit,
    offer_match,
    offer_search,
    run_searches,
    search_plan,
    trainings_for_offer,
)
from guichet.offers.enums import OfferStatus
from guichet.offers.forms import job_label
from guichet.offers.models import Offer
from guichet.offers.selectors import offer_get
from guichet.territory.models import Commune
from guichet.territory.selectors import commune_get
from guichet.trainings.models import TrainingCentre

PAGE_SIZE = 20
COMPANIES_SHOWN = 5
BROKEN_CONTRACTS_MONTHS = 12
ENROLMENTS_PER_PAGE = 10
ENROLMENT_OFFERS_SHOWN = 3
UNDER_CONTRACT_SHOWN = 50
METHOD_NOTE = (
    "Classement du guichet : métier, distance, niveau, dates, fraîcheur de l'offre, formation compatible avec des "
    "places à proximité, et moins de candidatures déjà reçues ; jamais le sexe, l'origine, le handicap ni l'adresse."
)


def _synthetic_offer_ids(ids: Iterable[int]) -> set[int]:
    return set(Offer.objects.filter(pk__in=list(ids), is_synthetic=True).values_list("pk", flat=True))


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _profile_initial(request: HttpRequest) -> dict[str, Any]:
    """Pre-fill an empty search from a young person's profile: first wished job, commune, radius."""
    profile = candidate_profile_for_user(user=request.user) if has_role(request.user, Role.YOUNG) else None
    if profile is None:
        return {"radius_km": DEFAULT_RADIUS_KM}
    initial: dict[str, Any] = {
        "insee": profile.commune,
        "radius_km": min(max(profile.mobility_radius_km, 1), 200),
        "no_licence": not profile.driving_licence,
    }
    first_job = profile.wished_jobs.order_by("code").first()
    if first_job is not None:
        initial["rome"] = first_job
    if profile.wished_level_id:
        initial["level"] = profile.wished_level_id
    return initial


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    submitted = any(key in request.GET for key in ("rome", "rome_label", "insee", "insee_label"))
    form = SearchForm(request.GET if submitted else None, today=today, initial=_profile_initial(request))
    context: dict[str, Any] = {"form": form, "submitted": submitted, "method_note": METHOD_NOTE}
    if submitted and form.is_valid():
        data = form.cleaned_data
        profile = candidate_profile_for_user(user=request.user) if has_role(request.user, Role.YOUNG) else None
        result = offer_search(
            commune=data["insee"],
            radius_km=data["radius_km"],
            rome_job=data["rome"],
            level=data["level"].level if data["level"] else None,
            start_before=data["start_before"],
            available_from=profile.available_from if profile else None,
            driving_licence=False if data["no_licence"] else (profile.driving_licence if profile else None),
            today=today,
            page=_page_number(request),
            page_size=PAGE_SIZE,
        )
        companies = companies_likely_to_recruit(
            rome_job=data["rome"],
            commune=data["insee"],
            radius_km=data["radius_km"],
            today=today,
            page_size=COMPANIES_SHOWN,
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "result": result,
                "synthetic_ids": _synthetic_offer_ids(item.offer_id for item in result.items),
                "companies": companies,
                "query": query.urlencode(),
                "origin_insee": data["insee"].insee,
                "radius_km": data["radius_km"],
                "job": data["rome"],
                "commune": data["insee"],
                "has_next": result.page * result.page_size < result.count,
                "start_rank": (result.page - 1) * result.page_size + 1,
            }
        )
    context["oob"] = bool(request.htmx)
    template = "matching/partials/_results.html" if request.htmx and submitted else "matching/search.html"
    return render(request, template, context)


@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = offer_get(pk=pk, user=request.user)
    if offer is None:
        raise Http404("Offre introuvable.")
    origin: Commune | None = None
    radius_km = DEFAULT_RADIUS_KM
    insee = request.GET.get("depuis", "")
    if insee:
        origin = commune_get(insee=insee)
    try:
        radius_km = min(200, max(1, int(request.GET.get("rayon", radius_km))))
    except ValueError:
        radius_km = DEFAULT_RADIUS_KM
    profile = candidate_profile_for_user(user=request.user) if has_role(request.user, Role.YOUNG) else None
    if origin is None and profile is not None:
        origin, radius_km = profile.commune, min(200, max(1, profile.mobility_radius_km))
    match: OfferMatch = offer_match(offer=offer, origin=origin, radius_km=radius_km)
    return render(
        request,
        "matching/offer_detail.html",
        {
            "offer": offer,
            "match": match,
            "origin": origin,
            "origin_label": commune_label(origin) if origin else "",
            "radius_km": radius_km,
            "can_apply": offer.status == OfferStatus.PUBLISHED
            and (not request.user.is_authenticated or has_role(request.user, Role.YOUNG)),
            "method_note": METHOD_NOTE,
        },
    )


@require_GET
@role_required(Role.EMPLOYER)
def offer_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    offer = (
        Offer.objects.editable_by(request.user)
        .select_related("establishment", "rome_job", "commune", "target_level", "appellation")
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise Http404("Offre introuvable.")
    try:
        result = candidates_for_offer(offer=offer, user=request.user, page=_page_number(request), page_size=PAGE_SIZE)
    except MatchingError as error:
        raise Http404(str(error)) from error
    trainings = trainings_for_offer(offer=offer, limit=5)
    return render(
        request,
        "matching/offer_candidates.html",
        {
            "offer": offer,
            "result": result,
            "trainings": trainings,
            "has_next": result.page * result.page_size < result.count,
            "method_note": METHOD_NOTE,
        },
    )


@require_GET
@role_required(Role.TRAINING_CENTRE)
def young_without_employer(request: HttpRequest) -> HttpResponse:
    """Young people enrolled in the user's trainings without an employer (declared by them or confirmed by them:
    first name and initial only), each with the offers that match them; those under contract, whose break the
    centre may report; then the apprentices whose contract was broken in the last 12 months according to the
    anonymous register (counted by job and place, no names), each group with the offers that match it.

    Offers for an enrolment: the published offers for the jobs the training prepares (and its level), within
    the young person's mobility radius of their commune, ranked by the matching (availability, driving
    licence); when the training names no job, the matching for the young person's profile (wished jobs)."""
    today = timezone.localdate()
    looking = enrolment_list_for_user(user=request.user, statuses=ENROLMENT_WITHOUT_EMPLOYER).prefetch_related(
        "training__rome_jobs", "candidate__wished_jobs"
    )
    page = Paginator(looking.order_by("-status_on", "pk"), ENROLMENTS_PER_PAGE).get_page(request.GET.get("page"))
    plans = []  # every search of the page, run together in one query below
    for enrolment in page:
        profile, training = enrolment.candidate, enrolment.training
        codes = sorted(job.code for job in training.rome_jobs.all())
        radius = min(max(profile.mobility_radius_km, 1), 200)
        if codes:
            plans.append(
                search_plan(
                    commune=profile.commune,
                    radius_km=radius,
                    rome_codes=codes,
                    level=training.level_id,
                    available_from=profile.available_from,
                    driving_licence=profile.driving_licence,
                    today=today,
                    page_size=ENROLMENT_OFFERS_SHOWN,
                )
            )
        else:
            wished = [job.code for job in profile.wished_jobs.all()]
            plans.append(
                candidate_plan(profile=profile, today=today, page_size=ENROLMENT_OFFERS_SHOWN, wished_codes=wished)
            )
    under_contract = [
        {"enrolment": enrolment, "name": enrolment_display_name(enrolment=enrolment)}
        for enrolment in enrolment_list_for_user(user=request.user, statuses=[EnrolmentStatus.CONTRACT_SIGNED])[
            :UNDER_CONTRACT_SHOWN
        ]
    ]

    centres = TrainingCentre.objects.visible_to(request.user)
    since = today - timedelta(days=BROKEN_CONTRACTS_MONTHS * 31)
    groups = list(
        Contract.objects.filter(training_centre__in=centres, break_on__isnull=False, break_on__gte=since)
        .values("rome_job_id", "rome_job__code", "rome_job__title", "training_commune_id")
        .annotate(count=Count("pk"))
        .order_by("-count", "rome_job__code")[:20]
    )
    communes = Commune.objects.in_bulk([group["training_commune_id"] for group in groups])
    jobs = RomeJob.objects.in_bulk([group["rome_job_id"] for group in groups])
    for group in groups:
        commune, job = communes[group["training_commune_id"]], jobs[group["rome_job_id"]]
        plans.append(search_plan(commune=commune, radius_km=DEFAULT_RADIUS_KM, rome_job=job, today=today, page_size=5))
    results = run_searches(plans)
    enrolled = [
        {"enrolment": enrolment, "name": enrolment_display_name(enrolment=enrolment), "offers": offers}
        for enrolment, offers in zip(page, results[: len(page)], strict=True)
    ]
    items = [
        {
            "group": group,
            "commune": communes[group["training_commune_id"]],
            "job": jobs[group["rome_job_id"]],
            "result": result,
        }
        for group, result in zip(groups, results[len(page) :], strict=True)
    ]
    synthetic_ids = _synthetic_offer_ids(offer.offer_id for item in enrolled for offer in item["offers"].items)
    return render(
        request,
        "matching/young_without_employer.html",
        {
            "enrolled": enrolled,
            "page": page,
            "under_contract": under_contract,
            "under_contract_shown": UNDER_CONTRACT_SHOWN,
            "pending_count": enrolment_pending_count_for_centres(user=request.user),
            "synthetic_ids": synthetic_ids,
            "items": items,
            "months": BROKEN_CONTRACTS_MONTHS,
            "radius_km": DEFAULT_RADIUS_KM,
            "job_label": job_label,
        },
    )
