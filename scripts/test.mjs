// npm test: every layer, in order, then one line "N passed, N failed" summing them all.
// A layer that cannot run (no engine, no browser, no VS Code server) counts as a failure.
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-counts-'));
let passed = 0;
let failed = 0;
const report = [];

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return r.status === 0;
}

/** A step that is one check: it passes or fails as a whole. */
function check(name, cmd, args) {
  console.log(`\n=== ${name} ===`);
  const ok = run(cmd, args);
  if (ok) passed++;
  else failed++;
  report.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  return ok;
}

/** A step that runs tests and writes their counts to a file. */
function layer(name, cmd, args) {
  console.log(`\n=== ${name} ===`);
  const file = path.join(tmp, `${name.replace(/\W+/g, '_')}.json`);
  const ok = run(cmd, [...args, '--counts', file]);
  if (!fs.existsSync(file)) {
    failed++;
    report.push(`FAIL ${name}: could not run`);
    return;
  }
  const c = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += c.passed;
  failed += c.failed;
  if (!ok && c.failed === 0) failed++;
  report.push(`${c.failed || !ok ? 'FAIL' : 'ok  '} ${name}: ${c.passed} passed, ${c.failed} failed`);
}

const npx = (bin, ...a) => ['npx', ['--no-install', bin, ...a]];
// On a fresh machine `npm test` alone must work: install what is missing and start an engine.
if (!check('setup (packages, npm dependencies, VS Code server, engine)', 'bash', ['-c', 'bash scripts/setup.sh --tests && bash scripts/ensure-engine.sh'])) {
  console.log('\nSetup failed: the layers below cannot run.');
}
check('typecheck (tsc)', ...npx('tsc', '-p', '.', '--noEmit'));
check('lint (eslint)', ...npx('eslint', 'src', 'test', 'bench', 'scripts', 'esbuild.js'));
const built = check('compile tests', ...npx('tsc', '-p', '.')) & check('package .vsix', 'npm', ['run', '--silent', 'package']);
// A developer's own objects (unlabelled, one of each kind running or in use), made before the
// layers and checked after each: every prune and cleanup in the tests must leave them as they were.
const userState = path.join(tmp, 'user-objects.json');
const userMade = check('user objects (unlabelled containers, images, volumes, networks)', 'node', ['out/test/support/userObjects.js', 'create', userState]);
const userCheck = (after) => check(`user objects unchanged after ${after}`, 'node', ['out/test/support/userObjects.js', 'check', userState]);
layer('unit', 'node', ['out/test/support/runLayer.js', 'unit']);
if (userMade) userCheck('unit');
layer('engine', 'node', ['out/test/support/runLayer.js', 'engine']);
if (userMade) userCheck('engine');
if (built) layer('vscode', 'node', ['out/test/vscode/launch/main.js', 'all']);
else {
  failed++;
  report.push('FAIL vscode: not run, the build failed');
}
if (userMade) userCheck('vscode');
// Only this run's user objects, by their own label.
run('node', ['out/test/support/userObjects.js', 'remove', userState]);
fs.rmSync(tmp, { recursive: true, force: true });

console.log('\n=== summary ===');
for (const line of report) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
