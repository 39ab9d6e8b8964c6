"""The organisation's own page behind a personal link: the link itself (links.py) and what the page does."""
