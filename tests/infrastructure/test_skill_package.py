"""The skill package the ASK CLI uploads is what SMAPI accepts (issue 5), offline.

The JSON schemas in schemas/ follow the SMAPI skill manifest and interaction model
references; cross-reference rules a schema cannot express (slots, duplicate
samples, AudioPlayer's mandatory intents) are checked here as SMAPI's model build does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from skill.chat.resolver import FALLBACK, Resolution, Resolver
from skill.handlers.reminder_flow import SCOPE as REMINDERS_SCOPE

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).with_name("schemas")
MODELS = sorted((ROOT / "interaction_models").glob("*.json"))
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:movement-snacks-prod"


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(name: str, document: Any) -> list[str]:
    found = validator(name).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def language_model(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    model: dict[str, Any] = data["interactionModel"]["languageModel"]
    return model


@pytest.fixture(scope="module")
def manifest(package_tool: ModuleType) -> dict[str, Any]:
    data: dict[str, Any] = package_tool.load_manifest()
    return data


def test_schemas_reject_what_smapi_rejects() -> None:
    """Prevents schemas so loose they pass anything (numerals in samples, wake words)."""
    bad_model = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "alexa snacks",
                "intents": [{"name": "SetRepsIntent", "samples": ["do 5 reps"]}],
            }
        }
    }
    assert len(errors("interaction-model", bad_model)) == 2
    typo = {"manifest": {"manifestVersion": "1.0", "publishingInformation": {}, "apis": {}}}
    assert errors("skill-manifest", typo)
    screens = {"type": "ALEXA_PRESENTATION_APL", "supportedViewports": [{"mode": "HUB"}]}
    no_sizes = {"manifest": {"apis": {"custom": {"interfaces": [screens]}}}}
    assert any("minWidth" in e for e in errors("skill-manifest", no_sizes))


def test_source_manifest_validates(manifest: dict[str, Any]) -> None:
    """Prevents a skill.json the ASK CLI uploads and SMAPI then refuses."""
    assert errors("skill-manifest", manifest) == []


def test_built_package_has_the_ask_cli_layout_and_the_endpoint(
    package_tool: ModuleType, tmp_path: Path
) -> None:
    """Prevents a package with a stale model copy, or a skill (and its SkillDisabled
    events) pointing anywhere but the deployed function."""
    out = package_tool.build_skill_package(tmp_path / "skill-package", LAMBDA_ARN)
    built = json.loads((out / "skill.json").read_text(encoding="utf-8"))
    assert errors("skill-manifest", built) == []
    assert built["manifest"]["apis"]["custom"]["endpoint"] == {"uri": LAMBDA_ARN}
    assert built["manifest"]["events"]["endpoint"] == {"uri": LAMBDA_ARN}
    copied = sorted((out / "interactionModels" / "custom").glob("*.json"))
    assert [p.name for p in copied] == [p.name for p in MODELS]
    for source, copy in zip(MODELS, copied, strict=True):
        assert copy.read_bytes() == source.read_bytes()


def test_first_deploy_package_creates_the_skill_without_an_endpoint(
    package_tool: ModuleType, tmp_path: Path
) -> None:
    """Prevents the first `ask deploy` failing: before the stack exists there is no
    function to point at, and event subscriptions need an endpoint."""
    out = package_tool.build_skill_package(tmp_path / "skill-package", None)
    built = json.loads((out / "skill.json").read_text(encoding="utf-8"))
    assert errors("skill-manifest", built) == []
    assert "endpoint" not in built["manifest"]["apis"]["custom"]
    assert "events" not in built["manifest"]


def test_package_refuses_a_locale_without_a_model(package_tool: ModuleType, tmp_path: Path) -> None:
    """Prevents publishing a locale whose interaction model was never written."""
    models = tmp_path / "models"
    models.mkdir()
    with pytest.raises(package_tool.PackageError, match="en-US"):
        package_tool.build_skill_package(tmp_path / "out", None, models_dir=models)


def test_manifest_declares_what_the_skill_really_does(manifest: dict[str, Any]) -> None:
    """Prevents false privacy answers, a missing health notice, an unused interface or
    permission, or losing the SkillDisabled event the progress store deletes users on."""
    body = manifest["manifest"]
    assert body["publishingInformation"]["category"] == "HEALTH_AND_FITNESS"
    privacy = body["privacyAndCompliance"]
    assert privacy["allowsPurchases"] is False
    assert privacy["containsAds"] is False
    assert privacy["isChildDirected"] is False
    assert privacy["isExportCompliant"] is True
    for locale in body["publishingInformation"]["locales"].values():
        assert "not a substitute" in locale["description"]
        assert "pain-free" in locale["description"]
    interfaces = [i["type"] for i in body["apis"]["custom"]["interfaces"]]
    assert interfaces == ["AUDIO_PLAYER", "ALEXA_PRESENTATION_APL"]
    # The time zone comes from the Alexa Settings API, which needs no permission; the
    # movement reminders need exactly the scope the skill asks the user for.
    assert body["permissions"] == [{"name": REMINDERS_SCOPE}]
    assert {"eventName": "SKILL_DISABLED"} in body["events"]["subscriptions"]


def test_ask_resources_point_at_the_built_package() -> None:
    """Prevents `ask deploy` uploading an unbuilt or hand-kept copy of the package."""
    resources = json.loads((ROOT / "infrastructure" / "ask-resources.json").read_text())
    assert resources["askcliResourcesVersion"] == "2020-03-31"
    (profile,) = resources["profiles"].values()
    src = (ROOT / "infrastructure" / profile["skillMetadata"]["src"]).resolve()
    assert src == (ROOT / "build" / "skill-package").resolve()
    # No code/skillInfrastructure: SAM owns the function, the ASK CLI only the metadata.
    assert set(profile) == {"skillMetadata"}


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_interaction_model_validates(path: Path) -> None:
    """Prevents a model SMAPI refuses to build (numerals, bad names, wake words)."""
    assert errors("interaction-model", json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_interaction_model_cross_references(path: Path, manifest: dict[str, Any]) -> None:
    """Prevents the model build errors a schema cannot see: undeclared slots, unknown
    slot types, one sample in two intents, missing mandatory built-in intents."""
    model = language_model(path)
    types = {t["name"] for t in model.get("types", [])}
    owner: dict[str, str] = {}
    problems = []
    for intent in model["intents"]:
        slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for slot_type in slots.values():
            if not slot_type.startswith("AMAZON.") and slot_type not in types:
                problems.append(f"{intent['name']}: unknown slot type {slot_type}")
        for sample in intent.get("samples", []):
            for name in re.findall(r"\{(\w+)\}", sample):
                if name not in slots:
                    problems.append(f"{intent['name']}: {sample!r} uses undeclared {{{name}}}")
            key = sample.lower()
            if owner.setdefault(key, intent["name"]) != intent["name"]:
                problems.append(f"{sample!r} in both {owner[key]} and {intent['name']}")
    assert problems == []
    names = {i["name"] for i in model["intents"]}
    required = {"AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent"}
    required |= {"AMAZON.NavigateHomeIntent", "AMAZON.FallbackIntent"}
    if {"type": "AUDIO_PLAYER"} in manifest["manifest"]["apis"]["custom"]["interfaces"]:
        required |= {"AMAZON.PauseIntent", "AMAZON.ResumeIntent"}
    assert required <= names, sorted(required - names)
    assert model["invocationName"] == "movement snacks"


def test_example_phrases_resolve_against_the_en_us_model(manifest: dict[str, Any]) -> None:
    """Prevents certification failing on an example phrase the model cannot understand."""
    phrases = manifest["manifest"]["publishingInformation"]["locales"]["en-US"]["examplePhrases"]
    assert phrases[0].lower().startswith("alexa, open movement snacks")
    for phrase in phrases:
        assert resolves(phrase), phrase


def test_testing_instructions_only_ask_for_what_the_model_understands(
    manifest: dict[str, Any],
) -> None:
    """Prevents a certification tester trying a quoted utterance the skill cannot handle."""
    instructions = manifest["manifest"]["publishingInformation"]["testingInstructions"]
    quoted = re.findall(r"'([^']+)'", instructions)
    assert quoted
    resolver = Resolver.for_locale("en-US")
    for utterance in quoted:
        resolution = resolver.resolve(utterance)
        assert resolution.kind == "launch" or understood(resolution), utterance


def resolves(phrase: str) -> bool:
    """True when the en-US model (through the chat resolver, Alexa's NLU in miniature)
    turns an example phrase into a launch, or a one-shot request for a custom intent."""
    resolution = Resolver.for_locale("en-US").resolve(phrase)
    if resolution.kind == "launch":
        return True
    return understood(resolution) and resolution.one_shot


def understood(resolution: Resolution) -> bool:
    """An intent other than the fallback, every slot resolved to a value of its type."""
    slots = resolution.slots or {}
    return (
        resolution.kind == "intent"
        and resolution.intent != FALLBACK
        and all(v.resolved_id or v.slot_type.startswith("AMAZON.") for v in slots.values())
    )
