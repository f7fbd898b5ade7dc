"""Page middleware that steps aside for /api/.

An API request authenticates with an API key and is answered in JSON: it has no use for a
session, a CSRF cookie, flash messages, a negotiated language or frame options, and
running them costs about a third of a fast endpoint's own time. Each class here is one of
Django's that behaves exactly as before for every other path (back office, portal,
admin) and lets /api/ requests through untouched.

The API speaks English whatever the request's Accept-Language: a skipped LocaleMiddleware
would otherwise leave the thread in the language of its previous request, so the
default language is activated instead.
"""

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


class _ExceptApi:
    """Mixed in before a Django middleware class: under /api/ the request goes straight on.

    Subclasses stay subclasses of Django's classes, so the admin's checks still find them.
    """

    def on_api(self, request) -> None:
        pass

    def __call__(self, request):
        if not getattr(self, "async_mode", False) and is_api(request):
            self.on_api(request)
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddlewareExceptApi(_ExceptApi, SessionMiddleware):
    pass


class LocaleMiddlewareExceptApi(_ExceptApi, LocaleMiddleware):
    def on_api(self, request) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE


class CsrfViewMiddlewareExceptApi(_ExceptApi, CsrfViewMiddleware):
    def process_view(self, request, *args):
        return None if is_api(request) else super().process_view(request, *args)


class AuthenticationMiddlewareExceptApi(_ExceptApi, AuthenticationMiddleware):
    pass


class MessageMiddlewareExceptApi(_ExceptApi, MessageMiddleware):
    pass


class XFrameOptionsMiddlewareExceptApi(_ExceptApi, XFrameOptionsMiddleware):
    pass
