"""Starts a moto server for ztharden's integration tests, with the calls moto lacks added.

Usage: moto_server.py [--host 127.0.0.1] [--port 0] [--account-id 111122223333] [--stop-on-eof]

With --port 0 a free port is chosen. Once the server listens, one line is printed to
stdout and flushed:

    {"port": 54321, "url": "http://127.0.0.1:54321"}

The server then runs until it is killed (SIGTERM or SIGINT end it cleanly) or, with
--stop-on-eof, until its standard input closes: a test harness keeps a pipe open and the
server goes away with it, even when the harness is killed before it can clean up.

What this adds to moto 5.2.5 (pinned in requirements.txt because of it):

* API Gateway `UpdateMethod` (PATCH /restapis/{id}/resources/{rid}/methods/{verb}), which
  moto routes but does not implement. The patch operations are applied to the stored method
  as AWS does (`replace /authorizationType AWS_IAM`, `/authorizerId`, `/apiKeyRequired`,
  `/operationName`, `/requestValidatorId`, `add|remove /authorizationScopes`), and the
  updated method is returned. An unknown path is a BadRequestException, as on AWS. Setting
  an authorization type that takes no authorizer (NONE, AWS_IAM) drops the authorizer id,
  as AWS does.
* EC2 `DescribeSecurityGroupRules` returns the description of every rule: moto 5.2.5 keeps
  it only for CIDR rules and drops it for rules that reference a group or a prefix list.
* EC2 compares rules as AWS does when it refuses a duplicate (InvalidPermission.Duplicate):
  by protocol, ports and peer, never by description. moto 5.2.5 compares a rule that
  references a group by its whole source-group entry, description included, so it would add
  the same rule again under another description (`SecurityGroupRule.__eq__`).

The account id: moto answers every request as the account in the MOTO_ACCOUNT_ID
environment variable (moto.core.responses.BaseResponse.get_current_account reads it on each
request); --account-id sets it, so the seeded account can equal the sandbox's.
"""

import argparse
import json
import os
import signal
import sys
import threading
from typing import Any


def _patch_update_method() -> None:
    from moto.apigateway.exceptions import BadRequestException
    from moto.apigateway.models import APIGatewayBackend, Method
    from moto.apigateway.responses import APIGatewayResponse

    def apply_method_patch(method: Method, operations: list[dict[str, Any]]) -> None:
        for op in operations or []:
            kind, path, value = op.get("op"), op.get("path", ""), op.get("value")
            if path == "/authorizationType" and kind == "replace":
                method.authorization_type = value
                if value in ("NONE", "AWS_IAM"):
                    method.authorizer_id = None
            elif path == "/authorizerId" and kind == "replace":
                method.authorizer_id = value or None
            elif path == "/apiKeyRequired" and kind == "replace":
                method.api_key_required = str(value).lower() == "true"
            elif path == "/operationName" and kind == "replace":
                method.operation_name = value
            elif path == "/requestValidatorId" and kind == "replace":
                method.request_validator_id = value or None
            elif path == "/authorizationScopes" and kind == "add":
                method.authorization_scopes = (method.authorization_scopes or []) + [value]
            elif path == "/authorizationScopes" and kind == "remove":
                scopes = [s for s in (method.authorization_scopes or []) if s != value]
                method.authorization_scopes = scopes or None
            else:
                raise BadRequestException(
                    f"Invalid patch path '{path}' specified for op '{kind}'. "
                    "Must be one of: [/authorizationType, /authorizerId, /apiKeyRequired, "
                    "/operationName, /requestValidatorId, /authorizationScopes]"
                )

    def backend_update_method(
        self: APIGatewayBackend,
        function_id: str,
        resource_id: str,
        method_type: str,
        patch_operations: list[dict[str, Any]],
    ) -> Method:
        method = self.get_method(function_id, resource_id, method_type)
        apply_method_patch(method, patch_operations)
        return method

    def response_update_method(self: APIGatewayResponse) -> str:
        # /restapis/{id}/resources/{rid}/methods/{verb}
        parts = self.path.split("/")
        method = self.backend.update_method(
            parts[2], parts[4], parts[6], self._get_param("patchOperations")
        )
        return json.dumps(method.to_json())

    APIGatewayBackend.update_method = backend_update_method  # type: ignore[attr-defined]
    APIGatewayResponse.update_method = response_update_method  # type: ignore[attr-defined]


def _patch_rule_descriptions() -> None:
    import inspect

    from moto.ec2.models.security_groups import SecurityGroupRule

    original = SecurityGroupRule.__init__
    signature = inspect.signature(original)

    def init(self: SecurityGroupRule, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        given = signature.bind(self, *args, **kwargs).arguments
        self._source_description = next(
            (
                source["Description"]
                for source in (given.get(k) for k in ("source_group", "prefix_list_id"))
                if isinstance(source, dict) and source.get("Description")
            ),
            None,
        )

    def description(self: SecurityGroupRule) -> str | None:
        return self.ip_range.get("Description") or getattr(self, "_source_description", None)

    SecurityGroupRule.__init__ = init  # type: ignore[method-assign]
    SecurityGroupRule.description = property(description)  # type: ignore[assignment,method-assign]


def _patch_rule_identity() -> None:
    from moto.ec2.models.security_groups import SecurityGroupRule

    def peer(rule: SecurityGroupRule) -> dict[str, str]:
        return {k: v for k, v in rule.source_group.items() if k != "Description"}

    def same_rule(self: SecurityGroupRule, other: SecurityGroupRule) -> bool:
        # moto's own comparison, with the source group's description left out.
        if self.ip_protocol != other.ip_protocol:
            return False
        for key in ("CidrIp", "CidrIpv6"):
            if key in self.ip_range and self.ip_range.get(key) != other.ip_range.get(key):
                return False
        if peer(self) != peer(other) or self.prefix_list_id != other.prefix_list_id:
            return False
        if self.ip_protocol != "-1":
            return (self.from_port, self.to_port) == (other.from_port, other.to_port)
        return True

    SecurityGroupRule.__eq__ = same_rule  # type: ignore[method-assign,assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--account-id", help="sets MOTO_ACCOUNT_ID for every request")
    parser.add_argument(
        "--stop-on-eof", action="store_true", help="exit when standard input closes"
    )
    args = parser.parse_args()

    if args.account_id:
        os.environ["MOTO_ACCOUNT_ID"] = args.account_id

    from werkzeug.serving import make_server

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    _patch_update_method()
    _patch_rule_descriptions()
    _patch_rule_identity()

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(
        args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler
    )
    port = server.server_address[1]
    # Some moto responses build URLs from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)

    def stop(_signum: int, _frame: Any) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    if args.stop_on_eof:

        def watch_stdin() -> None:
            sys.stdin.read()
            os._exit(0)

        threading.Thread(target=watch_stdin, daemon=True).start()

    print(json.dumps({"port": port, "url": f"http://{args.host}:{port}"}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
