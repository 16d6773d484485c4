#!/usr/bin/env python3
"""A client for the shiming gateway using only Python's standard library (urllib, json).

As a library:

    from gateway_client import GatewayClient, GatewayProblem
    client = GatewayClient("http://127.0.0.1:8080", key, purpose="account signup")
    try:
        answer = client.mobile_two_elements("张三", "18688888888")
        print(answer["verdict"], answer["cached"])
    except GatewayProblem as problem:
        print(problem.status, problem.kind, problem.detail)

From the shell (the key comes from GATEWAY_KEY so it never shows in `ps`):

    GATEWAY_KEY=shk_... python3 gateway_client.py --url http://127.0.0.1:8080 mobile 张三 18688888888
    GATEWAY_KEY=shk_... python3 gateway_client.py --url ... id 张三 11010519491231002X
    GATEWAY_KEY=shk_... python3 gateway_client.py --url ... status 18688888888
    GATEWAY_KEY=shk_... python3 gateway_client.py --url ... balance

It prints the answer as JSON on stdout (exit 0), or the problem document on stderr (exit 1
for a refusal, 2 for a usage error, 3 when the gateway cannot be reached).
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class GatewayProblem(Exception):
    """An RFC 9457 problem document the gateway answered with."""

    def __init__(self, status, document):
        self.status = status
        self.document = document
        self.kind = document.get("kind", "unknown")
        self.detail = document.get("detail", "")
        self.retry_after = None
        super().__init__("%s %s: %s" % (status, self.kind, self.detail))


class GatewayClient:
    """One gateway, one tenant key. Thread-safe: it keeps no state between calls."""

    def __init__(self, base_url, key, purpose=None, timeout=60):
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.purpose = purpose
        self.timeout = timeout

    def mobile_two_elements(self, name, mobile, vendor=None):
        body = {"name": name, "mobile": mobile}
        if vendor:
            body["vendor"] = vendor
        return self._call("POST", "/v1/mobile/two-elements", body)

    def id_two_elements(self, name, id_number):
        return self._call("POST", "/v1/idcard/two-elements", {"name": name, "id_number": id_number})

    def mobile_status(self, mobile):
        return self._call("POST", "/v1/mobile/status", {"mobile": mobile})

    def balance(self, vendor="ihuyi"):
        return self._call("GET", "/v1/balance?" + urllib.parse.urlencode({"vendor": vendor}), None)

    def _call(self, method, path, body):
        headers = {"Authorization": "Bearer " + self.key, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.purpose:
            # HTTP headers are Latin-1 on the wire in http.client; send UTF-8 bytes as such.
            headers["Purpose"] = self.purpose.encode("utf-8").decode("latin-1")
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raw = error.read().decode("utf-8", "replace")
            try:
                document = json.loads(raw)
            except ValueError:
                document = {"kind": "unknown", "detail": raw[:200]}
            problem = GatewayProblem(error.code, document)
            problem.retry_after = error.headers.get("Retry-After")
            raise problem from None


def main(argv):
    parser = argparse.ArgumentParser(description="Call a shiming gateway.")
    parser.add_argument("--url", required=True, help="gateway base URL")
    parser.add_argument("--purpose", help="the Purpose header (why this check is made)")
    sub = parser.add_subparsers(dest="check", required=True)
    mobile = sub.add_parser("mobile")
    mobile.add_argument("name")
    mobile.add_argument("mobile")
    mobile.add_argument("--vendor", choices=["auto", "wapi", "qxt"])
    idcard = sub.add_parser("id")
    idcard.add_argument("name")
    idcard.add_argument("id_number")
    status = sub.add_parser("status")
    status.add_argument("mobile")
    sub.add_parser("balance")
    args = parser.parse_args(argv)

    key = os.environ.get("GATEWAY_KEY")
    if not key:
        print("set GATEWAY_KEY to your API key", file=sys.stderr)
        return 2
    client = GatewayClient(args.url, key, purpose=args.purpose)
    try:
        if args.check == "mobile":
            answer = client.mobile_two_elements(args.name, args.mobile, args.vendor)
        elif args.check == "id":
            answer = client.id_two_elements(args.name, args.id_number)
        elif args.check == "status":
            answer = client.mobile_status(args.mobile)
        else:
            answer = client.balance()
    except GatewayProblem as problem:
        print(json.dumps(problem.document, ensure_ascii=False), file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as error:
        print("cannot reach the gateway: %s" % error, file=sys.stderr)
        return 3
    print(json.dumps(answer, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
