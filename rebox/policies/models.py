"""A store's return policy as versions (the rules as JSON, decoded by `codec`), and its
list of return reasons. The engine itself (`rebox.policies.engine`) knows nothing of these
rows: `codec` turns them into the plain dataclasses of `types`."""

import hashlib
import json

from django.db import models

from rebox.core.models import Store


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class StoredPolicyVersion(models.Model):
    """One version of a store's policy. Published versions never change: an edit is a new
    draft, and publishing it makes it govern orders placed from that moment on."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="policy_versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    currency = models.CharField(max_length=3, help_text="of price bands and fixed fees")
    default_rule = models.JSONField(help_text="every effect set; see rebox/policies/codec.py")
    rules = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="what changed, in a line")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    published_by = models.CharField(max_length=200, blank=True)
    effective_from = models.DateTimeField(null=True, blank=True)
    # The last simulation of a draft against the store's orders (rebox.policies.simulation):
    # its numbers, and the fingerprint of the rules it ran on, so that an edit after the
    # simulation asks for a new one before the draft can be published.
    simulated_at = models.DateTimeField(null=True, blank=True)
    simulation = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="policy_version_number_per_store"),
        ]
        indexes = [models.Index(fields=["store", "status", "-effective_from"])]

    def __str__(self) -> str:
        return f"{self.store.slug} policy v{self.number} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == PolicyStatus.DRAFT

    def content_fingerprint(self) -> str:
        """A hash of the rules as stored: equal fingerprints, equal policies."""
        text = json.dumps({"default": self.default_rule, "rules": self.rules}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


class ReturnReason(models.Model):
    """A reason the shopper can pick. Store-fault reasons (defect, wrong item) waive fees
    and propose the legal-guarantee basis instead of change of mind."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="return_reasons")
    code = models.SlugField(max_length=40)
    labels = models.JSONField(help_text="label per language code: en, he, da, uk")
    store_fault = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="reason_code_per_store"),
        ]

    def __str__(self) -> str:
        return self.code

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels.get("en") or self.code
