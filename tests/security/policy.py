"""Who may do what: the authorization policy every URL pattern is held to.

POLICY names every pattern outside the back office (the walk in urlwalk.py fails
when one is missing) with the requests the matrix makes to it and the outcome
each role must come to. ADMIN_ACCESS says, for each model in the back office,
which newsroom roles see its list and rows, add, change and delete them (README,
"The back office"); ADMIN_SITE the back office's own pages. Readers and visitors
are sent to the back office's sign-in.

The rule of thumb: reading is open to all, including suspended and banned
readers; taking part in the discussion (posting, replying, editing, Respect,
reporting) needs a confirmed address and good standing; a reader's own choices
(mutes, notices, deleting their words, their account, appealing) need only a
session; the desk is for moderators.
"""

from typing import NamedTuple

from gazette.accounts.selectors import documents_to_accept
from tests.security.authz import (
    DONE,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    REFUSED,
    ROLES,
    SIGN_IN,
    STAFF,
    UNAUTHORIZED,
    Ask,
    World,
)
from tests.security.urlwalk import AdminPage


def roles(default: str, **overrides: str) -> dict[str, str]:
    """An outcome for every role: the default, but for the roles named."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"no such roles: {unknown}"
    return {role: overrides.get(role, default) for role in ROLES}


PUBLIC = roles(OK)
SIGNED_IN = roles(OK, anonymous=SIGN_IN)
MODERATORS = roles(FORBIDDEN, anonymous=SIGN_IN, moderator=OK, administrator=OK)
NO_GET = roles(NOT_ALLOWED)
# Taking part: a confirmed address and good standing.
OUTSIDERS = {"unverified": REFUSED, "suspended": REFUSED, "banned": REFUSED}
TAKE_PART = roles(DONE, anonymous=REFUSED, **OUTSIDERS)
API_TAKE_PART = roles(DONE, anonymous=UNAUTHORIZED, **OUTSIDERS)
# A reader's own choices: a session is enough, whatever their standing.
OWN_CHOICE = roles(DONE, anonymous=REFUSED)
DESK_WRITE = roles(REFUSED, anonymous=SIGN_IN, moderator=DONE, administrator=DONE)


def page(expect=PUBLIC, **kwargs) -> Ask:
    return Ask(expect, kwargs=kwargs)


def write(expect, *, data=None, **kwargs) -> Ask:
    return Ask(expect, method="POST", kwargs=kwargs, data=data, effect=True)


def form(expect, *, data=None, **kwargs) -> Ask:
    """A POST whose effect is not measured: an empty or harmless form, to see
    whether the role reaches the view at all."""
    return Ask(expect, method="POST", kwargs=kwargs, data=data)


def api(method: str, expect, *, data=None, **kwargs) -> Ask:
    return Ask(expect, method=method, kwargs=kwargs, data=data, effect=True, json=True)


def sign_up_form(world: World) -> dict:
    data = {
        "email": "new.reader@example.com",
        "display_name": "Nalu Kahale",
        "password": "tide pools at dawn 42",
    }
    for document in documents_to_accept():
        data[f"accept_{document.slug}"] = "on"
        data[f"version_{document.slug}"] = document.version
    return data


def bulk_decision(world: World) -> dict:
    return {"ids": [world["comment:desk-bulk"]], "decision": "reject", "reason": "spam"}


COMMENT = {"body": "The harbor plan needs a reef survey first."}
REPLY = {"body": "A reply: the survey is under way."}
API_COMMENT = {"body": "Posted through the API."}
REPORT = {"reason": "spam", "text": ""}

POLICY: dict[str, list[Ask]] = {
    # Site-wide.
    "healthz": [page()],
    "csp_report": [page(NO_GET), form(PUBLIC)],
    "transparency": [page()],
    "media": [page(path="media")],
    # The discussion: reading is open, taking part needs good standing.
    "discussion:comments": [page(slug="story")],
    "discussion:comment": [page(pk="comment:reply")],
    "discussion:post": [
        page(NO_GET, slug="story"),
        write(TAKE_PART, data=COMMENT, slug="story"),
    ],
    "discussion:reply": [
        page(pk="comment:reply"),
        write(TAKE_PART, data=REPLY, pk="comment:reply"),
    ],
    "discussion:edit": [
        page(roles(OK, anonymous=NOT_FOUND), pk="own:edit"),
        write(TAKE_PART, data={"body": "Edited: a reef survey first."}, pk="own:edit"),
    ],
    # Deleting one's own words is allowed in any standing.
    "discussion:delete": [
        page(roles(OK, anonymous=NOT_FOUND), pk="own:delete"),
        write(OWN_CHOICE, pk="own:delete"),
    ],
    "discussion:respect": [
        page(NO_GET, pk="comment:respect"),
        write(TAKE_PART, data={"action": "give"}, pk="comment:respect"),
    ],
    "discussion:report": [
        page(pk="comment:report"),
        write(TAKE_PART, data=REPORT, pk="comment:report"),
    ],
    "discussion:mute": [
        page(NO_GET, pk="comment:mute"),
        write(OWN_CHOICE, pk="comment:mute"),
    ],
    "discussion:unmute": [page(NO_GET, pk="quiet"), write(OWN_CHOICE, pk="quiet")],
    "discussion:reader": [page(SIGNED_IN)],
    "discussion:notices": [
        page(NO_GET),
        write(OWN_CHOICE, data={"email_replies": "on"}),
    ],
    # No role's world holds a reply to it: marking none seen only updates a
    # time, which counting rows cannot see (test_views covers what it does).
    "discussion:replies_seen": [page(NO_GET), write(roles(REFUSED))],
    # A statement of reasons is its reader's alone; a banned reader may appeal.
    "discussion:notice": [
        page(roles(NOT_FOUND, anonymous=SIGN_IN, banned=OK), pk="ban-notice"),
        write(
            roles(REFUSED, anonymous=SIGN_IN, banned=DONE),
            data={"text": "The comment quoted the story."},
            pk="ban-notice",
        ),
    ],
    "discussion:acknowledge": [
        page(roles(NOT_ALLOWED, anonymous=SIGN_IN)),
        form(SIGNED_IN),
    ],
    # The mailed link is its own authority (RFC 8058 one-click, signed token).
    "discussion:unsubscribe": [
        page(token="unsubscribe-token"),
        write(roles(DONE), token="unsubscribe-token"),
    ],
    "discussion:empty": [page()],
    # The moderation desk.
    "desk:queue": [page(MODERATORS)],
    "desk:counts": [page(MODERATORS)],
    "desk:item": [page(MODERATORS, pk="comment:desk-item")],
    "desk:decide": [
        page(NO_GET, pk="comment:desk-decide"),
        write(
            DESK_WRITE,
            data={"decision": "reject", "reason": "spam"},
            pk="comment:desk-decide",
        ),
    ],
    "desk:bulk": [page(NO_GET), write(DESK_WRITE, data=bulk_decision)],
    "desk:reader": [page(MODERATORS, pk="other")],
    "desk:sanction": [
        page(NO_GET, pk="sanction-target"),
        write(
            DESK_WRITE, data={"kind": "warn", "reason": "spam"}, pk="sanction-target"
        ),
    ],
    "desk:follow": [
        page(NO_GET),
        write(DESK_WRITE, data={"section": "top-news", "follow": "on"}),
    ],
    "desk:appeals": [page(MODERATORS)],
    "desk:resolve": [
        page(NO_GET, pk="appeal"),
        write(
            DESK_WRITE,
            data={"decision": "dismiss", "outcome": "The decision stands."},
            pk="appeal",
        ),
    ],
    # Readers' accounts. Forms are sent empty: the matrix asks who reaches them.
    "accounts:account": [page(SIGNED_IN)],
    "accounts:sign_up": [
        page(),
        write(roles(REFUSED, anonymous=DONE), data=sign_up_form),
    ],
    "accounts:sign_in": [page(), form(PUBLIC)],
    "accounts:sign_out": [page(), form(PUBLIC)],
    "accounts:confirm_email": [page(), form(roles(OK, anonymous=SIGN_IN))],
    "accounts:verify_email": [page(token="verify-token")],
    "accounts:change_password": [page(SIGNED_IN), form(SIGNED_IN)],
    "accounts:password_reset": [page(), form(PUBLIC, data={"email": "x@example.com"})],
    "accounts:password_reset_sent": [page()],
    "accounts:password_reset_link": [page(uidb64="reset-uid", token="reset-token")],
    "accounts:change_display_name": [page(SIGNED_IN), form(SIGNED_IN)],
    "accounts:accept_terms": [page(SIGNED_IN), form(SIGNED_IN)],
    "accounts:export": [page(SIGNED_IN)],
    "accounts:delete": [page(SIGNED_IN), form(SIGNED_IN)],
    "accounts:account_deleted": [page()],
    # Reader pages.
    "weather:weather": [page()],
    "search:search": [Ask(PUBLIC, query="q=harbor")],
    "edition:today": [page()],
    "edition:archive": [page()],
    "edition:edition": [page(day="day")],
    "edition:pdf": [page(day="day")],
    "newsroom:home": [page()],
    "newsroom:section": [page(slug="section")],
    "newsroom:article": [page(slug="story")],
    "newsroom:page": [page(slug="page")],
    # Editors preview any draft, a reporter the drafts they filed.
    "newsroom:preview": [
        page(
            roles(
                SIGN_IN, reporter=OK, editor=OK, moderator=FORBIDDEN, administrator=OK
            ),
            pk="draft",
        )
    ],
    "newsroom:feed_rss": [page()],
    "newsroom:feed_atom": [page()],
    "newsroom:section_feed_rss": [page(slug="section")],
    "newsroom:section_feed_atom": [page(slug="section")],
    "newsroom:sitemap_index": [page()],
    "newsroom:news_sitemap": [page()],
    "newsroom:sitemap": [page(section="sitemap")],
    "newsroom:robots": [page()],
    # The JSON API: reading open, writing as the pages allow.
    "api-v1:api-root": [page(roles(NOT_FOUND))],
    "api-v1:openapi-json": [page()],
    "api-v1:session_state": [page()],
    "api-v1:list_comments": [page(slug="story")],
    "api-v1:get_comment": [page(comment_id="comment:reply")],
    "api-v1:post_comment": [api("POST", API_TAKE_PART, data=API_COMMENT, slug="story")],
    "api-v1:edit_comment": [
        api(
            "PATCH",
            API_TAKE_PART,
            data={"body": "Edited through the API."},
            comment_id="own:api-edit",
        )
    ],
    "api-v1:delete_comment": [
        api("DELETE", roles(DONE, anonymous=UNAUTHORIZED), comment_id="own:api-delete")
    ],
    "api-v1:give_respect": [
        api("PUT", API_TAKE_PART, comment_id="comment:api-respect")
    ],
    "api-v1:take_back_respect": [
        api("DELETE", API_TAKE_PART, comment_id="comment:respected")
    ],
    "api-v1:report": [
        api("POST", API_TAKE_PART, data=REPORT, comment_id="comment:api-report")
    ],
}


# The back office ----------------------------------------------------------------


class Access(NamedTuple):
    """The newsroom roles that see a model's list and rows, add, change and delete
    rows; `hidden`: roles whose list leaves out the row the matrix opens (a
    reporter's list holds only their own stories), sent back to the index."""

    view: frozenset[str]
    add: frozenset[str] = frozenset()
    change: frozenset[str] = frozenset()
    delete: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()


def staff(*names: str) -> frozenset[str]:
    unknown = set(names) - set(STAFF)
    assert not unknown, f"no such newsroom roles: {unknown}"
    return frozenset(names)


NEWSROOM = staff("reporter", "editor", "administrator")
EDITORS = staff("editor", "administrator")
DESK = staff("moderator", "administrator")
ADMINISTRATORS = staff("administrator")
NOBODY = staff()

# Rows staff only read in the back office (discussion/admin.py, ReadOnlyAdmin)
# have no add, change or delete page for anyone: comments, reports and sanctions
# change through the services and the desk, a story's discussion through actions.
ADMIN_ACCESS: dict[str, Access] = {
    "auth.group": Access(
        ADMINISTRATORS, ADMINISTRATORS, ADMINISTRATORS, ADMINISTRATORS
    ),
    "accounts.user": Access(
        ADMINISTRATORS, ADMINISTRATORS, ADMINISTRATORS, ADMINISTRATORS
    ),
    "newsroom.section": Access(
        staff("reporter", "editor", "moderator", "administrator"),
        EDITORS,
        EDITORS,
        ADMINISTRATORS,
    ),
    "newsroom.photo": Access(NEWSROOM, NEWSROOM, NEWSROOM, EDITORS),
    # A reporter edits their own drafts; the rest of the list is an editor's.
    "newsroom.article": Access(
        staff("reporter", "editor", "moderator", "administrator"),
        NEWSROOM,
        NEWSROOM,
        EDITORS,
        hidden=staff("reporter", "moderator"),
    ),
    # Corrections are appended, never rewritten.
    "newsroom.correction": Access(NEWSROOM, EDITORS, NOBODY, ADMINISTRATORS),
    # Standing pages: editors revise them; only administrators add or delete one.
    "newsroom.page": Access(
        staff("editor", "moderator", "administrator"),
        ADMINISTRATORS,
        EDITORS,
        ADMINISTRATORS,
    ),
    "discussion.thread": Access(staff("editor", "moderator", "administrator")),
    "discussion.comment": Access(staff("editor", "moderator", "administrator")),
    "discussion.report": Access(DESK),
    "discussion.storyerrornote": Access(EDITORS),
    "discussion.auditentry": Access(DESK),
    "discussion.wordlistentry": Access(DESK, DESK, DESK, DESK),
    "discussion.sanction": Access(DESK),
    "discussion.notice": Access(DESK),
    "discussion.appeal": Access(DESK),
    "discussion.moderationpolicy": Access(DESK, DESK, DESK, ADMINISTRATORS),
    "wire.wirequeueitem": Access(NEWSROOM, NOBODY, NEWSROOM),
    "wire.wirefeed": Access(EDITORS, EDITORS, EDITORS, EDITORS),
    "wire.wireversion": Access(NEWSROOM),
    "edition.edition": Access(EDITORS, EDITORS, EDITORS, ADMINISTRATORS),
    # Administrators hold every permission the roles migration found; these two
    # apps' permissions came later, and nobody needs their rows in the office.
    "weather.observation": Access(NOBODY),
    "django_tasks_database.dbtaskresult": Access(NOBODY),
}

NEWSROOM_SIGN_IN = roles(SIGN_IN, **dict.fromkeys(STAFF, OK))
ADMIN_SITE: dict[str, Ask] = {
    "index": Ask(NEWSROOM_SIGN_IN, exact=True),
    "login": Ask(roles(OK, **dict.fromkeys(STAFF, REDIRECT)), exact=True),
    # Signing out of the back office takes a POST; a reader is sent to its index.
    "logout": Ask(roles(REDIRECT, **dict.fromkeys(STAFF, NOT_ALLOWED)), exact=True),
    "password_change": Ask(NEWSROOM_SIGN_IN, exact=True),
    "password_change_done": Ask(NEWSROOM_SIGN_IN, exact=True),
    # Asked without the field it completes: refused.
    "autocomplete": Ask(roles(SIGN_IN, **dict.fromkeys(STAFF, FORBIDDEN)), exact=True),
    "jsi18n": Ask(NEWSROOM_SIGN_IN, exact=True),
    "view_on_site": Ask(
        roles(SIGN_IN, **dict.fromkeys(STAFF, REDIRECT)),
        kwargs={"content_type_id": "story-type", "object_id": "story-id"},
        exact=True,
    ),
    "app_list": Ask(NEWSROOM_SIGN_IN, kwargs={"app_label": "newsroom-app"}, exact=True),
}


def admin_expect(
    allowed: frozenset[str], hidden: frozenset[str] = NOBODY
) -> dict[str, str]:
    """Staff in `allowed` get the page (or, where the row is hidden from them, the
    index), other staff 403, everyone else the back office's sign-in."""
    return roles(
        SIGN_IN,
        **{
            name: (REDIRECT if name in hidden else OK) if name in allowed else FORBIDDEN
            for name in STAFF
        },
    )


ADMIN_PAGE_ACCESS = {
    "changelist": "view",
    "add": "add",
    "change": "view",
    "history": "view",
    "delete": "delete",
    "password": "change",
}
OBJECT_PAGES = {"change", "history", "delete", "password"}


def admin_table(pages: list[AdminPage], world: World, *, families) -> dict:
    """The requests for the back office: every site-wide page, and for each model
    the pages of the families asked for, on a row of its own list when one is
    needed (a model without rows in the world has those pages left out). With
    "post" among the families, an empty form is sent to the add and change pages:
    refused (403) without the permission, answered with it."""
    table: dict[str, list[Ask]] = {}
    for admin_page in pages:
        key, page_name = admin_page.route.key, admin_page.page
        if admin_page.model is None:
            table[key] = [ADMIN_SITE[page_name]]
            continue
        if page_name not in families:
            continue
        access = ADMIN_ACCESS[admin_page.model]
        kwargs = {}
        if page_name in OBJECT_PAGES:
            name = f"object:{admin_page.model}"
            if world.values.get(name) is None:
                continue
            kwargs = {"id" if page_name == "password" else "object_id": name}
        hidden = access.hidden if page_name in OBJECT_PAGES else NOBODY
        allowed = getattr(access, ADMIN_PAGE_ACCESS[page_name])
        table[key] = [Ask(admin_expect(allowed, hidden), kwargs=kwargs, exact=True)]
        if page_name in {"add", "change"} and "post" in families:
            allowed = access.add if page_name == "add" else access.change
            table[key].append(
                Ask(admin_expect(allowed), method="POST", kwargs=kwargs, data={})
            )
    return table
