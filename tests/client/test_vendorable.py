"""The generated project installs on its own into a fresh virtual environment (httpx and attrs only)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts import regenerate

# Bounds the install from the registry (when uv's cache lacks httpx or attrs), so an unreachable index fails the
# test instead of hanging it.
INSTALL_TIMEOUT = 300

SMOKE = """
import importlib.metadata, json
import httpx
from symbl_async_audio_client import Client, parse_webhook
from symbl_async_audio_client.api.jobs import get_job_status

requires = importlib.metadata.requires("symbl-async-audio-client") or []
names = sorted(r.split(";")[0].split(">")[0].split("<")[0].split("=")[0].strip() for r in requires)
job = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": job, "status": "completed"}))
client = Client(base_url="https://api.symbl.test", httpx_args={"transport": transport})
status = get_job_status.sync(job, client=client)
webhook = parse_webhook(b'{"id": "%s", "status": "failed"}' % job.encode())
print(json.dumps({"requires": names, "status": str(status.status), "webhook": str(webhook.status)}))
"""


def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is not on PATH (the project's only tool requirement)")
    return uv


def test_the_generated_project_installs_into_a_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}}
    subprocess.run([_uv(), "venv", "-q", "--python", "3.11", str(venv)], check=True, env=env, timeout=120)  # noqa: S603
    env["VIRTUAL_ENV"] = str(venv)
    # A non-editable install from the directory, as a vendoring user does; httpx and attrs come from uv's cache
    # when it has them (CI has just synced the project), from the registry otherwise.
    install = [_uv(), "pip", "install", "-q", str(regenerate.OUTPUT)]
    offline = subprocess.run([*install, "--offline"], env=env, capture_output=True, check=False, timeout=120)  # noqa: S603
    if offline.returncode != 0:
        subprocess.run(install, env=env, check=True, timeout=INSTALL_TIMEOUT)  # noqa: S603
    python = venv / "bin" / "python"
    done = subprocess.run(  # noqa: S603
        [str(python), "-c", SMOKE], cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '{"requires": ["attrs", "httpx"], "status": "completed", "webhook": "failed"}'
    installed = subprocess.run(  # noqa: S603
        [str(python), "-c", "import symbl_async_audio_client as p; print(p.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert installed.startswith(str(venv)), installed  # a real copy, not the work tree's package
