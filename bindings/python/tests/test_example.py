"""examples/python/connect.py, run as a user would against the API double."""

from __future__ import annotations

import os
import subprocess
import sys
import unittest

import support

EXAMPLE = support.REPO_ROOT / "examples" / "python" / "connect.py"
DEMO_CREDENTIALS = support.REPO_ROOT / "examples" / "demo" / "credentials"

class ConnectExampleTest(support.DoubleTestCase):
    double_credentials = DEMO_CREDENTIALS

    def run_example(self, *arguments: str) -> subprocess.CompletedProcess:
        """Run the example with the binding on PYTHONPATH and the library of the test run."""
        environment = {**os.environ, "PYTHONPATH": str(support.BINDING_ROOT)}
        command = [sys.executable, str(EXAMPLE), "--credentials", str(DEMO_CREDENTIALS),
                   "--api-url", self.double.url, *arguments]
        return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60)

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
