"""Sign-in for the mail protocols: OAuth2 access tokens for IMAP and SMTP (XOAUTH2) and Microsoft Graph.

`tokens` holds the provider-neutral ways to get a token (a command, an environment variable)
and the SASL XOAUTH2 string; `microsoft` signs in as an Entra ID app (MSAL's client-credentials
flow) and `aadsts` turns Entra ID's refusals into what to change. Nothing here imports the
services: the IMAP source and the transports call in.
"""
