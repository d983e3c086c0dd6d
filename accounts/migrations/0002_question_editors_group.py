from django.db import migrations

EDITORS = "Question editors"
# Editors maintain the bank: full rights on its models, none elsewhere.
MODELS = ["topic", "question", "keypoint", "questionversion"]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the group needs them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    permissions = Permission.objects.filter(content_type__app_label="questions", content_type__model__in=MODELS)
    # History is never rewritten: versions may be viewed, not changed or deleted.
    permissions = permissions.exclude(
        content_type__model="questionversion", codename__in=["add_questionversion", "change_questionversion", "delete_questionversion"]
    )
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("questions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
