#!/usr/bin/env python3
"""Reduces a capture of one compute's link to messages.csv: one row per AMQP RPC or cast and per HTTP
request between the compute and the controller (docs/traces.md).

Reads tshark's dissection of the pcap (tshark must be installed; it is, with the plane). Python is
used here, not in tbsim: it is on every machine that runs the OpenStack plane, whose services are
Python.

  usage: reduce_messages.py PCAP COMPUTE_LABEL T0_EPOCH DURATION_S CONTROLLER_IP  > rows (no header)

AMQP: a basic.publish from the compute or a basic.deliver to it is one message; its bytes are its
AMQP frames (method, content header, body frames, 8 bytes of framing each). The oslo.messaging body
names the call (`method`, or `objname.objmethod` for nova object calls); a reply (routing key
reply_...) is matched to its call by `_msg_id` and adds its bytes to the call's row. A message
without `_msg_id` is a cast. HTTP: each request is its own TCP connection (uwsgi's Connection:
close), so its bytes are the connection's frames in each direction, handshake and teardown
included; the URL template replaces ids (UUIDs, hex, numbers) with {id}.
"""
import json
import re
import subprocess
import sys
from collections import OrderedDict

ID = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|\d+)(?=/|$|\?)")


def tshark_rows(pcap, display_filter, fields):
    command = ["tshark", "-r", pcap, "-Y", display_filter, "-T", "fields", "-E", "separator=\t",
               "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in fields:
        command += ["-e", f]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        yield line.split("\t")


def oslo_call(payload_hex):
    """(name, msg_id, is_reply) of an oslo.messaging body, or None."""
    try:
        body = json.loads(bytes.fromhex(payload_hex).decode("utf-8", "replace"))
        message = json.loads(body["oslo.message"]) if "oslo.message" in body else body
    except (ValueError, KeyError, TypeError):
        return None
    msg_id = message.get("_msg_id")
    if "result" in message or "failure" in message or "ending" in message:
        return ("reply", msg_id, True)
    name = message.get("method", "?")
    args = message.get("args") or {}
    if name in ("object_class_action_versions", "object_action") and isinstance(args, dict):
        objname = args.get("objname") or (args.get("objinst") or {}).get("nova_object.name", "?")
        name = f"{objname}.{args.get('objmethod', '?')}"
    return (name, msg_id, False)


def amqp_messages(pcap, controller):
    rows = tshark_rows(pcap, "amqp", ["frame.time_epoch", "ip.src", "amqp.type", "amqp.method.class",
                                      "amqp.method.method", "amqp.method.arguments.routing_key",
                                      "amqp.length", "amqp.payload"])
    for t, src, types, classes, methods, keys, lengths, payloads in rows:
        # A TCP segment may carry several AMQP frames, even several messages: a message is a method
        # frame (type 1) of class 60 (basic), method 40 (publish) or 60 (deliver), followed by its
        # content header (type 2) and body frames (type 3). The lists below are in frame order,
        # except that methods, keys and payloads hold only the frames that have them.
        types, lengths = types.split("|"), lengths.split("|")
        classes, methods, keys = classes.split("|"), methods.split("|"), keys.split("|")
        payloads = payloads.split("|") if payloads else []
        direction = "to_compute" if src == controller else "to_controller"
        method_index = body_index = -1
        message = None  # [size, key, body hex] of the message being assembled
        for frame_type, length in zip(types, lengths):
            size = int(length) + 8 if length else 8
            if frame_type == "1":
                if message:
                    yield message
                method_index += 1
                is_message = (method_index < len(classes) and classes[method_index] == "60"
                              and method_index < len(methods) and methods[method_index] in ("40", "60"))
                message = [float(t), direction, size, ""] if is_message else None
            elif message is not None:
                message[2] += size
                if frame_type == "3":
                    body_index += 1
                    if body_index < len(payloads):
                        message[3] += payloads[body_index]
            elif frame_type == "3":
                body_index += 1
        if message:
            yield message


def amqp_calls(pcap, controller):
    for t, direction, size, body in amqp_messages(pcap, controller):
        call = oslo_call(body)
        if call is not None:
            yield t, direction, size, call


def http_requests(pcap, controller):
    requests = OrderedDict()
    for t, stream, method, uri in tshark_rows(pcap, "http.request", ["frame.time_epoch", "tcp.stream",
                                                                   "http.request.method", "http.request.uri"]):
        requests[stream] = (float(t), method, ID.sub("/{id}", uri.split("?")[0]))
    sizes = {}
    for stream, src, length in tshark_rows(pcap, "tcp", ["tcp.stream", "ip.src", "frame.len"]):
        if stream in requests:
            up, down = sizes.get(stream, (0, 0))
            sizes[stream] = (up, down + int(length)) if src == controller else (up + int(length), down)
    for stream, (t, method, template) in requests.items():
        up, down = sizes.get(stream, (0, 0))
        yield t, f"{method} {template}", up, down


def main():
    pcap, label, t0, duration, controller = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    rows = []
    calls = {}
    for t, direction, size, (name, msg_id, is_reply) in amqp_calls(pcap, controller):
        if is_reply:
            if msg_id in calls:
                calls[msg_id][6] += size
            continue
        row = [t - t0, label, "amqp", direction, name, size, 0]
        rows.append(row)
        if msg_id:
            calls[msg_id] = row
    for t, name, up, down in http_requests(pcap, controller):
        rows.append([t - t0, label, "http", "to_controller", name, up, down])
    rows.sort(key=lambda r: r[0])
    for r in rows:
        if 0 <= r[0] < duration:
            name = r[4].replace(",", ";")
            print(f"{r[0]:.6f},{r[1]},{r[2]},{r[3]},{name},{r[5]},{r[6]}")


if __name__ == "__main__":
    main()
