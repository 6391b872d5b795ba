"""The reader discussion: threads, comments, reactions, reports, mutes and the audit.

Counters on Thread and Comment are denormalised so that fronts and sorted pages
read them from indexed columns; only services.py changes them (and the states).
"""

import functools

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gazette.db import rows
from gazette.newsroom.models import Article

# Levels of the conversation shown: a comment, its replies, and theirs. A reply to
# the deepest level joins that level and names the reader it answers.
THREAD_LEVELS = 3
DEEPEST = THREAD_LEVELS - 1


class Thread(models.Model):
    """The discussion under one story, made when it is first needed."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed (read-only)"
        HIDDEN = "hidden", "Hidden"

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="thread"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    is_premoderated = models.BooleanField(
        default=False,
        help_text="Hold every new comment on this story for a moderator.",
    )
    closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an open discussion closes; empty closes it "
        "GAZETTE_COMMENTS_CLOSE_AFTER_DAYS after the story's publication.",
    )
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Comments readers see."
    )
    # Moved by every change to what the thread's pages show (a comment, its
    # Respect, its author's name): the kept first pages are keyed by it
    # (gazette/discussion/rendering.py, receivers in gazette/discussion/apps.py).
    version = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Discussion of “{self.article}”"


class Comment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending review"
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden"
        REJECTED = "rejected", "Rejected"
        DELETED = "deleted", "Deleted"

    # The thread, the author and the conversation are found through the
    # indexes below that lead with them (comment_by_time_idx,
    # comment_by_author_idx, comment_conversation_idx); an index of their own
    # would be written on every post and read by nothing.
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        db_index=False,
        help_text="Empty once the reader's account is erased: “Former reader”.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this one hangs from on the page.",
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        help_text="The top-level comment of the conversation.",
    )
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The comment answered; differs from parent below the deepest level.",
    )
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(help_text="What the reader wrote, as plain text.")
    body_html = models.TextField(
        editable=False, help_text="The body rendered once, when written."
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.VISIBLE
    )
    is_featured = models.BooleanField(default=False)
    check_reasons = models.JSONField(
        default=list,
        blank=True,
        help_text="Why automated checks held the comment: "
        '[{"check": ..., "reason": ..., "score": ...}].',
    )
    risk_score = models.FloatField(
        null=True, blank=True, help_text="The automated checks' highest score, 0–1."
    )
    open_reports = models.PositiveIntegerField(
        default=0, editable=False, help_text="Readers' reports not yet settled."
    )
    report_weight = models.FloatField(
        default=0,
        editable=False,
        help_text="The open reports, each weighted by its reporter's past accuracy.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The moderator who last approved or rejected the comment.",
    )
    decided_by_name = models.CharField(
        max_length=40, blank=True, help_text="“automod” when no person decided."
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    reaction_count = models.PositiveIntegerField(default=0, editable=False)
    reply_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Visible comments hanging below this one on the page.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("feature_comment", "Can choose featured comments"),
            ("moderate_comment", "Can approve and reject comments, sanction readers"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__lte=DEEPEST), name="comment_depth_within_levels"
            ),
            models.CheckConstraint(
                condition=Q(depth=0, parent__isnull=True, root__isnull=True)
                | Q(depth__gt=0, parent__isnull=False, root__isnull=False),
                name="replies_have_a_parent_and_root",
            ),
        ]
        # One index per sort order, so that a page after the 500th reads as fast
        # as the first (keyset pagination, see selectors.SORTS).
        indexes = [
            models.Index(
                fields=["thread", "depth", "created_at", "id"],
                name="comment_by_time_idx",
            ),
            models.Index(
                fields=["thread", "depth", "reaction_count", "id"],
                name="comment_by_reactions_idx",
            ),
            models.Index(
                fields=["thread", "depth", "reply_count", "id"],
                name="comment_by_replies_idx",
            ),
            models.Index(
                fields=["thread", "created_at", "id"],
                condition=Q(is_featured=True),
                name="comment_featured_idx",
            ),
            models.Index(
                fields=["root", "depth", "created_at", "id"],
                name="comment_conversation_idx",
            ),
            models.Index(fields=["author", "created_at"], name="comment_by_author_idx"),
            # A reader's comments that only they see (awaiting review, removed):
            # whether they have any in a thread is asked on every story page
            # they open (selectors.own_part), and few comments are in it.
            models.Index(
                fields=["author", "thread"],
                condition=~Q(state__in=["visible", "deleted"]),
                name="comment_unshared_idx",
            ),
            # The moderation desk's queues, each a partial index that a reader's
            # query never matches (an index on state alone would draw SQLite's
            # planner away from the thread's own indexes).
            models.Index(
                fields=["created_at"],
                condition=Q(open_reports__gt=0),
                name="comment_reported_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(state="pending"),
                name="comment_pending_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(state="visible", decided_at__isnull=True),
                name="comment_unmoderated_idx",
            ),
            models.Index(
                fields=["decided_at"],
                condition=Q(decided_at__isnull=False),
                name="comment_decided_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:80] or f"Comment {self.pk} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        conversation = reverse(
            "discussion:comment", kwargs={"pk": self.root_id or self.pk}
        )
        return f"{conversation}#comment-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.state == self.State.VISIBLE

    @property
    def is_removed(self) -> bool:
        """Deleted by its author or taken down: readers see only a placeholder."""
        return self.state in {
            self.State.DELETED,
            self.State.HIDDEN,
            self.State.REJECTED,
        }

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class Reaction(models.Model):
    """A reader's “Respect” for a comment: one per reader per comment."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reactions"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_reactions",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader"], name="one_reaction_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"Respect from {self.reader_id} for comment {self.comment_id}"


class Report(models.Model):
    """A reader's report of a comment; an error in the story goes to its editors."""

    class Reason(models.TextChoices):
        PERSONAL_ATTACK = "personal_attack", "Personal attack"
        OFFENSIVE = "offensive", "Offensive or in bad taste"
        SPAM = "spam", "Spam"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Other"
        STORY_ERROR = "story_error", "An error in the story"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld"
        DISMISSED = "dismissed", "Dismissed"

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_reports",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    weight = models.FloatField(
        default=0.5,
        editable=False,
        help_text="How far the desk trusts this report: its reporter's share of "
        "upheld reports when it was filed.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_report_per_reader"
            )
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: comment {self.comment_id}"

    @property
    def is_story_error(self) -> bool:
        return self.reason == self.Reason.STORY_ERROR


class FollowedSection(models.Model):
    """A section a moderator follows: the desk can show only its comments."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followed_sections",
    )
    section = models.ForeignKey(
        "newsroom.Section", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["section__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["moderator", "section"], name="follow_a_section_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.moderator_id} follows {self.section_id}"


class StoryErrorManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(reason=Report.Reason.STORY_ERROR)


class StoryErrorNote(Report):
    """A reader's note of an error in a story, for its editors (not moderators)."""

    objects = StoryErrorManager()

    class Meta:
        proxy = True
        verbose_name = "story error note"


class Mute(models.Model):
    """A reader chose not to see another reader's comments."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_by"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reader", "muted"], name="one_mute_each"),
            models.CheckConstraint(
                condition=~Q(reader=models.F("muted")), name="no_muting_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} muted {self.muted_id}"


class ReaderSettings(models.Model):
    """A reader's discussion settings: reply notices by email, last look at replies."""

    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="discussion_settings",
    )
    email_replies = models.BooleanField(
        default=False, help_text="Email the reader when someone replies (opt-in)."
    )
    replies_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="Replies after this are new to the reader."
    )

    class Meta:
        verbose_name_plural = "reader settings"

    def __str__(self) -> str:
        return f"Discussion settings of {self.reader_id}"


class AuditEntryQuerySet(models.QuerySet):
    """Entries are only ever added: bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise ValueError("Audit entries are never changed.")

    def delete(self):
        raise ValueError("Audit entries are never deleted.")


class AuditEntry(models.Model):
    """One thing that happened in the discussion, and who or what did it.

    Entries are only ever added: the moderation desk and appeals read them back.
    """

    AUTOMOD = "automod"

    action = models.CharField(max_length=80, help_text="discussion.comment.posted")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(
        max_length=40,
        blank=True,
        help_text="An automated actor, “automod”; empty when a person acted.",
    )
    # Found through audit_target_idx, which leads with it.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, db_index=False
    )
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["action", "created_at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} ({self.actor_label})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are never deleted.")

    @property
    def actor_label(self) -> str:
        return actor_label(self.actor_id, self.actor_name)


def actor_label(actor_id: int | None, actor_name: str) -> str:
    """Who acted, as the audit and the log name them: an automated actor's name,
    "person 7", or "Gazette" for its own routine work."""
    if actor_name:
        return actor_name
    return f"person {actor_id}" if actor_id else "Gazette"


@functools.cache
def _not_lifted_sql(model) -> tuple[tuple[str, ...], str]:
    names = rows.fields(model)
    return names, (
        f"SELECT {rows.columns(model, names)} FROM {model._meta.db_table}"
        " WHERE reader_id = %s AND lifted_at IS NULL"
    )


class SanctionManager(models.Manager):
    def not_lifted(self, reader) -> list["Sanction"]:
        """The reader's sanctions no moderator lifted (ended ones among them).

        Written out (gazette/db/rows.py): asked before every page a signed-in
        reader opens and every comment they post; 0.05 ms of Python against
        0.24 ms through the ORM.
        """
        names, sql = _not_lifted_sql(self.model)
        return rows.select(self.model, names, sql, [reader.pk])


class Sanction(models.Model):
    """A moderator's (or automod's) decision about a reader, not one comment.

    Warnings, suspensions and bans form the strike ladder; pre-moderation and
    trust change how the automated checks treat the reader. A sanction ends at
    `ends_at` (empty: until lifted) or when `lifted_at` is set.
    """

    class Kind(models.TextChoices):
        WARNING = "warning", "Warning"
        SUSPENSION = "suspension", "Suspension"
        BAN = "ban", "Ban"
        PREMODERATION = "premoderation", "Always pre-moderate"
        TRUST = "trust", "Trusted"

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    reason = models.TextField(blank=True, help_text="The guideline clause applied.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_name = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ends_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the reader acknowledged a warning."
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = SanctionManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["reader", "kind", "created_at"], name="sanction_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for reader {self.reader_id}"

    def is_in_force(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > now)


class WordListEntry(models.Model):
    """One entry of the word lists staff keep: banned words reject, suspect hold."""

    class Kind(models.TextChoices):
        BANNED = "banned", "Banned (rejects)"
        SUSPECT = "suspect", "Suspect (holds for review)"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    entry = models.CharField(
        max_length=80,
        help_text="A word, a phrase, or a word with * at its start or end.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["kind", "entry"]
        verbose_name_plural = "word list entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "entry"], name="one_entry_each")
        ]

    def __str__(self) -> str:
        return f"{self.entry} ({self.kind})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from gazette.civility import WordListError, validate_entries

        try:
            [self.entry] = validate_entries([self.entry])
        except WordListError as error:
            raise ValidationError({"entry": error.problems}) from None


class Notice(models.Model):
    """A statement of reasons to a reader: what was decided, why, by whom, until when.

    The author of a rejected comment and a sanctioned reader get one (on the site
    and by mail), as does a reporter when their report is settled and an
    appellant when their appeal is.
    """

    class Kind(models.TextChoices):
        COMMENT_REJECTED = "comment_rejected", "Comment rejected"
        WARNING = "warning", "Warning"
        SUSPENSION = "suspension", "Suspension"
        BAN = "ban", "Ban"
        REPORT_OUTCOME = "report_outcome", "Outcome of a report"
        APPEAL_OUTCOME = "appeal_outcome", "Outcome of an appeal"

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    clause = models.TextField(blank=True, help_text="The guideline clause applied.")
    decision = models.TextField(help_text="What was decided, in plain words.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_automated = models.BooleanField(default=False)
    until = models.DateTimeField(null=True, blank=True)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sanction = models.ForeignKey(
        Sanction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for reader {self.reader_id}"

    def get_absolute_url(self) -> str:
        return reverse("discussion:notice", kwargs={"pk": self.pk})

    @property
    def is_appealable(self) -> bool:
        return self.kind in {
            self.Kind.COMMENT_REJECTED,
            self.Kind.WARNING,
            self.Kind.SUSPENSION,
            self.Kind.BAN,
        }


class Appeal(models.Model):
    """A reader's appeal of one decision; another moderator settles it."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        UPHELD = "upheld", "Upheld: the decision was reversed"
        DISMISSED = "dismissed", "Dismissed: the decision stands"

    notice = models.OneToOneField(
        Notice, on_delete=models.CASCADE, related_name="appeal"
    )
    text = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Appeal of notice {self.notice_id} ({self.status})"


class ModerationPolicy(models.Model):
    """The moderation settings staff change in the back office, without a deploy.

    One row at most. An empty field means "as the environment says" (the
    GAZETTE_* setting named in its help); discussion.policy reads the two
    together. Sections listed here are pre-moderated as well as those in
    GAZETTE_PREMODERATE_SECTIONS.
    """

    civility_hold = models.FloatField(
        null=True,
        blank=True,
        help_text="Hold a comment whose civility score reaches this (0–1); "
        "GAZETTE_CIVILITY_HOLD.",
    )
    civility_reject = models.FloatField(
        null=True,
        blank=True,
        help_text="Refuse a comment whose score reaches this (0–1); "
        "GAZETTE_CIVILITY_REJECT.",
    )
    premoderate_all = models.BooleanField(
        null=True,
        blank=True,
        help_text="Hold every comment site-wide; GAZETTE_PREMODERATE_ALL.",
    )
    premoderate_sections = models.ManyToManyField(
        "newsroom.Section",
        blank=True,
        related_name="+",
        help_text="Hold every comment on stories in these sections.",
    )
    premoderate_first_comments = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Hold a reader's first N comments; "
        "GAZETTE_PREMODERATE_FIRST_COMMENTS.",
    )
    premoderate_rejection_rate = models.FloatField(
        null=True,
        blank=True,
        help_text="Hold the comments of readers whose share of rejected comments "
        "in the last days is above this (0–1); GAZETTE_PREMODERATE_REJECTION_RATE.",
    )
    min_interval_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Seconds between a reader's comments (0: no limit); "
        "GAZETTE_COMMENT_MIN_INTERVAL_SECONDS.",
    )
    new_account_interval_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Seconds between comments for accounts under a day old; "
        "GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS.",
    )
    hourly_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Comments a reader may post in an hour (0: no cap); "
        "GAZETTE_COMMENT_HOURLY_LIMIT.",
    )
    repeat_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Refuse the same text again within these minutes (0: allow); "
        "GAZETTE_COMMENT_REPEAT_MINUTES.",
    )
    hold_links = models.BooleanField(
        null=True,
        blank=True,
        help_text="Hold comments with links for a moderator; "
        "GAZETTE_COMMENT_HOLD_LINKS.",
    )
    reports_to_hide = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Readers' reports that take a comment off the page pending "
        "review; GAZETTE_COMMENT_REPORTS_TO_HIDE.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "moderation policy"
        verbose_name_plural = "moderation policy"

    def __str__(self) -> str:
        return "Moderation policy"

    def save(self, *args, **kwargs):
        from gazette.discussion.policy import forget_policy

        super().save(*args, **kwargs)
        forget_policy()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from gazette.discussion.policy import policy_problems

        problems = policy_problems(self)
        if problems:
            raise ValidationError(problems)
