"""Creates the sandbox scenario (assets/sandbox/lab.json, the serde form of ztharden's
Posture) in a moto server, through boto3, the way an operator would have built it in AWS.

Usage: seed_moto.py ENDPOINT_URL [LAB_JSON]

Credentials and region come from the environment (the tests set AWS_ACCESS_KEY_ID=testing
and friends; the region defaults to the fixture's). Start the server with the fixture's
account id (moto_server.py --account-id), or the ARNs in the policies will not match.

moto assigns its own ids. On success one JSON object is printed to stdout: a map from each
id of the fixture to the id moto gave the same thing (APIs, resources, authorizers,
deployments, the VPC, subnets, security groups, rules, the endpoint, instances). Names and
ARNs built from names (roles, instance profiles) are the same on both sides.

What moto cannot represent, and what is done instead:
* Subnet CIDRs and availability zones are not in the fixture: each subnet gets the next
  /24 of the VPC's first CIDR, in zones a, b, c... of the region.
* Every method gets a MOCK integration: the fixture has none, but a deployment needs one.
* A CUSTOM method's authorizer is created as a TOKEN authorizer pointing at a made-up
  Lambda ARN (the fixture names only its id).
* Methods are created by PutMethod, so moto stores no authorization scopes or models; the
  fixture has none either.
* A security group created by moto also gets the default egress rule (ztharden reads only
  ingress, so it does not show).
* The resource policies are stored as the fixture writes them (JSON-escaped, as AWS
  returns them); moto returns them verbatim, where AWS would also rewrite `execute-api:/*`
  into full ARNs (the fixture already uses full ARNs).
"""

import json
import os
import sys
from typing import Any

import boto3

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "assets", "sandbox", "lab.json")
EC2_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


class Seeder:
    def __init__(self, endpoint_url: str, lab: dict[str, Any]):
        self.lab = lab
        self.region = os.environ.get("AWS_REGION") or lab["region"]
        session = boto3.session.Session(region_name=self.region)
        self.ec2 = session.client("ec2", endpoint_url=endpoint_url)
        self.iam = session.client("iam", endpoint_url=endpoint_url)
        self.apigw = session.client("apigateway", endpoint_url=endpoint_url)
        self.ids: dict[str, str] = {}

    def mapped(self, text: str) -> str:
        """`text` with every fixture id replaced by moto's (longest ids first)."""
        for old in sorted(self.ids, key=len, reverse=True):
            text = text.replace(old, self.ids[old])
        return text

    def run(self) -> dict[str, str]:
        self.vpcs()
        self.subnets()
        self.security_groups()
        self.roles_and_profiles()
        self.instances()
        self.endpoints()
        for api in self.lab.get("apis", []):
            self.rest_api(api)
        return self.ids

    def vpcs(self) -> None:
        for vpc in self.lab.get("vpcs", []):
            cidrs = vpc.get("cidr_blocks") or ["10.0.0.0/16"]
            created = self.ec2.create_vpc(CidrBlock=cidrs[0])["Vpc"]["VpcId"]
            for extra in cidrs[1:]:
                self.ec2.associate_vpc_cidr_block(VpcId=created, CidrBlock=extra)
            if vpc.get("ipv6_cidr_blocks"):
                print("seed_moto: IPv6 VPC CIDRs are not seeded", file=sys.stderr)
            self.ids[vpc["id"]] = created

    def subnets(self) -> None:
        """The subnets named by instances and endpoints, in the VPC that names them."""
        wanted: dict[str, str] = {}
        for instance in self.lab.get("instances", []):
            if instance.get("subnet_id"):
                wanted.setdefault(instance["subnet_id"], instance["vpc_id"])
        for endpoint in self.lab.get("endpoints", []):
            for subnet in endpoint.get("subnet_ids", []):
                wanted.setdefault(subnet, endpoint["vpc_id"])
        for n, (subnet, vpc) in enumerate(sorted(wanted.items())):
            base = next(v for v in self.lab["vpcs"] if v["id"] == vpc)["cidr_blocks"][0]
            octets = base.split("/")[0].split(".")
            cidr = f"{octets[0]}.{octets[1]}.{n}.0/24"
            zone = self.region + "abcdef"[n % 6]
            created = self.ec2.create_subnet(
                VpcId=self.ids[vpc], CidrBlock=cidr, AvailabilityZone=zone
            )["Subnet"]["SubnetId"]
            self.ids[subnet] = created

    def security_groups(self) -> None:
        groups = self.lab.get("security_groups", [])
        for group in groups:
            self.ids[group["id"]] = self.ec2.create_security_group(
                GroupName=group["name"],
                Description=group.get("description") or group["name"],
                VpcId=self.ids[group["vpc_id"]],
            )["GroupId"]
        # Rules after every group exists: a rule may reference another group.
        for group in groups:
            for rule in group.get("ingress") or []:
                self.ids[rule["rule_id"]] = self.ingress_rule(self.ids[group["id"]], rule)

    def ingress_rule(self, group_id: str, rule: dict[str, Any]) -> str:
        permission: dict[str, Any] = {"IpProtocol": rule["protocol"]}
        if rule.get("from_port") is not None:
            permission["FromPort"] = rule["from_port"]
        if rule.get("to_port") is not None:
            permission["ToPort"] = rule["to_port"]
        source = rule["source"]
        described: dict[str, Any] = {}
        if rule.get("description"):
            described["Description"] = rule["description"]
        if "ipv4" in source:
            permission["IpRanges"] = [{"CidrIp": source["ipv4"], **described}]
        elif "ipv6" in source:
            permission["Ipv6Ranges"] = [{"CidrIpv6": source["ipv6"], **described}]
        elif "group" in source:
            pair = {"GroupId": self.ids.get(source["group"]["group_id"], source["group"]["group_id"])}
            if source["group"].get("owner_id"):
                pair["UserId"] = source["group"]["owner_id"]
            permission["UserIdGroupPairs"] = [{**pair, **described}]
        elif "prefix_list" in source:
            permission["PrefixListIds"] = [{"PrefixListId": source["prefix_list"], **described}]
        else:
            raise SystemExit(f"seed_moto: unknown rule source {source}")
        out = self.ec2.authorize_security_group_ingress(
            GroupId=group_id, IpPermissions=[permission]
        )
        return out["SecurityGroupRules"][0]["SecurityGroupRuleId"]

    def roles_and_profiles(self) -> None:
        done: set[str] = set()
        for instance in self.lab.get("instances", []):
            profile_arn = instance.get("instance_profile_arn")
            if not profile_arn or profile_arn in done:
                continue
            done.add(profile_arn)
            path, profile = split_iam_arn(profile_arn, "instance-profile/")
            self.iam.create_instance_profile(InstanceProfileName=profile, Path=path)
            if instance.get("role_arn"):
                role_path, role = split_iam_arn(instance["role_arn"], "role/")
                try:
                    self.iam.create_role(
                        RoleName=role, Path=role_path, AssumeRolePolicyDocument=EC2_TRUST
                    )
                except self.iam.exceptions.EntityAlreadyExistsException:
                    pass
                self.iam.add_role_to_instance_profile(
                    InstanceProfileName=profile, RoleName=role
                )

    def instances(self) -> None:
        image = self.ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        for instance in self.lab.get("instances", []):
            args: dict[str, Any] = {
                "ImageId": image,
                "InstanceType": "t3.micro",
                "MinCount": 1,
                "MaxCount": 1,
                "SecurityGroupIds": [self.ids[g] for g in instance.get("security_group_ids", [])],
            }
            if instance.get("subnet_id"):
                args["SubnetId"] = self.ids[instance["subnet_id"]]
            if instance.get("instance_profile_arn"):
                args["IamInstanceProfile"] = {"Arn": instance["instance_profile_arn"]}
            if instance.get("name"):
                args["TagSpecifications"] = [
                    {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": instance["name"]}]}
                ]
            created = self.ec2.run_instances(**args)["Instances"][0]["InstanceId"]
            self.ids[instance["id"]] = created
            if instance.get("state") in ("stopped", "stopping"):
                self.ec2.stop_instances(InstanceIds=[created])

    def endpoints(self) -> None:
        for endpoint in self.lab.get("endpoints", []):
            args: dict[str, Any] = {
                "VpcEndpointType": "Interface",
                "VpcId": self.ids[endpoint["vpc_id"]],
                "ServiceName": endpoint["service_name"],
                "SubnetIds": [self.ids[s] for s in endpoint.get("subnet_ids", [])],
                "SecurityGroupIds": [self.ids[g] for g in endpoint.get("security_group_ids", [])],
                "PrivateDnsEnabled": bool(endpoint.get("private_dns_enabled")),
            }
            if endpoint.get("policy"):
                args["PolicyDocument"] = self.mapped(endpoint["policy"])
            created = self.ec2.create_vpc_endpoint(**args)["VpcEndpoint"]["VpcEndpointId"]
            self.ids[endpoint["id"]] = created

    def rest_api(self, api: dict[str, Any]) -> None:
        config: dict[str, Any] = {"types": api.get("endpoint_types") or ["EDGE"]}
        if api.get("vpc_endpoint_ids"):
            config["vpcEndpointIds"] = [self.ids.get(e, e) for e in api["vpc_endpoint_ids"]]
        created = self.apigw.create_rest_api(name=api["name"], endpointConfiguration=config)
        api_id = created["id"]
        self.ids[api["id"]] = api_id
        if api.get("policy"):
            # The policy names the API itself: set it once the API has its id.
            self.apigw.update_rest_api(
                restApiId=api_id,
                patchOperations=[{"op": "replace", "path": "/policy", "value": self.mapped(api["policy"])}],
            )
        self.resources(api, api_id, created["rootResourceId"])
        for stage in api.get("stages") or []:
            deployment = self.apigw.create_deployment(restApiId=api_id, stageName=stage["name"])
            if stage.get("deployment_id"):
                self.ids[stage["deployment_id"]] = deployment["id"]

    def resources(self, api: dict[str, Any], api_id: str, root_id: str) -> None:
        by_path: dict[str, str] = {"/": root_id}
        # Parents before children: shorter paths first.
        for resource in sorted(api.get("resources") or [], key=lambda r: r["path"].count("/")):
            path = resource["path"]
            if path != "/":
                parent_path = path.rsplit("/", 1)[0] or "/"
                by_path[path] = self.apigw.create_resource(
                    restApiId=api_id, parentId=by_path[parent_path], pathPart=path.rsplit("/", 1)[1]
                )["id"]
            self.ids[resource["id"]] = by_path[path]
            for method in resource.get("methods", []):
                self.method(api_id, by_path[path], method)

    def method(self, api_id: str, resource_id: str, method: dict[str, Any]) -> None:
        args: dict[str, Any] = {
            "restApiId": api_id,
            "resourceId": resource_id,
            "httpMethod": method["http_method"],
            "authorizationType": method["authorization_type"],
            "apiKeyRequired": bool(method.get("api_key_required")),
        }
        if method.get("authorizer_id"):
            args["authorizerId"] = self.authorizer(api_id, method["authorizer_id"])
        self.apigw.put_method(**args)
        self.apigw.put_integration(
            restApiId=api_id,
            resourceId=resource_id,
            httpMethod=method["http_method"],
            type="MOCK",
            requestTemplates={"application/json": '{"statusCode": 200}'},
        )

    def authorizer(self, api_id: str, fixture_id: str) -> str:
        if fixture_id not in self.ids:
            account = self.lab["account"]
            function = f"arn:aws:lambda:{self.region}:{account}:function:{fixture_id}"
            self.ids[fixture_id] = self.apigw.create_authorizer(
                restApiId=api_id,
                name=fixture_id,
                type="TOKEN",
                authorizerUri=f"arn:aws:apigateway:{self.region}:lambda:path/2015-03-31/functions/{function}/invocations",
                identitySource="method.request.header.Authorization",
            )["id"]
        return self.ids[fixture_id]


def split_iam_arn(arn: str, kind: str) -> tuple[str, str]:
    """`arn:aws:iam::ACCOUNT:role/some/path/NAME` -> ("/some/path/", "NAME")."""
    rest = arn.split(":" + kind, 1)[1]
    *path, name = rest.split("/")
    return "/" + "".join(p + "/" for p in path), name


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    fixture = sys.argv[2] if len(sys.argv) > 2 else FIXTURE
    with open(fixture, encoding="utf-8") as f:
        lab = json.load(f)
    ids = Seeder(sys.argv[1], lab).run()
    print(json.dumps(ids, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
