"""A client library for accessing Symbl.ai Async Audio URL API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
