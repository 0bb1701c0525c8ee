"""The comments area of any commentable object: ``{% comment_thread page %}``."""

from django import template

from tawasul.comments import selectors

register = template.Library()


@register.inclusion_tag("comments/includes/thread.html", takes_context=True)
def comment_thread(context, target):
    request = context["request"]
    data = selectors.thread_context(request, target)
    data.update(
        request=request,
        user=request.user,
        csrf_token=context.get("csrf_token"),
    )
    return data
