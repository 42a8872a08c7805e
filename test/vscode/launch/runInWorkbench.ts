// Runs a compiled tests module inside the real extension host of the web workbench and returns
// the counts it reports.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { format } from 'util';
import { startEmptyEngine, type EmptyEngine } from '../../support/emptyEngine';
import { startSwarmEngine, type SwarmEngine } from '../../support/swarmEngine';
import type { Counts } from '../../support/runMocha';
import { launchBrowser, newWorkbenchContext, serverInstall, startBridge, startServer, workbenchUrl, type WorkbenchOptions } from './workbench';

export async function runInWorkbench(opts: WorkbenchOptions & { label: string; timeoutMs?: number; emptyEngine?: boolean; swarmEngine?: boolean }): Promise<Counts> {
  const install = serverInstall();
  const empty: EmptyEngine | undefined = opts.emptyEngine ? await startEmptyEngine() : undefined;
  // The Services view's tests: a Swarm manager with a worker joined over loopback (never the user's engine).
  let swarm: SwarmEngine | undefined;
  try {
    swarm = opts.swarmEngine ? await startSwarmEngine({ worker: true }) : undefined;
  } catch (err) {
    await empty?.stop();
    throw err;
  }
  const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-results-')), 'counts.json');
  let page: Page | undefined;
  const bridge = await startBridge(() => page, empty, swarm);
  const verbose = !!process.env.BERTH_TEST_VERBOSE;
  const serverLog: string[] = [];
  const wb = await startServer(install, {
    ...opts,
    env: { ...opts.env, BERTH_BRIDGE: bridge.url, BERTH_BRIDGE_TOKEN: bridge.token, BERTH_TEST_RESULTS: resultsFile, ...(empty ? { BERTH_EMPTY_ENGINE: `unix://${empty.socket}` } : {}), ...(swarm ? { BERTH_SWARM_ENGINE: `unix://${swarm.socket}`, ...(swarm.workerSocket ? { BERTH_SWARM_WORKER: `unix://${swarm.workerSocket}` } : {}) } : {}) },
    log: (l) => {
      serverLog.push(l);
      if (verbose) console.log(l);
    },
  });
  const browser = await launchBrowser();
  try {
    const context = await newWorkbenchContext(browser, opts.language);
    page = await context.newPage();
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (exit = r));
    // The page forwards the extension host's console as (severity, args).
    await page.exposeFunction('codeAutomationLog', (_severity: string, args: unknown) => {
      const parts = Array.isArray(args) ? args : [args];
      const line = format(...parts);
      // The workbench logs its failed gallery look-ups (no internet here): noise for a test run.
      if (verbose || !/ENOTFOUND|^\s+at |^\[(Extension Host|LocalProcess|AgentHost|AccountPolicyGate)/.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    page.on('pageerror', (e) => verbose && console.log(`[page] ${e.message}`));
    await page.goto(workbenchUrl(wb, opts));
    // A bound on 'never', not a speed target: the dev suite takes about 15 minutes on a loaded 2-core machine.
    const timeoutMs = opts.timeoutMs ?? 45 * 60_000;
    const code = await Promise.race([
      exited,
      new Promise<number>((_, rej) => setTimeout(() => rej(new Error(`${opts.label}: tests did not finish within ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ]);
    if (!fs.existsSync(resultsFile)) {
      if (!verbose) console.log(serverLog.slice(-40).join('\n'));
      throw new Error(`${opts.label}: the extension host exited with code ${code} and reported no results`);
    }
    const counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Counts;
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    return counts;
  } finally {
    await browser.close().catch(() => undefined);
    await bridge.close();
    await wb.stop();
    await empty?.stop();
    await swarm?.stop();
    fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });
  }
}
