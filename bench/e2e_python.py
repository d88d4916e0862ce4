"""The seed's Python client, end to end: `requests.post` per call with requests-http-signature's
HTTPSignatureAuth (HMAC_SHA256), connect + disconnect pairs against the API double. Prints
"cpu_us_per_request requests_per_second" (process CPU, this one thread, from time.thread_time).

    python bench/e2e_python.py API_URL KEY_ID SECRET_BASE64 SERVICE_ID PAIRS
"""

import base64
import sys
import time

import requests
from requests_http_signature import HTTPSignatureAuth, algorithms

CONNECT = ("mutation Connect($serviceId: String!) { connect(serviceId: $serviceId) "
           "{ id host port reverseProxy url created timeout } }")
DISCONNECT = "mutation Disconnect($connectionId: String!) { disconnect(connectionId: $connectionId) }"


def main():
    url, key_id, secret, service_id, pairs = sys.argv[1:6]
    auth = HTTPSignatureAuth(key=base64.b64decode(secret), key_id=key_id,
                             signature_algorithm=algorithms.HMAC_SHA256,
                             covered_component_ids=("@method", "@authority", "@target-uri", "date"))

    def call(query, variables):
        answer = requests.post(url, json={"query": query, "variables": variables}, auth=auth,
                               headers={"Date": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())})
        answer.raise_for_status()
        return answer.json()["data"]

    def pair():
        connection = call(CONNECT, {"serviceId": service_id})["connect"]
        call(DISCONNECT, {"connectionId": connection["id"]})

    pair()
    started, cpu = time.monotonic(), time.thread_time()
    for _ in range(int(pairs)):
        pair()
    requests_made = 2 * int(pairs)
    print(f"{(time.thread_time() - cpu) * 1e6 / requests_made:.1f} "
          f"{requests_made / (time.monotonic() - started):.0f}")


if __name__ == "__main__":
    main()
