"""A queue card's forms, built in Python rather than by template macros.

A queue page shows 50 cards, each with three decision forms (approve, feature or un-feature,
reject) that differ only in the comment's id, status and the reasons offered. As template
macros they were two macro calls and some forty escaped outputs a card, the largest part of
a queue page's rendering after the score meters (README, "Size"). The markup is what those
macros wrote; every value from the database or the request is escaped here, and the CSRF
field and the reason options arrive as Markup.
"""

from markupsafe import Markup, escape


def _decision_form(decide, action, label, fields, csrf_field):
    return (
        f'<form class="inline decision-form" method="post" action="{decide}" data-action="{action}">'
        f'{csrf_field}<input type="hidden" name="action" value="{action}">{fields}'
        f'<button type="submit" class="small {action}">{label}</button></form>'
    )


def card_actions_html(comment_id, status, featured, decide_url, next_url, csrf_field, reasons):
    """The card's approve, feature (or un-feature) and reject forms, as one Markup string."""
    cid, decide = int(comment_id), escape(decide_url)
    csrf_field, reasons = Markup(csrf_field), Markup(reasons)
    fields = (
        f'<input type="hidden" name="next" value="{escape(next_url)}">'
        f'<input type="hidden" name="expected_status" value="{escape(status)}">'
    )
    feature = ("unfeature", "Un-feature") if featured else ("feature", "Feature")
    return Markup(
        '<div class="card-actions">'
        + _decision_form(decide, "approve", "Approve", fields, csrf_field)
        + _decision_form(decide, *feature, fields, csrf_field)
        + f'<form class="reject-form decision-form" method="post" action="{decide}" data-action="reject">'
        f'{csrf_field}<input type="hidden" name="action" value="reject">{fields}'
        f'<label for="reason-{cid}">Reason</label>'
        f'<select id="reason-{cid}" name="reason" class="reject-reason">{reasons}</select>'
        f'<label for="reason-text-{cid}" class="visually-hidden">Or write a reason</label>'
        f'<input type="text" id="reason-text-{cid}" name="reason_text" placeholder="or write one" maxlength="1000">'
        '<button type="submit" class="small reject">Reject</button></form></div>'
    )
