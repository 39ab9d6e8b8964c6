"""Every case as rows (rows.py) written as XLSX, CSV or JSON; the digest attaches the XLSX."""
