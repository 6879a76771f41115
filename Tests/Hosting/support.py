"""What the hosting checks share: the site under test, raw HTTP, tools and child processes."""

import contextlib
import hashlib
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

HERE = pathlib.Path(__file__).resolve().parent
VENV_BIN = HERE.parent.parent / ".venv" / "bin"

JSON = "application/json"
JPEG = "image/jpeg"
HTML = "text/html"


class MissingTool(RuntimeError):
    """A tool a check needs is not installed: the check fails, it never skips."""


def require_tool(name, *also_look_in):
    """The path of an executable on PATH (or in the given folders), or MissingTool."""
    for folder in also_look_in:
        candidate = pathlib.Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise MissingTool(f"{name} is not installed (looked on PATH{' and in ' if also_look_in else ''}"
                          f"{', '.join(map(str, also_look_in))}); scripts/setup.sh installs it")
    return found


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, seconds=20):
    """Waits until something listens on 127.0.0.1:port; fails early if the process died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before listening")
        with contextlib.suppress(OSError):
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listened on port {port} within {seconds} s")


@contextlib.contextmanager
def running(command, port, **popen_arguments):
    """Starts a server, waits for its port, and always stops it (SIGTERM, then SIGKILL)."""
    process = subprocess.Popen(command, start_new_session=True, **popen_arguments)
    try:
        wait_for_port(port, process)
        yield process
    finally:
        stop(process)


def stop(process, grace=10):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def temporary_folder(prefix):
    folder = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def media_type(self):
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def __repr__(self):
        return f"<{self.status} {self.header('content-type')} {len(self.body)} bytes>"


def request(base_url, path, method="GET", headers=None):
    """Sends the path exactly as given (no normalising of `..` or escapes), on a new connection."""
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=15)
    try:
        connection.putrequest(method, url.path.rstrip("/") + path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def cache_max_age(cache_control):
    match = re.search(r"(?:^|[,\s])max-age=(\d+)", cache_control or "")
    return int(match.group(1)) if match else None


def cache_directives(cache_control):
    return {part.strip().split("=")[0].lower() for part in (cache_control or "").split(",") if part.strip()}


def read_map(path):
    """An nginx map file the build wrote: lines `key value;`, the key maybe quoted."""
    entries = {}
    for line in pathlib.Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r'("(?:[^"\\]|\\.)*"|\S+)\s+(\S+);', line)
        if not match:
            raise ValueError(f"{path}: not a map line: {line!r}")
        key = match.group(1)
        entries[key[1:-1] if key.startswith('"') else key] = match.group(2)
    return entries


def gravatar_hashes(mail):
    address = mail.strip().lower().encode()
    return hashlib.md5(address).hexdigest(), hashlib.sha256(address).hexdigest()


class Site:
    """A built output folder, read the way a consumer would read it."""

    def __init__(self, folder):
        self.folder = pathlib.Path(folder).resolve()
        index = json.loads((self.folder / "users.json").read_text())
        self.size_names = index["sizes"]
        self.users = index["value"]
        self.hosting = self.folder / "hosting"

    @property
    def sides(self):
        return [int(name.lower().split("x")[0]) for name in self.size_names]

    def first_user(self, placeholder):
        for user in self.users:
            if bool(user.get("placeholder")) == placeholder:
                return user
        raise AssertionError(f"the site has no {'placeholder' if placeholder else 'photo'} user to check")

    def user_file(self, user_id, relative):
        return self.folder / "users" / user_id / relative

    def user_bytes(self, user_id, relative):
        return self.user_file(user_id, relative).read_bytes()

    def aliases(self):
        path = self.hosting / "aliases.map"
        return read_map(path) if path.is_file() else None

    def avatar_hashes(self):
        path = self.hosting / "avatars.map"
        return read_map(path) if path.is_file() else None


def exit_cleanly_on_sigterm():
    """A terminated check unwinds like an interrupted one: its servers stop, its folders go."""
    def leave(signal_number, frame):
        raise SystemExit(128 + signal_number)
    signal.signal(signal.SIGTERM, leave)


def run_suite(test_cases, verbosity=1):
    """Runs the TestCase classes and returns a process exit code."""
    exit_cleanly_on_sigterm()
    loader = unittest.TestLoader()
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(case) for case in test_cases)
    result = unittest.TextTestRunner(verbosity=verbosity).run(suite)
    return 0 if result.wasSuccessful() else 1
