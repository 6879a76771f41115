#!/usr/bin/env python3
"""Serves a built site with nginx and the configuration the build wrote, and checks it.

    run_nginx.py --site DIR [--prefix /v1.0]… [--keep-running]

Starts nginx on a free loopback port with a minimal main configuration that includes
DIR/hosting/nginx-http.conf in its http block and DIR/hosting/nginx.conf in its server block,
runs check_urls.py and graph_sdk_check.py against it, stops it and removes its files. The exit
code is the checks' result; a missing nginx is a failure.
"""

import argparse
import os
import pathlib
import pwd
import signal
import subprocess
import sys
import time

import check_urls
import graph_sdk_check
import support

MAIN_CONF = """\
daemon off;
master_process on;
worker_processes 1;
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include "{hosting}/nginx-http.conf";
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include "{hosting}/nginx.conf";
    }}
}}
"""


def main_conf(prefix, hosting, port):
    # As root, nginx would hand requests to "nobody"; workers run as whoever runs the check, so
    # file permissions cannot hide a path that escapes the folder.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    return MAIN_CONF.format(user=user, prefix=prefix, hosting=hosting, port=port)


def check_nginx_accepts(nginx, prefix, conf):
    result = subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(conf)],
                                    capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"nginx refused the configuration:\n{result.stderr}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True)
    parser.add_argument("--prefix", action="append", help="passed on to check_urls.py")
    parser.add_argument("--keep-running", action="store_true", help="serve until interrupted, check nothing")
    args = parser.parse_args(argv)
    site = pathlib.Path(args.site).resolve()
    hosting = site / "hosting"
    for name in ("nginx.conf", "nginx-http.conf"):
        if not (hosting / name).is_file():
            parser.error(f"{hosting / name} is missing: build the site first")
    nginx = support.require_tool("nginx", "/usr/sbin")
    support.exit_cleanly_on_sigterm()

    with support.temporary_folder("avatar-site-nginx-") as prefix:
        port = support.free_port()
        conf = prefix / "nginx.conf"
        conf.write_text(main_conf(prefix, hosting, port))
        check_nginx_accepts(nginx, prefix, conf)
        base_url = f"http://127.0.0.1:{port}"
        try:
            with support.running([nginx, "-p", str(prefix), "-c", str(conf)], port):
                print(f"nginx serves {site} at {base_url}", flush=True)
                if args.keep_running:
                    return wait_for_interrupt()
                prefixes = sum((["--prefix", p] for p in (args.prefix or [])), [])
                urls = check_urls.main(["--site", str(site), "--base-url", base_url] + prefixes)
                sdk = graph_sdk_check.main(["--site", str(site), "--base-url", base_url + "/v1.0"])
                return urls or sdk
        finally:
            print_errors(prefix / "error.log")


def wait_for_interrupt():
    """Serves until Ctrl-C or SIGTERM; either way nginx is stopped and its folder removed."""
    def stop_serving(signal_number, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop_serving)
    signal.signal(signal.SIGINT, stop_serving)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0


def print_errors(log):
    if log.is_file():
        errors = [line for line in log.read_text().splitlines() if "[emerg]" in line or "[alert]" in line
                  or "[crit]" in line or "[error]" in line]
        for line in errors[-20:]:
            print("nginx:", line, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
