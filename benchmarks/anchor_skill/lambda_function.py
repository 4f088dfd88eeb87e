"""The smallest skill the ASK SDK for Python samples teach with persistence.

Modelled on alexa-samples/skill-sample-python-highlowgame (lambda/lambda_function.py):
"a simple sample on how to use the persistence attributes and persistence adapter
features in the SDK". Its ``StandardSkillBuilder`` is ask-sdk-core's
``CustomSkillBuilder`` with the SDK's ``DynamoDbAdapter``; that is spelled out here,
and the table is made by the benchmark rather than with ``auto_create_table=True``
(which the house style rules out). Everything else is as the sample teaches it: the
adapter's default boto3 resource, built when ``ask_sdk_dynamodb`` is imported
(region and endpoint from the environment: AWS_DEFAULT_REGION,
AWS_ENDPOINT_URL_DYNAMODB), and a handler that reads the persistent attributes once
and saves them once.

Benchmark-only code: never part of the skill or its bundle. ``TABLE_NAME`` names the
table (key ``id``, the adapter's default).
"""

from __future__ import annotations

import os

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
from ask_sdk_model import Response


def _visit(handler_input: HandlerInput, speech: str) -> Response:
    """One get and one put of the persistent attributes, as the sample's handlers do."""
    manager = handler_input.attributes_manager
    attributes = manager.persistent_attributes
    attributes["visits"] = int(attributes.get("visits", 0)) + 1
    manager.session_attributes = dict(attributes)
    manager.save_persistent_attributes()
    return handler_input.response_builder.speak(speech).ask(speech).response


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return _visit(handler_input, "Welcome back. Would you like to play?")


class IntentRequestHandler(AbstractRequestHandler):
    """Every later turn of a conversation: the sample's guess handler also saves."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return _visit(handler_input, "Try saying a number.")


sb = CustomSkillBuilder(
    persistence_adapter=DynamoDbAdapter(
        table_name=os.environ.get("TABLE_NAME", "anchor-skill"), create_table=False
    )
)
sb.add_request_handler(LaunchRequestHandler())
sb.add_request_handler(IntentRequestHandler())

lambda_handler = sb.lambda_handler()
