// Validates APL documents and their datasources with Amazon's apl-suggester.
// stdin: [{"name", "document", "datasources"}]; stdout: [{"name", "errors", "unchecked"}].
// "errors" are the validator's findings (JSON schema, components, commands, datasources,
// unknown component types). The alexa-layouts package lives on Amazon's asset host:
// where it cannot be fetched (offline), the import and the layouts it would define
// (types named Alexa*) are listed under "unchecked" instead, never silently passed.
'use strict';
const axios = require('axios');
const { StaticAplTemplateValidator, ErrorController } = require('apl-suggester');

axios.defaults.timeout = 3000;
const ALEXA_PACKAGES = ['alexa-layouts', 'alexa-styles', 'alexa-viewport-profiles'];
const CANNOT_FETCH = '-1200';
const NO_SUCH_LAYOUT = '-1150';

let notified = [];
const controller = ErrorController.getInstance();
controller.registerErrors();
controller.setErrorInterface({ sendError: (e) => notified.push({ ...e, placeholders: { ...e.placeholders } }) });

function describe(error) {
  const p = error.placeholders || {};
  return { code: error.code, path: p.path, name: p.name || p.url };
}

async function check(validator, item) {
  notified = [];
  controller.clearExistingWarn();
  const found = await validator.validate(item.document);
  // validate() checks commands only when the whole document passes its JSON schema
  // first (with the schema's own findings filtered out), so commands are checked here too.
  const commands = validator.validateCommands(item.document);
  const sources = await validator.validateDataSources(item.datasources || {});
  const errors = [];
  const seen = new Set();
  for (const e of found.concat(commands, sources)) {
    const key = `${e.path}\u0000${e.errorMessage}`;
    if (!seen.has(key)) {
      seen.add(key);
      errors.push({ path: e.path, message: e.errorMessage });
    }
  }
  const unchecked = [];
  const unfetched = new Set();
  for (const e of notified.map(describe)) {
    if (e.code === CANNOT_FETCH && ALEXA_PACKAGES.includes(e.name)) unfetched.add(e.name);
  }
  for (const e of notified.map(describe)) {
    if (e.code === CANNOT_FETCH && unfetched.has(e.name)) {
      unchecked.push({ path: e.path, message: `package ${e.name} not fetched` });
    } else if (e.code === NO_SUCH_LAYOUT && unfetched.has('alexa-layouts') && /^Alexa/.test(e.name)) {
      unchecked.push({ path: e.path, message: `layout ${e.name} from alexa-layouts` });
    } else {
      errors.push({ path: e.path, message: `validator error ${e.code}: ${e.name || ''}` });
    }
  }
  return { name: item.name, errors, unchecked };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const items = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const validator = new StaticAplTemplateValidator();
  const results = [];
  for (const item of items) results.push(await check(validator, item));
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(2);
});
