"""Pages of the single point of contact: ask a question, follow it, advisors' queue and dashboard, the
knowledge base (read, search, history, edit, review), the personalised guide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from guichet.accounts.models import Role
from guichet.accounts.permissions import has_role, is_admin
from guichet.rules.base import age_on
from guichet.support import clock
from guichet.support.attachments import human_size
from guichet.support.deadlines import topic_working_days, working_days_left
from guichet.support.enums import Audience, RequestStatus, Topic
from guichet.support.formatting import french_date
from guichet.support.forms import (
    AdvisorReplyForm,
    CloseForm,
    GuideForm,
    KnowledgeSearchForm,
    PageEditForm,
    ReplyForm,
    RequestForm,
    ReviewForm,
)
from guichet.support.guide import GuideAnswers, build_guide
from guichet.support.models import Attachment, KnowledgePage, SupportRequest
from guichet.support.rendering import markdown_to_html
from guichet.support.selectors import (
    page_get_public,
    page_list_due_soon,
    page_list_for_profile,
    page_list_past_review,
    page_list_public,
    page_search,
    request_get_visible,
    request_list_late,
    request_list_queue,
    request_list_unassigned,
    request_list_visible,
    response_figures,
    response_totals,
    version_diff,
)
from guichet.support.services import (
    SupportError,
    page_mark_reviewed,
    page_save,
    reopen_possible_until,
    request_answer,
    request_close,
    request_create,
    request_reopen,
    request_reply_by_requester,
    team_for,
    token_matches,
)
from guichet.support.spam import SpamSuspected, check_form_token, check_honeypot, check_ip_limit, form_token
from guichet.territory.models import BasinGrid
from guichet.territory.selectors import commune_basin

SESSION_TOKENS = "support_tokens"


# --- Helpers ------------------------------------------------------------------------------------------------


def _is_advisor(user: Any) -> bool:
    return has_role(user, Role.ADVISOR) or is_admin(user)


def _advisor_required(request: HttpRequest) -> None:
    if not _is_advisor(request.user):
        raise PermissionDenied


def _login_first(request: HttpRequest) -> HttpResponse | None:
    """Anonymous visitors of a staff page are sent to the login page, then back here."""
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path())


def _is_editor(user: Any, page: KnowledgePage | None = None) -> bool:
    if is_admin(user) or (user.is_authenticated and user.is_staff):
        return True
    return bool(page and user.is_authenticated and page.owner_id == user.pk)


def _remember_token(request: HttpRequest, reference: str, token: str) -> None:
    tokens = dict(request.session.get(SESSION_TOKENS, {}))
    tokens[reference] = token
    request.session[SESSION_TOKENS] = tokens


def _requester_request(request: HttpRequest, reference: str, token: str) -> SupportRequest:
    """The request behind a secret link, or 404 (the same answer for an unknown reference and a wrong token)."""
    support_request = (
        SupportRequest.objects.select_related("commune", "team", "advisor").filter(reference=reference).first()
    )
    if support_request is None or not token_matches(support_request, token):
        raise Http404("Demande introuvable.")
    return support_request


def _thread_context(support_request: SupportRequest, *, today: date) -> dict[str, Any]:
    thread = list(
        support_request.messages.select_related("author").prefetch_related("attachments").order_by("created_at")
    )
    return {
        "support_request": support_request,
        "thread": thread,
        "deadline_text": french_date(support_request.deadline, weekday=True),
        "days_left": working_days_left(deadline=support_request.deadline, today=today),
        "is_late": support_request.is_late(today=today),
        "reopen_until": reopen_possible_until(support_request),
        "human_size": human_size,
    }


# --- Asking a question --------------------------------------------------------------------------------------


def ask(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"started": form_token()}
    if request.GET.get("theme") in Topic.values:
        initial["topic"] = request.GET["theme"]
    if request.user.is_authenticated:
        initial.update({"name": request.user.get_full_name(), "email": request.user.email})
        profile = {Role.YOUNG: "jeune", Role.EMPLOYER: "employeur", Role.TRAINING_CENTRE: "cfa"}.get(request.user.role)
        if profile:
            initial["profile"] = profile
    form = RequestForm(request.POST or None, request.FILES or None, initial=initial)
    spam_error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_honeypot(data.get("site_web", ""))
            check_form_token(data.get("started", ""))
            check_ip_limit(request)
            created = request_create(
                topic=data["topic"],
                profile=data["profile"],
                commune=data["commune"],
                name=data["name"],
                email=data["email"],
                phone=data.get("phone", ""),
                contact_preference=data["contact_preference"],
                message=data["message"],
                files=data["attachments"],
                requester=request.user if request.user.is_authenticated else None,
                now=clock.now(),
            )
        except SpamSuspected as error:
            spam_error = str(error)
        except SupportError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            _remember_token(request, created.request.reference, created.token)
            return redirect("support:sent", reference=created.request.reference)
    if request.method == "POST":
        # A new fill-time stamp for the next attempt; everything typed stays in the form.
        data = request.POST.copy()
        data["started"] = form_token()
        form.data = data
    return render(
        request,
        "support/ask.html",
        {
            "form": form,
            "spam_error": spam_error,
            "deadlines": [(label, topic_working_days(value)) for value, label in Topic.choices],
        },
        status=200,
    )


def sent(request: HttpRequest, reference: str) -> HttpResponse:
    token = request.session.get(SESSION_TOKENS, {}).get(reference, "")
    support_request = _requester_request(request, reference, token)
    context = _thread_context(support_request, today=clock.today())
    context["follow_url"] = request.build_absolute_uri(
        reverse("support:follow", kwargs={"reference": reference, "token": token})
    )
    context["working_days"] = topic_working_days(support_request.topic)
    return render(request, "support/sent.html", context)


def follow(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    support_request = _requester_request(request, reference, token)
    _remember_token(request, reference, token)
    context = _thread_context(support_request, today=clock.today())
    context.update({"token": token, "reply_form": ReplyForm(), "close_form": CloseForm()})
    return render(request, "support/follow.html", context)


@require_POST
def follow_reply(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    support_request = _requester_request(request, reference, token)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            request_reply_by_requester(
                support_request=support_request,
                body=form.cleaned_data["message"],
                files=form.cleaned_data["attachments"],
                author=request.user,
                now=clock.now(),
            )
        except SupportError as error:
            form.add_error("message" if error.field == "message" else None, str(error))
        else:
            messages.success(request, "Votre message a été envoyé au conseiller.")
            return redirect("support:follow", reference=reference, token=token)
    context = _thread_context(support_request, today=clock.today())
    context.update({"token": token, "reply_form": form, "close_form": CloseForm()})
    return render(request, "support/follow.html", context)


@require_POST
def follow_close(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    support_request = _requester_request(request, reference, token)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            request_close(
                support_request=support_request,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                now=clock.now(),
            )
        except SupportError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre demande est clôturée. Merci pour votre avis.")
        return redirect("support:follow", reference=reference, token=token)
    context = _thread_context(support_request, today=clock.today())
    context.update({"token": token, "reply_form": ReplyForm(), "close_form": form})
    return render(request, "support/follow.html", context)


@require_POST
def follow_reopen(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    support_request = _requester_request(request, reference, token)
    try:
        request_reopen(support_request=support_request, now=clock.now())
    except SupportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Votre demande est rouverte : un conseiller vous répondra.")
    return redirect("support:follow", reference=reference, token=token)


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    requests = SupportRequest.objects.filter(requester=request.user).select_related("commune").order_by("-created_at")
    return render(request, "support/my_requests.html", {"requests": requests, "today": clock.today()})


def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve a private attachment to the requester (secret link or account) or an advisor of its zone."""
    attachment = get_object_or_404(Attachment.objects.select_related("message__request"), pk=pk)
    support_request = attachment.message.request
    token = request.GET.get("jeton", "") or request.session.get(SESSION_TOKENS, {}).get(support_request.reference, "")
    allowed = token_matches(support_request, token) or (
        request.user.is_authenticated
        and SupportRequest.objects.visible_to(request.user).filter(pk=support_request.pk).exists()
    )
    if not allowed:
        raise Http404("Pièce jointe introuvable.")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Advisors -----------------------------------------------------------------------------------------------


def advisor_dashboard(request: HttpRequest) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    _advisor_required(request)
    today = clock.today()
    visible = request_list_visible(user=request.user)
    return render(
        request,
        "support/advisor_dashboard.html",
        {
            "queue": request_list_queue(user=request.user),
            "late": request_list_late(user=request.user, today=today),
            "unassigned": request_list_unassigned(user=request.user),
            "by_team": response_figures(requests=visible, today=today, group_by="team"),
            "by_topic": response_figures(requests=visible, today=today, group_by="topic"),
            "total": response_totals(requests=visible, today=today),
            "today": today,
            "has_synthetic": visible.filter(is_synthetic=True).exists(),
        },
    )


def advisor_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    _advisor_required(request)
    support_request = request_get_visible(user=request.user, reference=reference)
    if support_request is None:
        raise Http404("Demande introuvable.")
    form = AdvisorReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        action = request.POST.get("action", "reply")
        if action == "close":
            try:
                request_close(support_request=support_request, now=clock.now())
                messages.success(request, f"La demande {reference} est clôturée.")
            except SupportError as error:
                messages.error(request, str(error))
            return redirect("support:advisor_detail", reference=reference)
        if form.is_valid():
            try:
                request_answer(
                    support_request=support_request,
                    advisor=request.user,
                    body=form.cleaned_data["message"],
                    files=form.cleaned_data["attachments"],
                    ask_requester=form.cleaned_data["ask_requester"],
                    now=clock.now(),
                )
            except SupportError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Votre réponse a été envoyée au demandeur par e-mail.")
                return redirect("support:advisor_detail", reference=reference)
    context = _thread_context(support_request, today=clock.today())
    context["form"] = form
    return render(request, "support/advisor_detail.html", context)


# --- Knowledge base -----------------------------------------------------------------------------------------


def knowledge_index(request: HttpRequest) -> HttpResponse:
    form = KnowledgeSearchForm(request.GET or None)
    q = audience = ""
    if form.is_valid():
        q, audience = form.cleaned_data["q"].strip(), form.cleaned_data["audience"]
    pages = page_search(q=q, audience=audience) if q else list(page_list_public(audience=audience))
    return render(
        request,
        "support/knowledge_index.html",
        {
            "form": form,
            "pages": pages,
            "q": q,
            "audience": audience,
            "today": clock.today(),
            "audiences": Audience.choices,
        },
    )


def knowledge_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = page_get_public(slug=slug)
    if page is None:
        raise Http404("Page introuvable.")
    today = clock.today()
    return render(
        request,
        "support/knowledge_page.html",
        {
            "page": page,
            "html": markdown_to_html(page.body),
            "past_review": page.is_past_review(today=today),
            "can_edit": _is_editor(request.user, page),
            "audience_labels": [Audience(value).label for value in page.audiences if value in Audience.values],
        },
    )


def knowledge_history(request: HttpRequest, slug: str) -> HttpResponse:
    page = page_get_public(slug=slug)
    if page is None:
        raise Http404("Page introuvable.")
    versions = list(page.versions.order_by("-number"))
    diff = None
    old = new = None
    by_number = {version.number: version for version in versions}
    try:
        old_number, new_number = int(request.GET.get("de", "")), int(request.GET.get("a", ""))
    except ValueError:
        old_number = new_number = 0
    if old_number in by_number and new_number in by_number:
        old, new = by_number[old_number], by_number[new_number]
        diff = version_diff(old=old, new=new)
    elif len(versions) >= 2:
        new, old = versions[0], versions[1]
        diff = version_diff(old=old, new=new)
    return render(
        request,
        "support/knowledge_history.html",
        {"page": page, "versions": versions, "diff": diff, "old": old, "new": new},
    )


def knowledge_edit(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    page = get_object_or_404(KnowledgePage, slug=slug)
    if not _is_editor(request.user, page):
        raise PermissionDenied
    initial = {
        "title": page.title,
        "summary": page.summary,
        "body": page.body,
        "sources": page.sources,
        "audiences": page.audiences,
    }
    form = PageEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        page.title, page.summary, page.body = data["title"], data["summary"], data["body"]
        page.sources, page.audiences = data["sources"], data["audiences"]
        try:
            page_save(page=page, changed_by=request.user, note=data["note"], now=clock.now())
        except (SupportError, Exception) as error:  # a model validation error: shown, nothing saved
            form.add_error(None, getattr(error, "messages", [str(error)])[0])
        else:
            messages.success(request, "La page est enregistrée ; une nouvelle version est dans l'historique.")
            return redirect("support:page", slug=page.slug)
    return render(
        request,
        "support/knowledge_edit.html",
        {
            "page": page,
            "form": form,
            "preview": markdown_to_html(form.data.get("body", page.body) if form.is_bound else page.body),
        },
    )


@require_POST
def knowledge_review(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    page = get_object_or_404(KnowledgePage, slug=slug)
    if not _is_editor(request.user, page):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            page_mark_reviewed(
                page=page,
                reviewer=request.user,
                next_review_on=form.cleaned_data["next_review_on"],
                today=clock.today(),
            )
            messages.success(request, f"« {page.title} » est vérifiée.")
        except SupportError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Indiquez la date de la prochaine vérification au format JJ/MM/AAAA.")
    return redirect("support:editor_dashboard")


def editor_dashboard(request: HttpRequest) -> HttpResponse:
    if (login := _login_first(request)) is not None:
        return login
    if not request.user.is_authenticated or not (_is_editor(request.user) or has_role(request.user, Role.ADVISOR)):
        raise PermissionDenied
    today = clock.today()
    past = page_list_past_review(today=today)
    if not _is_editor(request.user):
        past = past.filter(owner=request.user)
    return render(
        request,
        "support/editor_dashboard.html",
        {"past": past, "soon": page_list_due_soon(today=today), "today": today, "review_form": ReviewForm()},
    )


# --- The personalised guide ---------------------------------------------------------------------------------


def guide(request: HttpRequest) -> HttpResponse:
    data = request.GET if "situation" in request.GET else None
    initial: dict[str, Any] = {}
    if data is None and request.user.is_authenticated:
        profile = getattr(request.user, "candidate_profile", None)
        if profile is not None:
            today = clock.today()
            birth = profile.birth_date
            initial = {
                "age": age_on(birth, today),
                "commune": profile.commune,
                "disability": profile.rqth,
                "level": getattr(profile.current_level, "level", None) if profile.current_level_id else None,
            }
    form = GuideForm(data, initial=initial)
    result = team = None
    pages: list[KnowledgePage] = []
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        commune = cleaned.get("commune")
        answers = GuideAnswers(
            age=cleaned.get("age"),
            level=cleaned.get("level"),
            situation=cleaned["situation"],
            training_start=cleaned.get("training_start"),
            contract_start=cleaned.get("contract_start"),
            disability=cleaned.get("disability", False),
            company_size=cleaned.get("company_size", ""),
            insee=commune.insee if commune else "",
        )
        result = build_guide(answers=answers, today=clock.today())
        if commune:
            basin = commune_basin(commune=commune, grid=BasinGrid.ZONE_EMPLOI)
            team = team_for(basin=basin, topic="")
            result_zone = basin
        else:
            result_zone = None
        pages = page_list_for_profile(
            audience=result.audience,
            age=answers.age,
            disability=answers.disability,
            company_size=answers.company_size,
            topics=result.topics,
        )
        template = "support/guide_print.html" if request.GET.get("imprimer") else "support/guide.html"
        return render(
            request,
            template,
            {
                "form": form,
                "guide": result,
                "team": team,
                "zone": result_zone,
                "commune": commune,
                "pages": pages,
                "print_url": f"{request.path}?{request.GET.urlencode()}&imprimer=1",
                "today": clock.today(),
            },
        )
    return render(request, "support/guide.html", {"form": form, "guide": None})


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "support/home.html",
        {"pages": list(page_list_public())[:12], "is_advisor": _is_advisor(request.user), "statuses": RequestStatus},
    )
