"""Data protection: what is stored about one person (export), erasure, retention, log redaction.

identity.py  the address as a key: normalised, hashed (keyed), found in text and files, replaced
lookup.py    every row and file that holds one person's address
export.py    `inbox person export`: that lookup as stable JSON or text (GDPR Art. 15)
erase.py     `inbox person erase`: delete or pseudonymise what the records plan allows, audited
purge.py     deleting a message or an outgoing row with the files no other row shares
retention.py the daily retention run (gallring) of mail that is not part of the public record
redact.py    the logging filter that masks e-mail addresses and phone numbers
commands.py  the CLI edges: `inbox person ...`, `inbox retention run`
"""
