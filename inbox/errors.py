"""One exception tree for the project; every message should tell a person what to do."""


class InboxError(Exception):
    """Base of every error this service raises on purpose."""


class ConfigError(InboxError):
    """The configuration file is missing, unreadable or invalid."""


class SourceError(InboxError):
    """A mail source (IMAP server, folder) could not be read."""


class TransportError(InboxError):
    """An outgoing message could not be handed over.

    permanent: the server refused it for good (5xx); do not try again.
    uncertain: the connection broke after the message data was sent; it may have been
    delivered, so it must not be sent again automatically.
    Neither: nothing was handed over; safe to try again later.
    """

    def __init__(self, message: str, *, permanent: bool = False, uncertain: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.uncertain = uncertain


class NotFound(InboxError):
    """A case, message or outbox row named on the command line does not exist."""
