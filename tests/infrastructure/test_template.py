"""The SAM template is valid and secure by default (issue 5), proven offline.

Each test names the deployment mistake it prevents: a skill any other skill can
invoke, a table that loses data or grants more than the code uses, a public bucket.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from cfnlint.api import ManualArgs, lint_file
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from skill.progress.dynamodb_store import IAM_ACTIONS as STORE_ACTIONS
from skill.progress.dynamodb_store import SAVE_ACTIONS
from skill.progress.fallback import IAM_ACTIONS as QUEUE_SEND_ACTIONS
from skill.progress.fallback import REPLAY_IAM_ACTIONS
from tests.infrastructure.conftest import ROOT

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


SKILL, REPLAY = "SkillFunction", "ReplayFunction"
ROLES = {SKILL: "SkillFunctionRole", REPLAY: "ReplayFunctionRole"}
LOG_GROUPS = {SKILL: "SkillLogGroup", REPLAY: "ReplayLogGroup"}
QUEUE_ARN = {"Fn::GetAtt": ["ProgressFallbackQueue", "Arn"]}
TABLE_ARN = {"Fn::GetAtt": ["ProgressTable", "Arn"]}


def test_the_stack_has_exactly_the_skill_and_the_replay_function(
    template: dict[str, Any],
) -> None:
    """Prevents a function (and so a role) the least-privilege checks below never see."""
    assert set(resources_of_type(template, "AWS::Serverless::Function")) == {SKILL, REPLAY}
    assert set(resources_of_type(template, "AWS::IAM::Role")) == set(ROLES.values())


@pytest.fixture(scope="module")
def transformed(template: dict[str, Any]) -> dict[str, Any]:
    """The template as CloudFormation sees it after the SAM transform (offline).

    `sam deploy` uploads CodeUri first and hands the transform an s3:// URI; do the same.
    """
    packaged = copy.deepcopy(template)
    for function in resources_of_type(packaged, "AWS::Serverless::Function").values():
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


def _role_statements(transformed: dict[str, Any], function: str = SKILL) -> list[dict[str, Any]]:
    props = transformed["Resources"][ROLES[function]]["Properties"]
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


def _granted(statements: list[dict[str, Any]], service: str) -> dict[str, list[Any]]:
    """{action: its resources} over the statements that grant ``service`` actions."""
    found: dict[str, list[Any]] = {}
    for statement in statements:
        for action in as_list(statement["Action"]):
            if action.startswith(f"{service}:"):
                assert statement["Effect"] == "Allow"
                found.setdefault(action, []).extend(as_list(statement["Resource"]))
    return found


@pytest.mark.parametrize("function", [SKILL, REPLAY])
def test_role_has_no_wildcards_and_no_other_services(
    transformed: dict[str, Any], function: str
) -> None:
    """Prevents `dynamodb:*`, `*` resources, or access to services the code never uses."""
    statements = _role_statements(transformed, function)
    for statement in statements:
        assert "NotAction" not in statement and "NotResource" not in statement
        for action in as_list(statement["Action"]):
            assert "*" not in action, action
            assert action.split(":")[0] in {"dynamodb", "logs", "sqs"}, action
        for resource in as_list(statement["Resource"]):
            assert resource != "*", statement
    assert _granted(statements, "logs") == {
        "logs:CreateLogStream": [{"Fn::GetAtt": [LOG_GROUPS[function], "Arn"]}],
        "logs:PutLogEvents": [{"Fn::GetAtt": [LOG_GROUPS[function], "Arn"]}],
    }


def test_skill_role_may_only_send_to_the_fallback_queue(transformed: dict[str, Any]) -> None:
    """Prevents a skill that cannot queue the sets a failing table would lose (AccessDenied
    exactly when it matters), or one that could read or purge the queue."""
    granted = _granted(_role_statements(transformed), "sqs")
    assert granted == {action: [QUEUE_ARN] for action in QUEUE_SEND_ACTIONS}


def test_replay_role_may_only_save_progress_and_drain_its_queue(
    transformed: dict[str, Any],
) -> None:
    """Prevents a replay that lacks what a save or the SQS event source calls, or that
    could read, scan or delete users' progress."""
    statements = _role_statements(transformed, REPLAY)
    assert _granted(statements, "dynamodb") == {action: [TABLE_ARN] for action in SAVE_ACTIONS}
    assert set(SAVE_ACTIONS) <= set(STORE_ACTIONS)
    assert _granted(statements, "sqs") == {action: [QUEUE_ARN] for action in REPLAY_IAM_ACTIONS}


@pytest.mark.parametrize("function", [SKILL, REPLAY])
def test_function_logs_to_a_group_with_retention(template: dict[str, Any], function: str) -> None:
    """Prevents logs kept forever (cost, and they may hold request details)."""
    name = LOG_GROUPS[function]
    retention = template["Resources"][name]["Properties"]["RetentionInDays"]
    if isinstance(retention, dict):
        parameter = template["Parameters"][retention["Ref"]]
        assert all(1 <= int(days) <= 365 for days in parameter["AllowedValues"])
        retention = parameter["Default"]
    assert 1 <= int(retention) <= 365
    props = template["Resources"][function]["Properties"]
    assert props["LoggingConfig"]["LogGroup"] == {"Ref": name}


def test_function_fits_alexa_and_runs_on_arm64(
    template: dict[str, Any], transformed: dict[str, Any]
) -> None:
    """Prevents a timeout past Alexa's 8 s, or a bundle built for the wrong machine."""
    props = transformed["Resources"][SKILL]["Properties"]
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
    for function in (SKILL, REPLAY):
        code_uri = (INFRA / template["Resources"][function]["Properties"]["CodeUri"]).resolve()
        assert code_uri == (Path(package_tool.ROOT) / "build" / "lambda").resolve()
        deployed = transformed["Resources"][function]["Properties"]
        assert deployed["Runtime"] == f"python{package_tool.LAMBDA_PYTHON}"
        assert deployed["Architectures"] == ["arm64"]
    assert package_tool.LAMBDA_PLATFORM.endswith("aarch64")


def test_function_environment_names_every_setting(
    template: dict[str, Any], package_tool: Any
) -> None:
    """Prevents a deployed skill falling back to the embedded SQLite default or no audio,
    or losing the sets a failing table cannot take (no fallback queue)."""
    env = template["Resources"][SKILL]["Properties"]["Environment"]["Variables"]
    assert env["PROGRESS_FALLBACK_QUEUE"] == {"Ref": "ProgressFallbackQueue"}
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
    # The replay writes queued ratings under the same opt-in, never more.
    replay = template["Resources"][REPLAY]["Properties"]["Environment"]["Variables"]
    assert replay["STORE_PAIN_RATINGS"] == {"Ref": "StorePainRatings"}


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


def test_fallback_queue_is_encrypted_kept_and_has_a_dead_letter_queue(
    template: dict[str, Any],
) -> None:
    """Prevents queued progress (maybe pain ratings) stored unencrypted, expiring before
    an outage is fixed, or a poison message retried forever."""
    queues = resources_of_type(template, "AWS::SQS::Queue")
    assert set(queues) == {"ProgressFallbackQueue", "ProgressFallbackDeadLetterQueue"}
    for name, queue in queues.items():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True, name
        assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600, name
        assert queue["DeletionPolicy"] == queue["UpdateReplacePolicy"] == "Retain", name
    redrive = queues["ProgressFallbackQueue"]["Properties"]["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["ProgressFallbackDeadLetterQueue", "Arn"]
    }
    assert 3 <= redrive["maxReceiveCount"] <= 20


def test_replay_function_drains_the_queue_reporting_failed_items(
    template: dict[str, Any], transformed: dict[str, Any]
) -> None:
    """Prevents a replay that retries a whole batch for one failed write, or is invoked by
    anything but its queue, or stampedes a recovering table."""
    skill = transformed["Resources"][SKILL]["Properties"]
    replay = transformed["Resources"][REPLAY]["Properties"]
    assert replay["Handler"] == "skill.progress.replay.handler"
    assert (replay["Runtime"], replay["Architectures"]) == (
        skill["Runtime"],
        skill["Architectures"],
    )
    assert 1 <= replay["ReservedConcurrentExecutions"] <= 5
    assert (
        replay["Environment"]["Variables"]["PROGRESS_STORE"]
        == skill["Environment"]["Variables"]["PROGRESS_STORE"]
    )
    (mapping,) = resources_of_type(transformed, "AWS::Lambda::EventSourceMapping").values()
    props = mapping["Properties"]
    assert props["EventSourceArn"] == QUEUE_ARN
    assert props["FunctionName"] == {"Ref": REPLAY}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # Lambda asks for a visibility timeout of at least 6 times the function's timeout.
    queue = template["Resources"]["ProgressFallbackQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * replay["Timeout"]


ALARMED = {
    "FallbackDeadLetterAlarm": (
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        {
            "Name": "QueueName",
            "Value": {"Fn::GetAtt": ["ProgressFallbackDeadLetterQueue", "QueueName"]},
        },
    ),
    "SkillErrorsAlarm": ("AWS/Lambda", "Errors", {"Name": "FunctionName", "Value": {"Ref": SKILL}}),
    "SkillThrottlesAlarm": (
        "AWS/Lambda",
        "Throttles",
        {"Name": "FunctionName", "Value": {"Ref": SKILL}},
    ),
}


@pytest.mark.parametrize("alarm", sorted(ALARMED))
def test_lost_progress_errors_and_throttles_raise_an_alarm(
    template: dict[str, Any], alarm: str
) -> None:
    """Prevents progress rotting in the dead-letter queue, or a failing or throttled
    skill, going unnoticed: each fires on the first occurrence and tells the topic."""
    namespace, metric, dimension = ALARMED[alarm]
    props = template["Resources"][alarm]["Properties"]
    assert template["Resources"][alarm]["Type"] == "AWS::CloudWatch::Alarm"
    assert (props["Namespace"], props["MetricName"], props["Dimensions"]) == (
        namespace,
        metric,
        [dimension],
    )
    assert props["ComparisonOperator"] == "GreaterThanThreshold" and props["Threshold"] == 0
    assert props["Period"] * props["EvaluationPeriods"] <= 900  # heard within 15 minutes
    assert props["TreatMissingData"] == "notBreaching"  # no traffic is not an alarm
    assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_alarms_mail_the_configured_address_over_an_encrypted_topic(
    template: dict[str, Any],
) -> None:
    """Prevents alarms nobody receives, an address baked into the template, and alarm
    mails (queue and function names) on an unencrypted topic CloudWatch cannot use."""
    name, topic = the_one(template, "AWS::SNS::Topic")
    assert topic["Properties"]["Subscription"] == [
        {"Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}}
    ]
    assert "Default" not in template["Parameters"]["AlarmEmail"]
    key_ref = topic["Properties"]["KmsMasterKeyId"]
    assert key_ref == {"Ref": "SkillKey"}  # a customer key: aws/sns refuses CloudWatch
    key = template["Resources"]["SkillKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    cloudwatch = [
        s
        for s in key["KeyPolicy"]["Statement"]
        if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    ]
    assert len(cloudwatch) == 1
    assert set(cloudwatch[0]["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    alarms = resources_of_type(template, "AWS::CloudWatch::Alarm")
    assert set(alarms) == set(ALARMED) | {"SkillFailuresAlarm"}
    assert name == "AlarmTopic"


def test_the_salt_in_the_function_environment_needs_the_stacks_key(
    template: dict[str, Any],
) -> None:
    """Prevents USER_KEY_SALT being readable by anyone allowed to view the function."""
    props = template["Resources"][SKILL]["Properties"]
    assert "USER_KEY_SALT" in props["Environment"]["Variables"]
    assert props["KmsKeyArn"] == {"Fn::GetAtt": ["SkillKey", "Arn"]}


def test_samconfig_names_the_alarm_address(package_tool: Any) -> None:
    """Prevents `make deploy` failing for a missing AlarmEmail parameter."""
    overrides = package_tool.sam_overrides("default", "amzn1.ask.skill.x")
    assert any(item.startswith("AlarmEmail=") for item in overrides)


def test_failures_the_handler_catches_still_raise_an_alarm(
    template: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Prevents silent failures: the Lambda handler never raises, so Lambda's Errors
    metric never sees a refused cold start or a caught crash; the log filter must
    match the lines the handler really writes, and its metric must be alarmed."""
    from skill import lambda_function

    log_filter = template["Resources"]["SkillFailureLogFilter"]["Properties"]
    assert log_filter["LogGroupName"] == {"Ref": "SkillLogGroup"}
    terms = re.findall(r'\?"([^"]+)"', log_filter["FilterPattern"])
    metric = log_filter["MetricTransformations"][0]
    alarm = template["Resources"]["SkillFailuresAlarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        metric["MetricNamespace"],
        metric["MetricName"],
    )
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] and alarm["Threshold"] == 0
    # GIVEN a deployment without its salt, and then a skill that crashes outside its
    # own error handler
    monkeypatch.setenv("PROGRESS_STORE", "dynamodb://progress")
    monkeypatch.delenv("USER_KEY_SALT", raising=False)
    lambda_function.skill.cache_clear()
    event = json.loads((ROOT / "tests" / "events" / "launch.json").read_text())
    with caplog.at_level(logging.ERROR):
        assert lambda_function.handler(event, None) == {"version": "1.0", "response": {}}

        class Broken:
            skill_id = None

            def invoke(self, **_: Any) -> None:
                raise RuntimeError("boom")

        lambda_function.answer(Broken(), event)  # type: ignore[arg-type]
    lambda_function.skill.cache_clear()
    # THEN each line it logged is counted by the filter
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2
    assert all(any(term in line for term in terms) for line in lines), lines
