// A test credential helper, `docker-credential-berthtest`, written to a temporary folder to put on
// PATH: it keeps its store in a JSON file beside itself and logs each action (never a secret) so a
// test can tell get, store and erase were used. It speaks the docker-credential-helpers protocol.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestHelper {
  /** The folder to put first on PATH. */
  bin: string;
  /** The helper's store: server → { Username, Secret }. */
  store(): Promise<Record<string, { Username: string; Secret: string }>>;
  /** The actions run, in order ("get 127.0.0.1:5000"). */
  actions(): Promise<string[]>;
  /** PATH with the helper's folder first. */
  path(base?: string): string;
  remove(): Promise<void>;
}

const SCRIPT = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const dir = __dirname;
const storeFile = path.join(dir, 'store.json');
const logFile = path.join(dir, 'actions.log');
const read = () => { try { return JSON.parse(fs.readFileSync(storeFile, 'utf8')); } catch { return {}; } };
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  const action = process.argv[2];
  const store = read();
  if (action === 'store') {
    const c = JSON.parse(input);
    store[c.ServerURL] = { Username: c.Username, Secret: c.Secret };
    fs.writeFileSync(storeFile, JSON.stringify(store));
    fs.appendFileSync(logFile, 'store ' + c.ServerURL + '\\n');
    return;
  }
  const server = input.trim();
  fs.appendFileSync(logFile, action + ' ' + server + '\\n');
  if (action === 'get') {
    if (!store[server]) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
    process.stdout.write(JSON.stringify({ ServerURL: server, ...store[server] }));
  } else if (action === 'erase') {
    if (!store[server]) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
    delete store[server];
    fs.writeFileSync(storeFile, JSON.stringify(store));
  } else if (action === 'list') {
    process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(store).map(([k, v]) => [k, v.Username]))));
  } else { process.exit(1); }
});
`;

export async function createTestHelper(): Promise<TestHelper> {
  const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-credhelper-'));
  const file = path.join(bin, 'docker-credential-berthtest');
  await fs.writeFile(file, SCRIPT, { mode: 0o755 });
  return {
    bin,
    store: async () => {
      try {
        return JSON.parse(await fs.readFile(path.join(bin, 'store.json'), 'utf8')) as Record<string, { Username: string; Secret: string }>;
      } catch {
        return {};
      }
    },
    actions: async () => {
      try {
        return (await fs.readFile(path.join(bin, 'actions.log'), 'utf8')).split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    path: (base = process.env.PATH ?? '') => `${bin}${path.delimiter}${base}`,
    remove: () => fs.rm(bin, { recursive: true, force: true }),
  };
}
