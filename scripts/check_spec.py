"""Check the OpenAPI document: structure (openapi-spec-validator), links, examples and patterns, then Redocly's lint.

Exit 0 when every check passes, 1 when one fails. Redocly runs through npx at a pinned version with
openapi/redocly.yaml; pass --no-lint where node is not available.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from symbl_spec import load_spec, spec_path
from symbl_spec.checks import check_examples, check_links, check_patterns

REDOCLY = "@redocly/cli@2.77.0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=None, help="the document to check (default: openapi/)")
    parser.add_argument("--no-lint", action="store_true", help="skip Redocly (needs node and npx)")
    args = parser.parse_args()
    path = (args.spec or spec_path()).resolve()
    document = load_spec(path)
    failed = False

    try:
        validate(document)
        print(f"ok    openapi-spec-validator: {path.name}")
    except OpenAPIValidationError as error:
        print(f"FAIL  openapi-spec-validator: {error.message}")
        failed = True

    checks = (
        ("links", check_links(document)),
        ("examples", check_examples(document)),
        ("patterns", check_patterns(document)),
    )
    for name, problems in checks:
        print(f"{'FAIL' if problems else 'ok  '}  {name}: {len(problems)} problem(s)")
        for problem in problems:
            print(f"        {problem}")
        failed = failed or bool(problems)

    if not args.no_lint:
        npx = shutil.which("npx")
        if npx is None:
            print("FAIL  redocly: npx not found (install node and npm, or pass --no-lint)")
            return 1
        config = Path(__file__).resolve().parents[1] / "openapi" / "redocly.yaml"
        command = [npx, "--yes", REDOCLY, "lint", "--format=codeframe", f"--config={config}", str(path)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        print(f"{'FAIL' if result.returncode else 'ok  '}  redocly lint ({REDOCLY}, recommended)")
        if result.returncode:
            print(result.stdout + result.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
