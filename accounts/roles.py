"""The site's roles. Candidates are plain users; editors are staff in this group; admins are superusers."""

from django.apps import apps as global_apps
from django.db.models import Q

EDITORS = "Question editors"
# Editors maintain the bank: full rights on its models, none elsewhere.
EDITOR_MODELS = ["topic", "question", "keypoint", "questionversion"]
# History is never rewritten: versions may be viewed, not changed or deleted.
READ_ONLY = ["add_questionversion", "change_questionversion", "delete_questionversion"]


def ensure_editors_group(apps=global_apps):
    """Create the editors' group with its permissions, or bring it back in line. Idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    permissions = Permission.objects.filter(
        Q(content_type__app_label="questions", content_type__model__in=EDITOR_MODELS)
        # The scorer's glossary is bank content too.
        | Q(content_type__app_label="grading", content_type__model="glossaryconcept")
    ).exclude(codename__in=READ_ONLY)
    group.permissions.set(permissions)
    return group
