"""Typed device listing, finding a service by name and the REST API, against the API double
(tests/api_double.py and its generated fixtures: see its docstring)."""

from __future__ import annotations

import dataclasses
import http.server
import threading
import unittest
from typing import Any, Callable, List
from unittest import mock

import support

import remoteit
from remoteit import _native, devices

ORG_ACCOUNT = "0a9e0000-0000-4000-8000-000000000042"
UNKNOWN_ACCOUNT = "00000000-0000-4000-8000-000000000000"
ROLES = ["garage-pi", "Office-Gateway", "lab-NAS", "Kitchen-Cam", "warehouse-router"]
#: The generated services, by position: name, application type id, port.
GENERATED_SERVICES = [("SSH", 28, 22), ("Web admin", 7, 80), ("VNC", 4, 5900)]


def hex_id(prefix: str, n: int) -> str:
    """``prefix`` followed by n as three hex bytes, as the double numbers its devices."""
    return f"{prefix}:{(n >> 16) & 0xff:02x}:{(n >> 8) & 0xff:02x}:{n & 0xff:02x}"


def generated(n: int, org: bool = False) -> remoteit.Device:
    """Generated device n (from 1) of the own account or of the organisation, as it should come."""
    device_prefix, service_prefix, name_prefix = (
        ("80:00:00:00:04", "80:00:00:00:05", "org-") if org else ("80:00:00:00:02", "80:00:00:00:03", "")
    )
    active = n % 4 != 0
    services = tuple(
        remoteit.Service(hex_id(service_prefix, 4 * n + j), name, application, port)
        for j, (name, application, port) in enumerate(GENERATED_SERVICES[: 1 + (n - 1) % 3])
    )
    return remoteit.Device(
        id=hex_id(device_prefix, n),
        name=f"{name_prefix}d{n:06d}-{ROLES[(n - 1) % 5]}",
        state="active" if active else "inactive",
        online=active,
        services=services,
    )


class DevicesTestCase(support.CredentialsTestCase):
    """A client of the double per test; fixture, paging and faults are restored before each."""

    def setUp(self) -> None:
        self.double.control("POST", "reset", {"settings": True})
        self.client = remoteit.Client(self.credentials, self.double.url, max_retries=0)
        self.addCleanup(self.client.close)

    def use_fixture(self, devices: Any = None, org_devices: int = 3) -> None:
        """The double's own account gets ``devices`` generated devices (None: the small fixture)."""
        self.double.control("POST", "fixture", {"devices": devices, "org_devices": org_devices})

    def count_frees(self) -> List[Any]:
        """Record each ``remoteit_device_list_free`` (the real one is still called) until the test ends."""
        freed: List[Any] = []
        real: Callable[[Any], None] = _native.lib.remoteit_device_list_free

        def free(pointer: Any) -> None:
            freed.append(pointer)
            real(pointer)

        patcher = mock.patch.object(_native.lib, "remoteit_device_list_free", free)
        patcher.start()
        self.addCleanup(patcher.stop)
        return freed


class ListDevicesTest(DevicesTestCase):
    def test_the_small_fixture_comes_with_states_online_and_services(self) -> None:
        listed = self.client.list_devices()
        self.assertEqual([d.name for d in listed], ["office-gateway", "lab-pi", "old-nas"])
        gateway, lab, nas = listed
        self.assertEqual((gateway.id, gateway.state, gateway.online), ("80:00:00:00:01:00:00:01", "active", True))
        self.assertEqual(
            gateway.services,
            (
                remoteit.Service(support.PORT_PROXY_SERVICE, "SSH", 28, 22),
                remoteit.Service(support.REVERSE_PROXY_SERVICE, "Web admin", 7, 80),
            ),
        )
        self.assertEqual([s.name for s in lab.services], ["SSH", "VNC"])
        self.assertEqual((nas.state, nas.online), ("inactive", False))
        self.assertEqual(nas.services, (remoteit.Service("80:00:00:00:01:00:00:31", "NAS admin", 8, 443),))

    def test_devices_and_services_are_frozen_values(self) -> None:
        device = self.client.list_devices()[0]
        self.assertIsInstance(device, remoteit.Device)
        self.assertIsInstance(device.services, tuple)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            device.name = "other"  # type: ignore[misc]
        with self.assertRaises(dataclasses.FrozenInstanceError):
            device.services[0].port = 1  # type: ignore[misc]
        self.assertEqual(hash(device), hash(self.client.list_devices()[0]))

    def test_the_values_outlive_the_native_list_which_is_freed_once(self) -> None:
        freed = self.count_frees()
        listed = self.client.list_devices()
        self.assertEqual(len(freed), 1)
        self.assertEqual(listed[1].services[1].name, "VNC")

    def test_the_name_filter_is_the_apis_case_insensitive_one(self) -> None:
        self.assertEqual([d.name for d in self.client.list_devices("PI")], ["lab-pi"])
        self.assertEqual([d.name for d in self.client.list_devices(name="o")], ["office-gateway", "old-nas"])
        self.assertEqual(self.client.list_devices("no such device"), [])

    def test_an_empty_filter_or_account_raises_invalid_argument(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.client.list_devices("")
        with self.assertRaises(remoteit.InvalidArgumentError):
            self.client.list_devices(account_id="")

    def test_the_organisation_account_lists_its_own_devices(self) -> None:
        listed = self.client.list_devices(account_id=ORG_ACCOUNT)
        self.assertEqual(listed, [generated(n, org=True) for n in (1, 2, 3)])
        self.assertEqual(self.client.list_devices("GARAGE", ORG_ACCOUNT), [generated(1, org=True)])

    def test_an_account_the_key_cannot_see_raises_graphql_error_naming_it(self) -> None:
        with self.assertRaises(remoteit.GraphQLError) as caught:
            self.client.list_devices(account_id=UNKNOWN_ACCOUNT)
        self.assertIn(UNKNOWN_ACCOUNT, caught.exception.message)

    def test_2500_devices_come_once_each_in_order_in_three_pages(self) -> None:
        self.use_fixture(2500)
        listed = self.client.list_devices()
        self.assertEqual(len(listed), 2500)
        self.assertEqual(listed, [generated(n) for n in range(1, 2501)])
        self.assertEqual(self.double.stats()["requests"], 3)

    def test_a_filter_over_several_pages_keeps_only_matching_devices(self) -> None:
        self.use_fixture(2500)
        listed = self.client.list_devices("kitchen-cam")
        self.assertEqual(listed, [generated(n) for n in range(4, 2501, 5)])

    def test_pages_that_contradict_each_other_raise_a_protocol_error(self) -> None:
        self.use_fixture(1500)
        self.double.control("POST", "paging", {"mode": "changing_total"})
        freed = self.count_frees()
        with self.assertRaises(remoteit.ApiError) as caught:
            self.client.list_devices()
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_PROTOCOL)
        self.assertIn("total changed", caught.exception.message)
        self.assertEqual(freed, [], "a failed listing gives no list to free")

    def test_a_name_that_is_not_text_raises_type_error(self) -> None:
        with self.assertRaises(TypeError):
            self.client.list_devices(b"pi")  # type: ignore[arg-type]

    def test_absent_numbers_are_none(self) -> None:
        self.assertIsNone(devices.optional_number(-1))
        self.assertEqual(devices.optional_number(0), 0)
        self.assertEqual(devices.optional_number(5900), 5900)


class FindServiceTest(DevicesTestCase):
    def test_exact_names_find_the_service(self) -> None:
        self.assertEqual(
            self.client.find_service("lab-pi", "VNC"),
            remoteit.Service("80:00:00:00:01:00:00:22", "VNC", 4, 5900),
        )

    def test_names_of_another_case_find_the_service_too(self) -> None:
        self.assertEqual(self.client.find_service("LAB-PI", "ssh").id, "80:00:00:00:01:00:00:21")

    def test_the_organisation_account_is_searched_when_given(self) -> None:
        service = self.client.find_service("org-d000001-garage-pi", "ssh", ORG_ACCOUNT)
        self.assertEqual(service.id, hex_id("80:00:00:00:05", 4))

    def test_a_found_service_can_be_connected(self) -> None:
        connection = self.client.connect(self.client.find_service("office-gateway", "ssh").id)
        self.assertIsInstance(connection.port, int)
        self.client.disconnect(connection.id)

    def test_an_unknown_device_raises_invalid_argument_naming_it_and_the_candidates(self) -> None:
        freed = self.count_frees()
        with self.assertRaises(remoteit.InvalidArgumentError) as caught:
            self.client.find_service("garage", "SSH")
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_INVALID_ARGUMENT)
        self.assertIn('no device is named "garage"', caught.exception.message)
        self.assertIn('"office-gateway", "lab-pi", "old-nas"', caught.exception.message)
        self.assertEqual(len(freed), 1, "the list is freed after a failed search too")

    def test_an_unknown_service_raises_invalid_argument_naming_the_services(self) -> None:
        with self.assertRaises(remoteit.InvalidArgumentError) as caught:
            self.client.find_service("lab-pi", "RDP")
        self.assertIn('no service of device "lab-pi" is named "RDP"', caught.exception.message)
        self.assertIn('"SSH", "VNC"', caught.exception.message)

    def test_several_matching_devices_are_counted_beyond_ten(self) -> None:
        self.use_fixture(30)
        with self.assertRaises(remoteit.InvalidArgumentError) as caught:
            self.client.find_service("garage-pi", "SSH")
        self.assertIn("and 20 more", caught.exception.message)
        self.assertEqual(self.client.find_service("D000003-LAB-nas", "vnc").id, hex_id("80:00:00:00:03", 14))

    def test_names_that_are_not_text_raise_type_error(self) -> None:
        with self.assertRaises(TypeError):
            self.client.find_service(None, "SSH")  # type: ignore[arg-type]
        with self.assertRaises(TypeError):
            self.client.find_service("lab-pi", None)  # type: ignore[arg-type]


class RestTest(DevicesTestCase):
    def test_the_developer_key_gets_the_users_info_as_a_dict(self) -> None:
        info = self.client.rest("GET", "/user/info")
        self.assertEqual((info["status"], info["email"], info["devicecount"]), ("true", "demo@example.com", 3))
        self.assertEqual(self.double.control("GET", "attempts?key=path:/apv/v27/user/info")["attempts"], 1)

    def test_rfc9421_signatures_work_for_rest_too(self) -> None:
        self.client.set_signing_scheme(remoteit.Scheme.RFC9421)
        reply = self.client.rest("GET", "/device/list/all")
        self.assertEqual(reply["status"], "true")
        self.assertEqual(len([d for d in reply["devices"] if "parentaddress" not in d]), 3)

    def test_a_refusal_raises_rest_api_error_with_reason_and_code(self) -> None:
        with remoteit.Credentials(support.ACCESS_KEY_ID, support.SECRET_ACCESS_KEY, "WRONGKEY") as wrong, \
                remoteit.Client(wrong, self.double.url) as client:
            with self.assertRaises(remoteit.RestApiError) as caught:
                client.rest("GET", "/user/info")
        error = caught.exception
        self.assertIsInstance(error, remoteit.ApiError)
        self.assertEqual((error.code, error.name), (remoteit.Result.ERR_API, "REMOTEIT_ERR_API"))
        self.assertIn("the API refused: invalid developer key for this access key (code INVALID_DEVELOPER_KEY)",
                      error.message)
        for secret in ("WRONGKEY", support.SECRET_ACCESS_KEY):
            self.assertNotIn(secret, str(error))
            self.assertNotIn(secret, repr(error))

    def test_a_refusal_with_a_404_status_is_a_rest_api_error_too(self) -> None:
        with self.assertRaises(remoteit.RestApiError) as caught:
            self.client.rest("GET", "/no/such/endpoint")
        self.assertIn("HTTP 404", caught.exception.message)
        self.assertIn("(code NOT_FOUND)", caught.exception.message)

    def test_bodies_are_sent_as_json_from_a_dict_a_list_or_text(self) -> None:
        for body in ({"deviceaddress": "80:00:00:00:01:00:00:01"}, ["a", 1, None], '{"raw": true}'):
            with self.subTest(body=body):
                verified = self.double.stats()["verified"]
                with self.assertRaises(remoteit.RestApiError) as caught:
                    self.client.rest("POST", "/user/info", body)
                self.assertIn("(code METHOD_NOT_ALLOWED)", caught.exception.message)
                self.assertEqual(self.double.stats()["verified"], verified + 1)

    def test_credentials_without_a_developer_key_fail_before_sending(self) -> None:
        with remoteit.Credentials.load(support.CREDENTIALS, "second") as second, \
                remoteit.Client(second, self.double.url) as client:
            with self.assertRaises(remoteit.CredentialsError) as caught:
                client.rest("GET", "/user/info")
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_CREDENTIALS_INCOMPLETE)
        self.assertIn("R3_DEVELOPER_API_KEY", caught.exception.message)
        self.assertEqual(self.double.stats()["requests"], 0)

    def test_bad_methods_paths_and_bodies_raise_invalid_argument_before_sending(self) -> None:
        for method, path, body in [
            ("GET", "user/info", None),
            ("BAD METHOD", "/user/info", None),
            ("GET", "/user info", None),
            ("POST", "/user/info", "{not json"),
            ("POST", "/user/info", ""),
        ]:
            with self.subTest(method=method, path=path, body=body):
                with self.assertRaises(remoteit.InvalidArgumentError):
                    self.client.rest(method, path, body)
        self.assertEqual(self.double.stats()["requests"], 0)

    def test_a_body_of_another_type_raises_type_error(self) -> None:
        for body in (42, b'{"a": 1}', {1, 2}):
            with self.subTest(body=body), self.assertRaises(TypeError):
                self.client.rest("POST", "/user/info", body)  # type: ignore[arg-type]

    def test_a_reply_that_is_json_but_no_object_raises_a_protocol_error(self) -> None:
        class ArrayHandler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                body = b"[1, 2]"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ArrayHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{server.server_address[1]}/graphql/v1"
        with remoteit.Client(self.credentials, url) as client:
            with self.assertRaises(remoteit.ApiError) as caught:
                client.rest("GET", "/user/info")
        self.assertEqual(caught.exception.code, remoteit.Result.ERR_PROTOCOL)
        self.assertIn("not an object (an array)", caught.exception.message)


if __name__ == "__main__":
    unittest.main()
