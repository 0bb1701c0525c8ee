"""Thin public views: forms validate, services act, templates show.

Posting answers two kinds of client the same way: a form post without JavaScript gets a
redirect to the comment (or, on error, a page that keeps the text), and ``site``'s
``comments.js`` (which asks for JSON) gets the rendered comment to insert without a
reload. Nothing typed is lost on an error: it comes back in the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tawasul.comments import forms, rules, selectors, services, targets
from tawasul.comments.models import Comment
from tawasul.core import ratelimit
from tawasul.core.net import client_ip

State = Comment.State


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _order(request) -> str:
    order = request.POST.get("order") or request.GET.get("order")
    return order if order in selectors.ORDERS else "newest"


def _wait_message(error: ratelimit.RateLimited) -> str:
    return ngettext(
        "You are posting faster than we can read. Please wait %(minutes)s minute and "
        "send it again; your text is kept below.",
        "You are posting faster than we can read. Please wait %(minutes)s minutes and "
        "send it again; your text is kept below.",
        error.minutes,
    ) % {"minutes": error.minutes}


def _target_or_404(kind: str, target_id: int):
    target_type = targets.get(kind)
    if target_type is None:
        raise Http404
    target = target_type.model_class.objects.filter(pk=target_id).first()
    # An unpublished or private page does not exist for the public, comments included.
    if target is None or not target_type.is_open(target):
        raise Http404
    return target_type, target


def _form_page(request, *, form, target_type, target, action, message, status):
    """The comment form on a page of its own, with the text kept (no JavaScript)."""
    return render(
        request,
        "comments/form_page.html",
        {
            "form": form,
            "form_key": selectors.new_form_key(),
            "target_title": target_type.title(target),
            "back_url": target_type.url(target),
            "action": action,
            "message": message,
            "signed_in": request.user.is_authenticated,
        },
        status=status,
    )


@require_POST
def post(request, kind: str, target_id: int):
    """Post a comment or a reply (``parent``) on one target."""
    target_type, target = _target_or_404(kind, target_id)
    form = forms.CommentForm(request.POST)
    action = request.path

    def refuse(message, status, errors=None):
        if _wants_json(request):
            payload = {"ok": False, "message": str(message), "errors": errors or {}}
            if status == 401:
                payload["login_url"] = f"/{request.LANGUAGE_CODE}/accounts/login/"
            return JsonResponse(payload, status=status)
        return _form_page(
            request,
            form=form,
            target_type=target_type,
            target=target,
            action=action,
            message=message,
            status=status,
        )

    if not request.user.is_authenticated:
        form.is_valid()
        return refuse(_("Your session has ended. Copy your text, sign in and send it again."), 401)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return refuse(_("Please correct the comment below."), 400, errors)
    try:
        posted = services.comment_create(
            author=request.user,
            target=target,
            body=form.cleaned_data["body"],
            idempotency_key=form.cleaned_data["key"],
            parent=form.cleaned_data.get("parent"),
            ip_address=client_ip(request),
            honeypot=getattr(form, "honeypot_tripped", False),
        )
    except services.CommentRefused as refused:
        status = 401 if refused.code == "sign_in" else 409 if refused.code == "form_reused" else 403
        return refuse(refused.message, status)
    except ratelimit.RateLimited as error:
        response = refuse(_wait_message(error), 429)
        response["Retry-After"] = str(error.retry_after)
        return response
    except ValidationError as error:
        form.add_error("body", error)
        return refuse(" ".join(error.messages), 400, {"body": error.messages})

    comment = posted.comment
    if not posted.created:
        message = _("This comment was already sent.")
    elif comment.state == State.PUBLISHED:
        message = _("Thank you. Your comment is published.")
    else:
        message = _(
            "Thank you. Your comment will appear once a moderator has read it; "
            "until then only you can see it."
        )
    if _wants_json(request):
        selectors.decorate(comment, request.user)
        html = render_to_string(
            "comments/includes/comment.html",
            {
                "comment": comment,
                "is_reply": comment.parent_id is not None,
                "post_url": action,
                "order": _order(request),
            },
            request=request,
        )
        return JsonResponse(
            {
                "ok": True,
                "created": posted.created,
                "id": comment.pk,
                "parent": comment.parent_id,
                "state": comment.state,
                "message": message,
                "html": html,
                "key": selectors.new_form_key(),
            },
            status=201 if posted.created else 200,
        )
    messages.success(request, message)
    return redirect(selectors.comment_url(comment, request.user, _order(request)))


def _comment_or_404(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("thread", "author"), pk=pk)


def _refused_page(request, comment: Comment, code: str, status: int = 403):
    return render(
        request,
        "comments/refused.html",
        {"message": rules.MESSAGES.get(code, code), "back_url": _back(comment)},
        status=status,
    )


def _back(comment: Comment) -> str:
    target = comment.thread.target
    return comment.thread.target_type.url(target) if target is not None else "/"


def _signed_in_or_kept(view):
    """Signed-out GETs go to sign-in; a signed-out POST (an expired session) gets the
    page back with what was typed, instead of a redirect that would lose it."""

    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or request.method == "POST":
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_signed_in_or_kept
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    comment = _comment_or_404(pk)
    if not request.user.is_authenticated:
        form = forms.EditForm(request.POST)
        form.is_valid()
        context = {
            "form": form,
            "comment": comment,
            "message": _("Your session has ended. Copy your text, sign in and send it again."),
        }
        return render(request, "comments/edit.html", context, status=401)
    refusal = rules.edit_refusal(request.user, comment)
    if refusal:
        return _refused_page(request, comment, refusal)
    data = request.POST if request.method == "POST" else None
    form = forms.EditForm(data, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_edit(
                comment_id=comment.pk, editor=request.user, body=form.cleaned_data["body"]
            )
        except services.CommentRefused as refused:
            form.add_error(None, refused.message)
        else:
            if comment.state == State.PUBLISHED:
                messages.success(request, _("Your comment is saved."))
            else:
                messages.success(
                    request,
                    _("Your comment is saved. It will appear again once a moderator has read it."),
                )
            return redirect(selectors.comment_url(comment, request.user))
    return render(
        request,
        "comments/edit.html",
        {
            "form": form,
            "comment": comment,
            "back_url": selectors.comment_url(comment, request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk: int):
    comment = _comment_or_404(pk)
    refusal = rules.delete_refusal(request.user, comment)
    if refusal:
        return _refused_page(request, comment, refusal)
    if request.method == "POST":
        back = _back(comment)
        try:
            services.comment_delete(comment_id=comment.pk, user=request.user)
        except services.CommentRefused as refused:
            return _refused_page(request, comment, refused.code)
        messages.success(request, _("Your comment is deleted."))
        return redirect(f"{back}#comments")
    selectors.decorate(comment, request.user)
    return render(
        request,
        "comments/delete.html",
        {"comment": comment, "back_url": selectors.comment_url(comment, request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    comment = _comment_or_404(pk)
    refusal = rules.report_refusal(request.user, comment)
    if refusal:
        return _refused_page(request, comment, refusal)
    form = forms.ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.comment_report(
                comment_id=comment.pk, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CommentRefused as refused:
            return _refused_page(request, comment, refused.code)
        except ratelimit.RateLimited as error:
            form.add_error(None, _wait_message(error))
        else:
            if new:
                messages.success(request, _("Thank you. A moderator will look at this comment."))
            else:
                messages.info(request, _("You have already reported this comment."))
            return redirect(f"{_back(comment)}#comments")
    selectors.decorate(comment, request.user)
    return render(
        request,
        "comments/report.html",
        {
            "form": form,
            "comment": comment,
            "back_url": selectors.comment_url(comment, request.user),
        },
        status=400 if form.errors else 200,
    )


def link(request, pk: int):
    """A comment's permanent address: its page of the thread, at the comment."""
    comment = _comment_or_404(pk)
    if not rules.can_view(request.user, comment) or comment.thread.target is None:
        raise Http404
    target_type = comment.thread.target_type
    if not target_type.is_open(comment.thread.target):
        raise Http404
    return redirect(selectors.comment_url(comment, request.user))


@login_required
def mine(request):
    """A person's own comments, with the state of each (and why one was declined)."""
    page = Paginator(selectors.my_comments(request.user), 20).get_page(request.GET.get("page"))
    for comment in page.object_list:
        comment.target_title = comment.thread.target_type.title(comment.thread.target)
    return render(request, "comments/mine.html", {"comments": page})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    from tawasul.comments.models import NotificationPreference

    instance = NotificationPreference.objects.filter(user=request.user).first()
    form = forms.NotificationForm(
        request.POST if request.method == "POST" else None,
        instance=instance or NotificationPreference(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_update(
            user=request.user,
            on_moderation=form.cleaned_data["on_moderation"],
            on_reply=form.cleaned_data["on_reply"],
        )
        messages.success(request, _("Your email choices are saved."))
        return redirect("comments:notifications")
    return render(request, "comments/notifications.html", {"form": form})


@require_http_methods(["GET", "POST"])
def notifications_off(request, token: str):
    """The link in every comment email: stop these emails, without signing in."""
    user = services.unsubscribe_token_read(token)
    if user is None:
        return render(request, "comments/notifications_off.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.notification_preferences_update(user=user, on_moderation=False, on_reply=False)
        return render(request, "comments/notifications_off.html", {"done": True})
    return render(request, "comments/notifications_off.html", {})
