from django.db import transaction

from interviews.services import interviews_export
from practice.services import practice_export

from .models import profile_for


def user_data_export(*, user) -> dict:
    """Everything the site holds about one user, as JSON-ready data."""
    profile = profile_for(user)
    data = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "display_name": profile.display_name,
            "language": profile.language,
            "time_zone": profile.time_zone,
        },
    }
    data["practice"] = practice_export(user)
    data["interviews"] = interviews_export(user)
    return data


@transaction.atomic
def user_delete(*, user) -> None:
    """Delete the account; its attempts, interviews and review states go with it (CASCADE)."""
    user.delete()
