"""examples/python/connect.py, run as a user would against the API double."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import support

EXAMPLE = support.REPO_ROOT / "examples" / "python" / "connect.py"
DEMO_CREDENTIALS = support.REPO_ROOT / "examples" / "demo" / "credentials"
DEVICE_LIST = (
    "3 devices:\n"
    "  office-gateway   online   80:00:00:00:01:00:00:01\n"
    "      SSH          port 22    80:00:00:00:01:00:00:11\n"
    "      Web admin    port 80    80:00:00:00:01:00:00:12\n"
    "  lab-pi           online   80:00:00:00:01:00:00:02\n"
    "      SSH          port 22    80:00:00:00:01:00:00:21\n"
    "      VNC          port 5900  80:00:00:00:01:00:00:22\n"
    "  old-nas          inactive 80:00:00:00:01:00:00:03\n"
    "      NAS admin    port 443   80:00:00:00:01:00:00:31\n"
)

class ConnectExampleTest(support.DoubleTestCase):
    double_credentials = DEMO_CREDENTIALS

    def run_example(self, *arguments: str, credentials: Path = DEMO_CREDENTIALS) -> subprocess.CompletedProcess:
        """Run the example with the binding on PYTHONPATH and the library of the test run."""
        environment = {**os.environ, "PYTHONPATH": str(support.BINDING_ROOT)}
        command = [sys.executable, str(EXAMPLE), "--credentials", str(credentials),
                   "--api-url", self.double.url, *arguments]
        return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60)

    def connect_attempts(self) -> int:
        """How many connect mutations the double received."""
        return int(self.double.control("GET", "attempts?key=field:connect")["attempts"])

    def demo_credentials_with_mode(self, mode: int) -> Path:
        """A copy of the demo credentials whose permissions are ``mode``."""
        directory = tempfile.mkdtemp(prefix="remoteit-example-")
        self.addCleanup(shutil.rmtree, directory)
        path = Path(directory) / "credentials"
        shutil.copyfile(DEMO_CREDENTIALS, path)
        os.chmod(path, mode)
        return path

    def test_without_a_service_it_lists_the_devices_and_connects_nothing(self) -> None:
        connects = self.connect_attempts()
        result = self.run_example()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, DEVICE_LIST)
        self.assertEqual(self.connect_attempts(), connects)

    def test_device_and_service_names_find_the_service_then_connect_and_disconnect(self) -> None:
        before = self.double.stats()["active_connections"]
        result = self.run_example("LAB-PI", "vnc")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith(DEVICE_LIST), result.stdout)
        self.assertRegex(
            result.stdout[len(DEVICE_LIST):],
            r"^found: VNC of LAB-PI is service 80:00:00:00:01:00:00:22\n"
            r"connected: host \S+ port \d+\ndisconnected: \S+\n$",
        )
        self.assertEqual(self.double.stats()["active_connections"], before)

    def test_a_name_that_matches_nothing_exits_2_naming_the_candidates(self) -> None:
        result = self.run_example("garage", "SSH")
        self.assertEqual(result.returncode, 2)
        self.assertIn("REMOTEIT_ERR_INVALID_ARGUMENT", result.stderr)
        self.assertIn('no device is named "garage"; the 3 devices are: "office-gateway", "lab-pi", "old-nas"',
                      result.stderr)

    def test_three_names_are_a_usage_error(self) -> None:
        result = self.run_example("lab-pi", "SSH", "extra")
        self.assertEqual(result.returncode, 2)
        self.assertIn("usage:", result.stderr)

    def test_a_credentials_file_others_may_read_is_warned_about(self) -> None:
        readable = self.demo_credentials_with_mode(0o644)
        result = self.run_example(support.PORT_PROXY_SERVICE, credentials=readable)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"connect.py: warning: credentials file {readable} is readable", result.stderr)
        private = self.demo_credentials_with_mode(0o600)
        result = self.run_example(support.PORT_PROXY_SERVICE, credentials=private)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("warning", result.stderr)

    def test_a_port_proxy_prints_host_and_port_then_disconnects(self) -> None:
        result = self.run_example(support.PORT_PROXY_SERVICE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^connected: host \S+ port \d+\ndisconnected: \S+\n$")

    def test_a_reverse_proxy_prints_its_url(self) -> None:
        result = self.run_example(support.REVERSE_PROXY_SERVICE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^connected: https://\S+\n")

    def test_the_example_leaves_no_connection_open(self) -> None:
        before = self.double.stats()["active_connections"]
        result = self.run_example(support.PORT_PROXY_SERVICE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.double.stats()["active_connections"], before)

    def test_an_unknown_service_exits_with_the_api_code_and_message(self) -> None:
        result = self.run_example(support.UNKNOWN_SERVICE)
        self.assertEqual(result.returncode, 6)
        self.assertIn("REMOTEIT_ERR_GRAPHQL", result.stderr)

    def test_a_missing_profile_exits_with_the_credentials_code(self) -> None:
        result = self.run_example("--profile", "nosuchprofile", support.PORT_PROXY_SERVICE)
        self.assertEqual(result.returncode, 3)
        self.assertIn("REMOTEIT_ERR_PROFILE_NOT_FOUND", result.stderr)


if __name__ == "__main__":
    unittest.main()
