// npm start without a desktop VS Code: serves the web workbench with Berth loaded from this folder.
import * as path from 'path';
import { repoRoot, serverInstall, startServer, workbenchUrl } from './workbench';

async function main(): Promise<void> {
  const folder = path.resolve(process.argv[2] ?? process.cwd());
  const opts = { folder, extensionDevelopmentPath: repoRoot, settings: { 'security.workspace.trust.enabled': true } };
  const wb = await startServer(serverInstall(), opts);
  console.log(`\nBerth is running in VS Code. Open this address in your browser:\n\n  ${workbenchUrl(wb, opts)}\n\nPress Ctrl+C to stop.`);
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
