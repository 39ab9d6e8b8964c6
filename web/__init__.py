"""The staff workspace: an edge of the service, beside cli/. Pages call the same service functions as the CLI
(cases.staff, cases.booking, replies.invitation, ...); nothing here holds a business rule of its own."""
