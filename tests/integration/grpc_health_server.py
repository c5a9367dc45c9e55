#!/usr/bin/python3
"""A gRPC server for it.grpc_readiness: grpc.health.v1.Health/Check answered from a JSON file
read on every call ({"": "SERVING", "app.Orders": "NOT_SERVING", "slow": "SLEEP"}), so a test
can change the answers while it runs. Written on python3-grpcio's generic handlers, with the
two one-field protobuf messages encoded by hand (Debian has no grpcio-health-checking).

usage: grpc_health_server.py PORT STATE_FILE [CERT KEY]   (a missing STATE_FILE: no health
service at all, so the server answers UNIMPLEMENTED)
"""
import json
import os
import sys
import time
from concurrent import futures

import grpc

STATUS = {"UNKNOWN": 0, "SERVING": 1, "NOT_SERVING": 2, "SERVICE_UNKNOWN": 3}


def service_of(request: bytes) -> str:
    # HealthCheckRequest: field 1 (string), length < 128 in these tests.
    if len(request) >= 2 and request[0] == 0x0A:
        return request[2 : 2 + request[1]].decode()
    return ""


def check(request: bytes, context):
    with open(STATE_FILE) as f:
        states = json.load(f)
    service = service_of(request)
    if service not in states:
        context.abort(grpc.StatusCode.NOT_FOUND, "unknown service " + service)
    state = states[service]
    if state == "SLEEP":
        time.sleep(30)
    code = STATUS[state]
    return b"" if code == 0 else bytes([0x08, code])


port, STATE_FILE = sys.argv[1], sys.argv[2]
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
if os.path.exists(STATE_FILE):
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(
            "grpc.health.v1.Health", {"Check": grpc.unary_unary_rpc_method_handler(check)}),))
if len(sys.argv) > 4:
    with open(sys.argv[3], "rb") as c, open(sys.argv[4], "rb") as k:
        creds = grpc.ssl_server_credentials([(k.read(), c.read())])
    bound = server.add_secure_port("127.0.0.1:" + port, creds)
else:
    bound = server.add_insecure_port("127.0.0.1:" + port)
if bound == 0:
    sys.exit("cannot bind port " + port)
server.start()
print("ready", flush=True)
server.wait_for_termination()
