import zoneinfo

from django.utils import timezone, translation

SESSION_TIME_ZONE = "time_zone"
SESSION_LANGUAGE = "language"
SESSION_DISPLAY_NAME = "display_name"


class UserPreferencesMiddleware:
    """Activates the signed-in candidate's time zone and interface language.

    Both are copied into the session at sign-in and when the profile changes, to
    save a query per request. Without them the site's time zone and the browser's
    language apply (LocaleMiddleware, which must come first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            timezone.activate(zoneinfo.ZoneInfo(request.session[SESSION_TIME_ZONE]))
        except (KeyError, zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        if language := request.session.get(SESSION_LANGUAGE):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        # LocaleMiddleware (outside this one) labels the response with the language active now.
        return self.get_response(request)


def remember_preferences(session, profile) -> None:
    """Copy what every page needs from the profile into the session (saves a query per request)."""
    session[SESSION_TIME_ZONE] = profile.time_zone
    session[SESSION_DISPLAY_NAME] = profile.display_name
    if profile.language:
        session[SESSION_LANGUAGE] = profile.language
    else:
        session.pop(SESSION_LANGUAGE, None)
