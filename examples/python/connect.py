#!/usr/bin/env python3
"""Connect to a Remote.It service, print where to reach it, then disconnect.

    python3 examples/python/connect.py [--credentials FILE] [--profile NAME]
                                       [--api-url URL] [--ca-file PEM] SERVICE_ID

Built on the ``remoteit`` binding (bindings/python): the library loads the credentials,
signs every request and calls the GraphQL API. Run it against the local API double:

    python3 tests/api_double.py --credentials examples/demo/credentials --url-file /tmp/api-url &
    REMOTEIT_LIBRARY=target/release/libremoteit.so PYTHONPATH=bindings/python \\
        python3 examples/python/connect.py --credentials examples/demo/credentials \\
        --api-url "$(cat /tmp/api-url)" 80:00:00:00:01:00:00:11

Exit codes: 0 success, 2 usage, 3 credentials, 4 authentication, 5 network, 6 API, 1 other.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

import remoteit

EXIT_CODES = [
    (remoteit.CredentialsError, 3),
    (remoteit.AuthError, 4),
    (remoteit.NetworkError, 5),
    (remoteit.GraphQLError, 6),
    (remoteit.ApiError, 6),
]


def parse_arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description="Connect to a Remote.It service and disconnect again.")
    parser.add_argument("service_id", metavar="SERVICE_ID", help="the service to connect to")
    parser.add_argument("--credentials", metavar="FILE", help="credentials file (default ~/.remoteit/credentials)")
    parser.add_argument("--profile", metavar="NAME", help="profile in the credentials file (default DEFAULT)")
    parser.add_argument("--api-url", metavar="URL", help="GraphQL API URL (default https://api.remote.it/graphql/v1)")
    parser.add_argument("--ca-file", metavar="PEM", help="extra CA certificates to trust")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Connect, print the host and port (or the URL of a reverse proxy), disconnect."""
    arguments = parse_arguments(argv)
    try:
        with remoteit.Credentials.load(arguments.credentials, arguments.profile) as credentials, \
                remoteit.Client(credentials, arguments.api_url, ca_file=arguments.ca_file) as client:
            connection = client.connect(arguments.service_id)
            if connection.reverse_proxy:
                print(f"connected: {connection.url}")
            else:
                print(f"connected: host {connection.host} port {connection.port}")
            client.disconnect(connection.id)
            print(f"disconnected: {connection.id}")
    except remoteit.RemoteItError as error:
        print(f"connect.py: {error}", file=sys.stderr)
        return next((code for family, code in EXIT_CODES if isinstance(error, family)), 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
