"""The SAM template is valid and secure by default (issue 5), proven offline.

Each test names the deployment mistake it prevents: a skill any other skill can
invoke, a table that loses data or grants more than the code uses, a public bucket.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import boto3
import pytest
from cfnlint.api import ManualArgs, lint_file
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from skill.progress.dynamodb_store import IAM_ACTIONS as STORE_ACTIONS

INFRA = Path(__file__).resolve().parents[2] / "infrastructure"
TEMPLATE = INFRA / "template.yaml"


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def the_one(template: dict[str, Any], kind: str) -> tuple[str, dict[str, Any]]:
    found = resources_of_type(template, kind)
    assert len(found) == 1, f"expected exactly one {kind}, found {sorted(found)}"
    return next(iter(found.items()))


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.fixture(scope="module")
def transformed(template: dict[str, Any]) -> dict[str, Any]:
    """The template as CloudFormation sees it after the SAM transform (offline).

    `sam deploy` uploads CodeUri first and hands the transform an s3:// URI; do the same.
    """
    packaged = copy.deepcopy(template)
    _, function = the_one(packaged, "AWS::Serverless::Function")
    function["Properties"]["CodeUri"] = "s3://deployment-bucket/movement-snacks.zip"
    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name="us-east-1"))
    result: dict[str, Any] = translator.translate(
        packaged, parameter_values={}, get_managed_policy_map=dict
    )
    return result


def test_cfn_lint_reports_nothing() -> None:
    """Prevents a template CloudFormation would reject, or that cfn-lint warns or even
    informs about (stateful resources without an explicit deletion policy)."""
    matches = lint_file(TEMPLATE, config=ManualArgs(include_checks=["I"]))
    assert [str(m) for m in matches] == []


def test_only_this_skill_may_invoke_the_function(transformed: dict[str, Any]) -> None:
    """Prevents any other Alexa skill (or anyone else) from invoking our function."""
    permissions = resources_of_type(transformed, "AWS::Lambda::Permission")
    assert len(permissions) == 1, sorted(permissions)
    props = next(iter(permissions.values()))["Properties"]
    assert props["Principal"] == "alexa-appkit.amazon.com"
    assert props["Action"] == "lambda:InvokeFunction"
    assert props["EventSourceToken"] == {"Ref": "SkillId"}
    assert not resources_of_type(transformed, "AWS::Lambda::Url")


def test_skill_id_parameter_rejects_anything_but_a_skill_id(template: dict[str, Any]) -> None:
    """Prevents deploying with an empty or mistyped SkillId (no restriction at all)."""
    import re

    pattern = re.compile(template["Parameters"]["SkillId"]["AllowedPattern"])
    assert pattern.match("amzn1.ask.skill.0a1b2c3d-0000-4000-8000-123456789abc")
    for wrong in ("", "*", "amzn1.ask.skill.", "amzn1.echo-sdk-ams.app.1234"):
        assert not pattern.match(wrong), wrong
    assert "Default" not in template["Parameters"]["SkillId"]


def test_progress_table_matches_the_store_and_keeps_data(template: dict[str, Any]) -> None:
    """Prevents a key design the store cannot use, or losing progress (no PITR, deletion)."""
    name, table = the_one(template, "AWS::DynamoDB::Table")
    props = table["Properties"]
    assert {(a["AttributeName"], a["AttributeType"]) for a in props["AttributeDefinitions"]} == {
        ("pk", "S"),
        ("sk", "S"),
    }
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain", name


def _role_statements(transformed: dict[str, Any]) -> list[dict[str, Any]]:
    _, role = the_one(transformed, "AWS::IAM::Role")
    props = role["Properties"]
    assert props["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
    # Managed policies (AWSLambdaBasicExecutionRole grants logs:CreateLogGroup on *).
    assert "ManagedPolicyArns" not in props
    return [s for policy in props["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def test_role_grants_exactly_the_dynamodb_actions_the_store_calls(
    transformed: dict[str, Any],
) -> None:
    """Prevents a role that lacks an action the store calls (runtime AccessDenied) or
    grants one it never calls, like Scan or CreateTable."""
    statements = _role_statements(transformed)
    dynamodb = [
        s for s in statements if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))
    ]
    granted = {a for s in dynamodb for a in as_list(s["Action"])}
    assert granted == set(STORE_ACTIONS)
    assert not granted & {"dynamodb:Scan", "dynamodb:CreateTable", "dynamodb:DeleteTable"}
    for statement in dynamodb:
        assert statement["Effect"] == "Allow"
        assert as_list(statement["Resource"]) == [{"Fn::GetAtt": ["ProgressTable", "Arn"]}]


def test_role_has_no_wildcards_and_no_other_services(transformed: dict[str, Any]) -> None:
    """Prevents `dynamodb:*`, `*` resources, or access to services the code never uses."""
    statements = _role_statements(transformed)
    for statement in statements:
        assert "NotAction" not in statement and "NotResource" not in statement
        for action in as_list(statement["Action"]):
            assert "*" not in action, action
            assert action.split(":")[0] in {"dynamodb", "logs"}, action
        for resource in as_list(statement["Resource"]):
            assert resource != "*", statement
    logs = [s for s in statements if all(a.startswith("logs:") for a in as_list(s["Action"]))]
    assert {a for s in logs for a in as_list(s["Action"])} == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    }
    assert all(s["Resource"] == {"Fn::GetAtt": ["SkillLogGroup", "Arn"]} for s in logs)


def test_function_logs_to_a_group_with_retention(template: dict[str, Any]) -> None:
    """Prevents logs kept forever (cost, and they may hold request details)."""
    name, group = the_one(template, "AWS::Logs::LogGroup")
    retention = group["Properties"]["RetentionInDays"]
    if isinstance(retention, dict):
        parameter = template["Parameters"][retention["Ref"]]
        assert all(1 <= int(days) <= 365 for days in parameter["AllowedValues"])
        retention = parameter["Default"]
    assert 1 <= int(retention) <= 365
    _, function = the_one(template, "AWS::Serverless::Function")
    assert function["Properties"]["LoggingConfig"]["LogGroup"] == {"Ref": name}


def test_function_fits_alexa_and_runs_on_arm64(
    template: dict[str, Any], transformed: dict[str, Any]
) -> None:
    """Prevents a timeout past Alexa's 8 s, or a bundle built for the wrong machine."""
    _, function = the_one(transformed, "AWS::Lambda::Function")
    props = function["Properties"]
    assert props["Timeout"] < 8
    assert props["Architectures"] == ["arm64"]
    assert props["Handler"] == "skill.lambda_function.handler"
    major, minor = props["Runtime"].removeprefix("python").split(".")
    assert (int(major), int(minor)) >= (3, 12)
    assert 256 <= props["MemorySize"] <= 1024


def test_function_code_is_the_bundle_make_package_builds(
    template: dict[str, Any], package_tool: Any, transformed: dict[str, Any]
) -> None:
    """Prevents deploying the repository (tests, .venv) instead of the lean bundle,
    or a bundle built for another Python than the runtime."""
    _, function = the_one(template, "AWS::Serverless::Function")
    code_uri = (INFRA / function["Properties"]["CodeUri"]).resolve()
    assert code_uri == (Path(package_tool.ROOT) / "build" / "lambda").resolve()
    _, deployed = the_one(transformed, "AWS::Lambda::Function")
    assert deployed["Properties"]["Runtime"] == f"python{package_tool.LAMBDA_PYTHON}"
    assert package_tool.LAMBDA_PLATFORM.endswith("aarch64")


def test_function_environment_names_every_setting(
    template: dict[str, Any], package_tool: Any
) -> None:
    """Prevents a deployed skill falling back to the embedded SQLite default or no audio."""
    _, function = the_one(template, "AWS::Serverless::Function")
    env = function["Properties"]["Environment"]["Variables"]
    assert env["PROGRESS_STORE"] == {"Fn::Sub": "dynamodb://${ProgressTable}"}
    assert env["SKILL_ID"] == {"Ref": "SkillId"}
    assert env["STORE_PAIN_RATINGS"] == {"Ref": "StorePainRatings"}
    assert template["Parameters"]["StorePainRatings"]["Default"] == "false"
    assert env["AUDIO_BASE_URL"]["Fn::Sub"].startswith("https://${AudioDistribution.DomainName}")
    # The manifest travels in the bundle, which Lambda unpacks at /var/task.
    bundled = f"/var/task/{package_tool.BUNDLED_AUDIO_MANIFEST}"
    assert env["AUDIO_MANIFEST"] == {
        "Fn::If": ["HasAudioManifest", bundled, {"Ref": "AWS::NoValue"}]
    }
    assert {"LOG_LEVEL", "USER_KEY_SALT"} <= set(env)


def test_audio_bucket_is_private(template: dict[str, Any]) -> None:
    """Prevents a public bucket: every public-access block on, objects owned by us."""
    _, bucket = the_one(template, "AWS::S3::Bucket")
    block = bucket["Properties"]["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["Properties"]["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "BucketOwnerEnforced"}
    ]


def test_only_our_distribution_may_read_the_audio(template: dict[str, Any]) -> None:
    """Prevents a bucket policy that lets anyone (or any CloudFront distribution) read."""
    _, policy = the_one(template, "AWS::S3::BucketPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1
    allow = allows[0]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source_arn = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source_arn.endswith(":distribution/${AudioDistribution}")
    for deny in (s for s in statements if s["Effect"] == "Deny"):
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_audio_is_served_over_https_through_origin_access_control(
    template: dict[str, Any],
) -> None:
    """Prevents plain-HTTP audio (Alexa refuses it) or a legacy OAI/public origin."""
    oac_name, oac = the_one(template, "AWS::CloudFront::OriginAccessControl")
    assert oac["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    _, distribution = the_one(template, "AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    (origin,) = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac_name, "Id"]}
    assert origin["S3OriginConfig"]["OriginAccessIdentity"] == ""
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] in {
        "https-only",
        "redirect-to-https",
    }


def test_outputs_give_a_deployer_what_the_next_steps_need(template: dict[str, Any]) -> None:
    """Prevents a deploy that leaves the skill endpoint or the audio bucket unknown."""
    assert {"FunctionArn", "ProgressTableName", "AudioBucketName", "AudioBaseUrl"} <= set(
        template["Outputs"]
    )
    assert {"SkillId", "Stage", "StorePainRatings", "LogLevel"} <= set(template["Parameters"])
