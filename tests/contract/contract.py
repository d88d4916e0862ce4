"""Written against the Python surface of tests/contract/api-contract.md alone (0.1, and from
0.2 sign with Scheme, the client settings and log, the typed listing and REST): signs, connects,
disconnects, lists and queries the API double whose URL is argv[1] with the credentials file
argv[2].
"""
import sys

import remoteit
from remoteit import Client, Connection, Credentials, Device, LogLevel, RemoteItError, Scheme, Service


def main(api_url: str, credentials_file: str) -> int:
    with Credentials.load(credentials_file, None) as credentials:
        headers = credentials.sign_request("POST", api_url, "application/json", b"{}", None)
        assert [name for name, _ in headers] == ["Date", "Authorization"], headers
        signed = credentials.sign(Scheme.CAVAGE, "POST", api_url, "application/json", b"{}", 1700000000)
        assert signed == credentials.sign_request("POST", api_url, "application/json", b"{}", 1700000000), signed
        signed = credentials.sign(Scheme.RFC9421, "POST", api_url, "application/json", b"{}", 1700000000)
        assert [name for name, _ in signed] == ["Date", "Content-Digest", "Signature-Input", "Signature"], signed
        try:
            credentials.sign(2, "POST", api_url, "application/json", b"{}", None)
        except RemoteItError as error:
            assert error.code == 2 and error.name == "REMOTEIT_ERR_INVALID_ARGUMENT", error
        else:
            raise AssertionError("an unknown scheme must fail")
        with Client(credentials, api_url, None) as client:
            connection = client.connect("80:00:00:00:01:00:00:11")
            assert isinstance(connection, Connection)
            assert isinstance(connection.port, int) and connection.host
            client.disconnect(connection.id)
            try:
                client.disconnect(connection.id)
            except RemoteItError as error:
                assert error.code == 303 and error.name == "REMOTEIT_ERR_GRAPHQL", error
            else:
                raise AssertionError("a second disconnect must fail")
            assert client.max_retries == 2 and client.clock_correction is True and client.clock_offset == 0
            client.max_retries = 1
            client.clock_correction = False
            client.user_agent = "contract/0.2"
            lines = []
            client.set_logger(lambda level, message: lines.append((level, message)), level=LogLevel.DEBUG)
            data = client.graphql("query($n: Int) { login { devices(size: $n) { total } } }", {"n": 1})
            assert {LogLevel.INFO, LogLevel.DEBUG} <= {level for level, _ in lines}, lines
            devices = client.list_devices(name=None, account_id=None)
            assert devices and all(isinstance(device, Device) for device in devices), devices
            device = devices[0]
            service = device.services[0]
            assert isinstance(service, Service) and service.id, device
            assert isinstance(device.online, bool) and device.state and device.id, device
            assert service.application is None or isinstance(service.application, int), service
            assert service.port is None or isinstance(service.port, int), service
            assert device in client.list_devices(device.name), device
            info = client.rest("GET", "/user/info", None)
            assert isinstance(info, dict) and "@" in info["email"], info
            print(f"contract.py 0.2: {len(devices)} devices, {device.id} {device.name} {device.state} "
                  f"{device.online}; service {service.name} app {service.application} port {service.port}")
            client.set_logger(None)
            client.user_agent = None
            try:
                client.user_agent = "not a token"
            except RemoteItError as error:
                assert error.code == 2 and error.name == "REMOTEIT_ERR_INVALID_ARGUMENT", error
            else:
                raise AssertionError("a User-Agent product that is not a token must fail")
            print(f"contract.py: key {credentials.access_key_id} connected to "
                  f"{connection.host}:{connection.port}; devices {data['login']['devices']['total']}")
    assert isinstance(remoteit.RemoteItError, type)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
