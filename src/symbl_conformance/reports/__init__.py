"""The three renderers of a ``RunReport``: the readable summary, JUnit XML and JSON (its shape: ``schema.json``)."""

from symbl_conformance.reports.json import SCHEMA_PATH, report_document, write_json
from symbl_conformance.reports.junit import write_junit
from symbl_conformance.reports.text import write_text

__all__ = ["SCHEMA_PATH", "report_document", "write_json", "write_junit", "write_text"]
