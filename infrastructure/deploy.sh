#!/usr/bin/env bash
# `make deploy`: from a clone to a live skill, and every update after. Needs the AWS
# CLI and SAM CLI with credentials, and the ASK CLI after `ask configure` (README,
# "Deploying to AWS"). Safe to re-run.
#
#   1. first time only: create the skill (manifest + models, no endpoint yet) so it
#      has an id, recorded by the ASK CLI in infrastructure/.ask/ask-states.json;
#   2. sam deploy the stack with SkillId = that id (only this skill may invoke);
#   2a. when the bundle carries an audio manifest, publish the audio it names before
#      the function that plays it goes live (on an update: before sam deploy; on the
#      first deploy the bucket comes with the stack, and the skill has no endpoint
#      until step 3), so no response ever links to a file not yet in the bucket;
#   3. point the skill (and its SKILL_DISABLED events) at the function and upload;
#      this `ask deploy` has no --target, so the ASK CLI also enables the skill for
#      testing (it skips that with a target, as the skill may have no endpoint yet).
# ASK_PROFILE must name a profile in ask-resources.json ("default" there).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
CONFIG_ENV="${CONFIG_ENV:-default}"
ASK_PROFILE="${ASK_PROFILE:-default}"
tool() { "$PYTHON" package.py "$@"; }
# How to publish the audio (overridable so the deploy can be rehearsed offline).
PUBLISH="${PUBLISH:-$PYTHON -m skill.cli audio publish}"
BUNDLED_MANIFEST=../build/lambda/audio-manifest.json
AUDIO_OUT=../audio/out

for cmd in sam aws ask; do
  command -v "$cmd" >/dev/null || { echo "deploy: '$cmd' not found (README, Deploying to AWS)" >&2; exit 1; }
done
[ -d ../build/lambda/skill ] || { echo "deploy: no bundle; run 'make package' first" >&2; exit 1; }

skill_id="$(tool skill-id --profile "$ASK_PROFILE")"
if [ -z "$skill_id" ]; then
  echo "==> Creating the skill (first deploy: no endpoint yet)"
  tool skill-package
  ask deploy --target skill-metadata --profile "$ASK_PROFILE"
  skill_id="$(tool skill-id --profile "$ASK_PROFILE")"
  [ -n "$skill_id" ] || { echo "deploy: ask deploy recorded no skill id" >&2; exit 1; }
fi
echo "==> Skill $skill_id"

stack="$(tool samconfig --config-env "$CONFIG_ENV" stack_name)"
region="$(tool samconfig --config-env "$CONFIG_ENV" region)"
output() {
  aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
publish_audio() {
  [ -f "$BUNDLED_MANIFEST" ] || return 0
  cmp -s "$BUNDLED_MANIFEST" "$AUDIO_OUT/manifest.json" || {
    echo "deploy: the bundled audio manifest is not $AUDIO_OUT/manifest.json; run 'make package' again" >&2
    exit 1
  }
  echo "==> Publishing the audio the bundle plays"
  $PUBLISH --bucket "$(output AudioBucketName)" --prefix "$(output AudioPublishPrefix)" --out "$AUDIO_OUT"
}

stack_exists=false
aws cloudformation describe-stacks --region "$region" --stack-name "$stack" >/dev/null 2>&1 \
  && stack_exists=true
[ "$stack_exists" = true ] && publish_audio

mapfile -t overrides < <(tool sam-overrides --config-env "$CONFIG_ENV" --skill-id "$skill_id")
sam deploy --config-file samconfig.toml --config-env "$CONFIG_ENV" \
  --parameter-overrides "${overrides[@]}"

[ "$stack_exists" = true ] || publish_audio
function_arn="$(output FunctionArn)"
echo "==> Pointing the skill at $function_arn"
tool skill-package --endpoint "$function_arn"
ask deploy --profile "$ASK_PROFILE"

echo "==> Deployed."
