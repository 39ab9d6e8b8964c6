"""`inbox check` parses as the pipeline does (ingest.large_parts.parse_lean), so a person checking
a bomb by hand has the pipeline's memory bounds and sees the pipeline's notes."""

from __future__ import annotations

import tracemalloc

from inbox.config import load_settings
from ingest.check import check_file
from tests.hostile import bombs


def test_a_deeply_nested_forward_is_cut_where_the_pipeline_cuts_it(tmp_path):
    path = tmp_path / "nested.eml"
    path.write_bytes(bombs.nested_mail(depth=50))
    result = check_file(path, load_settings(None))
    reasons = [item["reason"] for item in result["review"]]
    # parse_message listed every attached mail (51) and the container limit spoke first; the lean
    # parse hands deep attached mails over whole, and the nesting limit names them.
    assert any("is nested more than 3 containers deep" in reason for reason in reasons), reasons
    assert not any("more than 20 containers" in reason for reason in reasons), reasons
    assert result["kind"] == "affiliation" and result["contact"]["email"] == "anna.lind@koping.se"


def test_a_large_attachment_is_decoded_once(tmp_path):
    path = tmp_path / "big.eml"
    path.write_bytes(bombs.big_attachment_mail(megabytes=25))
    tracemalloc.start()
    try:
        result = check_file(path, load_settings(None))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result["decision"]["present"] is True
    assert peak < 150_000_000, f"{peak / 1e6:.0f} MB"  # parse_message: about 415 MB for this mail
