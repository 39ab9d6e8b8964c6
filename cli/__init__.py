"""The command line: an edge of the service. It parses arguments and calls the services; nothing imports it."""
