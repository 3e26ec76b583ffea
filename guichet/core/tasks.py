"""Background jobs owned by core."""

from django.core.management import call_command


def clear_expired_sessions() -> str:
    """Delete expired sessions: personal data is not kept longer than the session needs it."""
    call_command("clearsessions")
    return "Sessions expirées supprimées."
