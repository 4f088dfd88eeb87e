// Resolve utterances with virtual-alexa against an interaction model file.
//   node resolve.js MODEL.json LOCALE < utterances   (one a line)
// prints one JSON line per utterance: {"utterance", "request"} with the request
// virtual-alexa built, or {"utterance", "error"} when it matched no intent.
"use strict";
const readline = require("node:readline");
const { VirtualAlexa } = require("virtual-alexa");

const [modelFile, locale] = process.argv.slice(2);
let envelope = null;
const alexa = VirtualAlexa.Builder()
  // The "skill" is this function: it keeps the envelope and ends the session, so
  // every utterance starts from the same state and nothing is posted anywhere.
  .handler((request, context, callback) => {
    envelope = request;
    callback(null, { version: "1.0", response: { shouldEndSession: true } });
  })
  .interactionModelFile(modelFile)
  .locale(locale)
  .create();

async function main() {
  for await (const utterance of readline.createInterface({ input: process.stdin })) {
    envelope = null;
    try {
      await alexa.utter(utterance);
      console.log(JSON.stringify({ utterance, request: envelope.request }));
    } catch (error) {
      console.log(JSON.stringify({ utterance, error: String(error.message || error) }));
    }
  }
}

main();
