#!/usr/bin/env python3
"""List the devices of a Remote.It account, or connect to a service, print where to reach it,
then disconnect.

    python3 examples/python/connect.py [--credentials FILE] [--profile NAME]
                                       [--api-url URL] [--ca-file PEM]
                                       [SERVICE_ID | DEVICE_NAME SERVICE_NAME]

With SERVICE_ID it connects to that service. With DEVICE_NAME SERVICE_NAME it lists the
account's devices and their services through the typed API (no JSON to parse), finds the
service by its device's name and its own name (an exact match first, then a case-insensitive
one) and connects to it. With neither it only lists the devices.

Built on the ``remoteit`` binding (bindings/python): the library loads the credentials,
signs every request and calls the GraphQL API. Run it against the local API double:

    python3 tests/api_double.py --credentials examples/demo/credentials --url-file /tmp/api-url &
    REMOTEIT_LIBRARY=target/release/libremoteit.so PYTHONPATH=bindings/python \\
        python3 examples/python/connect.py --credentials examples/demo/credentials \\
        --api-url "$(cat /tmp/api-url)" lab-pi ssh

Exit codes: 0 success, 2 usage (also a device or service name that matches no device or
service, or several), 3 credentials, 4 authentication, 5 network, 6 API, 1 other.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

import remoteit

EXIT_CODES = [
    (remoteit.InvalidArgumentError, 2),
    (remoteit.CredentialsError, 3),
    (remoteit.AuthError, 4),
    (remoteit.NetworkError, 5),
    (remoteit.GraphQLError, 6),
    (remoteit.ApiError, 6),
]


def parse_arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description="List the devices of a Remote.It account, or connect to a service and disconnect again.",
        usage="%(prog)s [options] [SERVICE_ID | DEVICE_NAME SERVICE_NAME]",
    )
    parser.add_argument("target", nargs="*", metavar="SERVICE_ID | DEVICE_NAME SERVICE_NAME",
                        help="the service to connect to, by its id or by its device's name and its own name")
    parser.add_argument("--credentials", metavar="FILE", help="credentials file (default ~/.remoteit/credentials)")
    parser.add_argument("--profile", metavar="NAME", help="profile in the credentials file (default DEFAULT)")
    parser.add_argument("--api-url", metavar="URL", help="GraphQL API URL (default https://api.remote.it/graphql/v1)")
    parser.add_argument("--ca-file", metavar="PEM", help="extra CA certificates to trust")
    arguments = parser.parse_args(argv)
    if len(arguments.target) > 2:
        parser.error("give a SERVICE_ID, or a DEVICE_NAME and a SERVICE_NAME")
    return arguments


def print_devices(devices: List[remoteit.Device]) -> None:
    """One line per device (name, online or its state, id), one more per service."""
    print(f"{len(devices)} devices:")
    for device in devices:
        print(f"  {device.name:<16} {'online' if device.online else device.state:<8} {device.id}")
        for service in device.services:
            port = "-" if service.port is None else service.port
            print(f"      {service.name:<12} port {port:<5} {service.id}")


def connect_and_disconnect(client: remoteit.Client, service_id: str) -> None:
    """Connect, print the host and port (or the URL of a reverse proxy), disconnect."""
    connection = client.connect(service_id)
    if connection.reverse_proxy:
        print(f"connected: {connection.url}")
    else:
        print(f"connected: host {connection.host} port {connection.port}")
    client.disconnect(connection.id)
    print(f"disconnected: {connection.id}")


def main(argv: Optional[List[str]] = None) -> int:
    """List the devices and find the service by name (or take its id), connect, disconnect."""
    arguments = parse_arguments(argv)
    try:
        with remoteit.Credentials.load(arguments.credentials, arguments.profile) as credentials, \
                remoteit.Client(credentials, arguments.api_url, ca_file=arguments.ca_file) as client:
            if credentials.warning:
                print(f"connect.py: warning: {credentials.warning}", file=sys.stderr)
            if len(arguments.target) == 1:
                connect_and_disconnect(client, arguments.target[0])
                return 0
            print_devices(client.list_devices())
            if len(arguments.target) == 2:
                device_name, service_name = arguments.target
                service = client.find_service(device_name, service_name)
                print(f"found: {service.name} of {device_name} is service {service.id}")
                connect_and_disconnect(client, service.id)
    except remoteit.RemoteItError as error:
        print(f"connect.py: {error}", file=sys.stderr)
        return next((code for family, code in EXIT_CODES if isinstance(error, family)), 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
