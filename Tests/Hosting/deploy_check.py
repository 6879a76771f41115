#!/usr/bin/env python3
"""Checks the scheduling examples in deploy/ and the shell the hosting templates hold.

    deploy_check.py

- systemd: `systemd-analyze verify` on copies of the unit files whose ExecStart points at the
  repository's nightly script (verify insists that the program exists), and nothing printed;
- the cron line: five valid time fields, a user, and a command that `bash -n` accepts;
- the Kubernetes CronJob and the GitHub Actions workflow: YAML that parses, with the parts a
  scheduler needs (schedule, volumes for the state, the nightly command, publishing steps);
- `bash -n` on every shell script in deploy/ and templates/hosting/ and on the workflow's run
  steps, and `perl -c` on the key linker;
- avatar-site-nightly.sh with a stand-in build: it publishes on 0 and 1 only, and exits with
  the build's code, or 4 when publishing fails.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import unittest

import support

REPOSITORY = support.HERE.parent.parent
DEPLOY = REPOSITORY / "deploy"
TEMPLATES = REPOSITORY / "templates" / "hosting"

try:
    import yaml
except ImportError as error:
    raise support.MissingTool(f"PyYAML is not installed ({error}); run this with .venv/bin/python") from error


def bash_syntax_errors(script_text, name):
    result = subprocess.run([support.require_tool("bash"), "-n"], input=script_text, capture_output=True, text=True)
    return "" if result.returncode == 0 else f"{name}: {result.stderr.strip()}"


class SystemdTests(unittest.TestCase):
    def test_units_verify(self):
        systemd_analyze = support.require_tool("systemd-analyze")
        with support.temporary_folder("avatar-site-units-") as folder:
            nightly = DEPLOY / "avatar-site-nightly.sh"
            for unit in ("avatar-site.service", "avatar-site.timer"):
                text = (DEPLOY / unit).read_text()
                text = re.sub(r"^ExecStart=\S+", f"ExecStart={nightly}", text, flags=re.M)
                (folder / unit).write_text(text)
            result = subprocess.run([systemd_analyze, "verify", "avatar-site.service", "avatar-site.timer"],
                                    cwd=folder, capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stderr.strip(), "", "systemd-analyze had something to say")

    def test_service_runs_the_nightly_command(self):
        text = (DEPLOY / "avatar-site.service").read_text()
        exec_start = re.search(r"^ExecStart=(.*)$", text, re.M).group(1).split()
        self.assertTrue(exec_start[0].endswith("avatar-site-nightly.sh"))
        self.assertEqual(exec_start[1], "/etc/avatar-site/site.yml")
        self.assertIn("Type=oneshot", text)
        timer = (DEPLOY / "avatar-site.timer").read_text()
        self.assertRegex(timer, r"(?m)^OnCalendar=")
        self.assertRegex(timer, r"(?m)^Persistent=true$")


class CronTests(unittest.TestCase):
    FIELD_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]

    def job_lines(self):
        lines = [line for line in (DEPLOY / "avatar-site.cron").read_text().splitlines()
                 if line.strip() and not line.startswith("#") and not re.match(r"^[A-Z_]+=", line)]
        self.assertEqual(len(lines), 1, lines)
        return lines

    def test_line_has_valid_fields_user_and_command(self):
        fields = self.job_lines()[0].split(None, 6)
        for value, (low, high) in zip(fields[:5], self.FIELD_RANGES):
            for part in value.split(","):
                base = part.split("/")[0]
                if base != "*":
                    for number in base.split("-"):
                        self.assertTrue(low <= int(number) <= high, f"cron field {value!r}")
        self.assertEqual(fields[5], "avatar-site", "an /etc/cron.d line names its user")
        command = fields[6]
        self.assertNotIn("%", command, "cron turns % into a newline")
        self.assertIn("avatar-site-nightly.sh /etc/avatar-site/site.yml", command)
        self.assertEqual(bash_syntax_errors(command, "avatar-site.cron"), "")


class KubernetesTests(unittest.TestCase):
    def documents(self):
        return {doc["kind"]: doc for doc in yaml.safe_load_all((DEPLOY / "kubernetes.yaml").read_text()) if doc}

    def test_cronjob_keeps_its_state_on_a_volume(self):
        documents = self.documents()
        self.assertEqual(set(documents), {"PersistentVolumeClaim", "ConfigMap", "CronJob"})
        cronjob = documents["CronJob"]["spec"]
        self.assertEqual(len(cronjob["schedule"].split()), 5)
        self.assertEqual(cronjob["concurrencyPolicy"], "Forbid")
        pod = cronjob["jobTemplate"]["spec"]["template"]["spec"]
        self.assertEqual(pod["restartPolicy"], "Never", "podFailurePolicy needs restartPolicy Never")
        container = pod["containers"][0]
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
        for name in mounts.values():
            self.assertIn(name, volumes)
        claim = documents["PersistentVolumeClaim"]["metadata"]["name"]
        state_mount = next(path for path, name in mounts.items()
                           if volumes[name].get("persistentVolumeClaim", {}).get("claimName") == claim)
        site = yaml.safe_load(documents["ConfigMap"]["data"]["site.yml"])
        self.assertTrue(site["output"]["dir"].startswith(state_mount + "/"), "the output must be on the volume")
        command = container["command"] + container["args"]
        self.assertTrue(command[0].endswith("avatar-site-nightly.sh"))
        self.assertEqual(command[1], "/etc/avatar-site/site.yml")
        self.assertIn("/etc/avatar-site", mounts)
        self.assertTrue(command[2].startswith(site["output"]["dir"] + "/hosting/"))
        rules = cronjob["jobTemplate"]["spec"]["podFailurePolicy"]["rules"]
        self.assertEqual(rules[0]["onExitCodes"]["containerName"], container["name"])


class WorkflowTests(unittest.TestCase):
    def workflow(self):
        return yaml.safe_load((DEPLOY / "github-actions.yml").read_text())

    def test_runs_nightly_and_publishes(self):
        workflow = self.workflow()
        triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
        self.assertEqual(len(triggers["schedule"][0]["cron"].split()), 5)
        self.assertIn("workflow_dispatch", triggers)
        steps = workflow["jobs"]["build"]["steps"]
        for step in steps:
            self.assertTrue("uses" in step or "run" in step, step)
        runs = "\n".join(step.get("run", "") for step in steps)
        self.assertIn("avatar-site build --config", runs)
        self.assertIn("hosting/prepare-pages.sh", runs)
        self.assertIn("hosting/sync-s3.sh", runs)
        self.assertIn("deploy-pages", str(workflow["jobs"]["pages"]["steps"]))

    def test_run_steps_are_valid_bash(self):
        for job_name, job in self.workflow()["jobs"].items():
            for step in job["steps"]:
                if "run" in step:
                    script = re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", step["run"])
                    with self.subTest(job=job_name, step=step.get("name")):
                        self.assertEqual(bash_syntax_errors(script, step.get("name", "step")), "")


class ShellTests(unittest.TestCase):
    def test_scripts_parse(self):
        scripts = sorted(DEPLOY.glob("*.sh")) + sorted(TEMPLATES.glob("*.sh"))
        self.assertTrue(scripts)
        for script in scripts:
            with self.subTest(script=script.name):
                self.assertEqual(bash_syntax_errors(script.read_text(), script.name), "")
                self.assertTrue(script.read_text().startswith("#!/usr/bin/env bash\n"))


class NightlyScriptTests(unittest.TestCase):
    """avatar-site-nightly.sh with a stand-in build and publisher."""

    def run_nightly(self, build_code, publish_code=0):
        with support.temporary_folder("avatar-site-nightly-") as folder:
            build = folder / "avatar-site"
            build.write_text(f"#!/bin/sh\necho \"$@\" > {folder}/build-arguments\nexit {build_code}\n")
            publish = folder / "publish"
            publish.write_text(f"#!/bin/sh\necho \"$@\" > {folder}/published\nexit {publish_code}\n")
            for path in (build, publish):
                path.chmod(0o755)
            result = subprocess.run([str(DEPLOY / "avatar-site-nightly.sh"), "/etc/avatar-site/site.yml",
                                     str(publish), "s3://bucket"], env=dict(os.environ, AVATAR_SITE=str(build)),
                                    capture_output=True, text=True)
            built_with = (folder / "build-arguments").read_text().split()
            published = (folder / "published").read_text().split() if (folder / "published").exists() else None
            return result.returncode, built_with, published

    def test_publishes_on_zero_and_one_only(self):
        for build_code, expected_exit, publishes in ((0, 0, True), (1, 1, True), (2, 2, False), (3, 3, False)):
            with self.subTest(build_exit=build_code):
                code, built_with, published = self.run_nightly(build_code)
                self.assertEqual(built_with, ["build", "--config", "/etc/avatar-site/site.yml"])
                self.assertEqual(code, expected_exit)
                self.assertEqual(published, ["s3://bucket"] if publishes else None)

    def test_a_failed_publish_exits_four(self):
        for build_code in (0, 1):
            with self.subTest(build_exit=build_code):
                code, _, published = self.run_nightly(build_code, publish_code=1)
                self.assertEqual(code, 4)
                self.assertIsNotNone(published)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    if shutil.which("bash") is None:
        raise support.MissingTool("bash is not installed")
    return support.run_suite([SystemdTests, CronTests, KubernetesTests, WorkflowTests, ShellTests,
                              NightlyScriptTests], verbosity=2)


if __name__ == "__main__":
    sys.exit(main())
