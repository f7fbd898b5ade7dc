"""Pieces every router shares."""

from django.http import HttpRequest

from rebox.api.schemas import Problem
from rebox.core.actors import Actor

ERRORS = {400: Problem, 401: Problem, 404: Problem, 409: Problem, 422: Problem}


def actor_for(request: HttpRequest) -> Actor:
    return Actor.integration(f"API key {request.api_key.name}")
