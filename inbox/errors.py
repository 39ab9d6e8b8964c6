"""One exception tree for the project; every message should tell a person what to do."""


class InboxError(Exception):
    """Base of every error this service raises on purpose."""


class ConfigError(InboxError):
    """The configuration file is missing, unreadable or invalid."""


class SourceError(InboxError):
    """A mail source (IMAP server, folder) could not be read."""


class TransportError(InboxError):
    """An outgoing message could not be handed over. `kind` says whose problem it is:

    environment: the service cannot send at all (a missing password, a refused login, the
        server unreachable, TLS, our sender address refused). No reply is at fault: every
        reply stays pending, no attempt is counted, one service alarm is raised.
    message: the server refused this message or every one of its recipients. `permanent`
        (5xx): do not try again; otherwise (4xx) try again later, counting attempts.
    uncertain: the connection broke after the message data was sent; it may have been
        delivered, so it is not sent again until a sent copy was looked for.
    `refused` lists recipients refused for good (5xx at RCPT).
    """

    ENVIRONMENT = "environment"
    MESSAGE = "message"
    UNCERTAIN = "uncertain"

    def __init__(self, message: str, *, kind: str = MESSAGE, permanent: bool = False,
                 refused: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.permanent = permanent
        self.refused = refused

    @property
    def environment(self) -> bool:
        return self.kind == self.ENVIRONMENT

    @property
    def uncertain(self) -> bool:
        return self.kind == self.UNCERTAIN


class SentCopyError(InboxError):
    """The IMAP folder that holds copies of sent replies could not be read or written."""


class NotFound(InboxError):
    """A case, message or outbox row named on the command line does not exist."""
