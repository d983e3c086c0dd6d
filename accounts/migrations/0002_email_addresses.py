from django.db import migrations


def addresses_from_users(apps, schema_editor):
    """Each existing account's e-mail becomes its primary allauth address, not yet confirmed.

    Nobody ever confirmed these addresses, so they are not marked verified: a password reset asked
    for one first sends a confirmation link to it (accounts.forms.ResetPasswordForm).
    """
    User = apps.get_model("auth", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=user_id, email=email.lower(), primary=True, verified=False)
        for user_id, email in User.objects.exclude(email="").values_list("pk", "email").iterator()
        if user_id not in known
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(addresses_from_users, migrations.RunPython.noop, elidable=True)]
