// npm start without a desktop VS Code: serves the web workbench with Berth loaded from this folder.
//   open.js [--check] [folder]
// --check serves it, opens it in headless Chromium as a user would, checks that Berth's views
// show the engine's state, and exits (0 when they do).
import * as fs from 'fs';
import * as path from 'path';
import { launchBrowser, readSideBar, repoRoot, resultsDir, serverInstall, startServer, workbenchUrl, type Workbench, type WorkbenchOptions } from './workbench';

async function check(wb: Workbench, opts: WorkbenchOptions): Promise<void> {
  const bare = await fetch(wb.url);
  if (bare.status !== 403 && bare.status !== 401) throw new Error(`the workbench answered ${bare.status} to a request without its connection token`);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(workbenchUrl(wb, opts));
    await page.locator('.activitybar .action-item a[aria-label^="Berth"]').click({ timeout: 60_000 });
    const deadline = Date.now() + 60_000;
    let panes: Awaited<ReturnType<typeof readSideBar>> = [];
    for (;;) {
      panes = await readSideBar(page);
      const containers = panes.find((p) => /containers/i.test(p.title));
      // Settled: a list, an empty-engine welcome or an unreachable-engine explanation.
      if (containers && containers.text.trim() && !/connecting|no data provider/i.test(containers.text)) break;
      if (Date.now() > deadline) throw new Error(`Berth's Containers view did not settle within 60 s; the side bar showed:\n${JSON.stringify(panes, null, 2)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    fs.mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, 'start-check.png') });
    for (const p of panes) console.log(`[${p.title}]\n${p.text.trim()}\n`);
    console.log('npm start --check: the workbench served Berth, behind its connection token.');
  } finally {
    await browser.close().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const checkOnly = args.includes('--check');
  const folder = path.resolve(args.find((a) => !a.startsWith('--')) ?? process.cwd());
  const opts: WorkbenchOptions = { folder, extensionDevelopmentPath: repoRoot, settings: { 'security.workspace.trust.enabled': true } };
  const wb = await startServer(serverInstall(), opts);
  if (checkOnly) {
    try {
      await check(wb, opts);
    } finally {
      await wb.stop();
    }
    return;
  }
  console.log(`\nBerth is running in VS Code. Open this address in your browser (it carries the connection token):\n\n  ${workbenchUrl(wb, opts)}\n\nPress Ctrl+C to stop. The Docker engine keeps running.`);
  const stop = async () => {
    await wb.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  wb.server.once('exit', (code) => {
    console.error(`VS Code server exited (${code})`);
    process.exit(code ?? 1);
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
