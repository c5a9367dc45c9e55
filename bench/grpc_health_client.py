#!/usr/bin/python3
"""What a team without grpc_health_probe runs: a grpc_health_probe-style client on python3-grpcio
(grpc.health.v1.Health/Check with hand-encoded protobuf). Exit 0 when SERVING.
usage: grpc_health_client.py HOST:PORT [SERVICE]"""
import sys

import grpc

service = sys.argv[2].encode() if len(sys.argv) > 2 else b""
request = bytes([0x0A, len(service)]) + service if service else b""
with grpc.insecure_channel(sys.argv[1]) as channel:
    check = channel.unary_unary("/grpc.health.v1.Health/Check")
    answer = check(request, timeout=5)
sys.exit(0 if answer == bytes([0x08, 0x01]) else 1)
