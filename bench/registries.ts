// npm run bench:registries: the Registries view's catalog on a registry holding 5,000 repositories
// (issue 24). Starts Debian's docker-registry on 127.0.0.1, puts one real image in through the API,
// then copies its repository folder in the registry's storage 4,999 times (repositories there are
// folders of links to shared blobs; the catalog walks them). Measures, interleaved:
//   raw   - one HTTP GET /v2/_catalog?n=100 + JSON.parse on a kept-alive socket;
//   Berth - a new RegistryClient (as on a registry row's first expansion: scheme probe, first page);
//   warm  - the next page on the same client (Load more).
// and checks that a first expansion asks for one page of 100, never the whole catalog.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { PAGE_SIZE as PAGE_SIZE_FOR_BENCH, RegistryClient } from '../src/model/registry/client';
import { startRegistry } from '../test/support/registry';
import { seedImage } from '../test/support/registrySeed';
import { median, percentile } from './stats';

const REPOSITORIES = Number(process.env.BENCH_REPOSITORIES ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const ms = (v: number) => `${v.toFixed(1)} ms`;

function rawPage(host: string, agent: http.Agent, last?: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(`http://${host}/v2/_catalog?n=${PAGE_SIZE_FOR_BENCH}${last ? `&last=${encodeURIComponent(last)}` : ''}`, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { repositories: string[] };
          if (body.repositories.length !== PAGE_SIZE_FOR_BENCH) reject(new Error(`raw page had ${body.repositories.length}`));
          resolve(performance.now() - started);
        });
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  try {
    const seeder = new RegistryClient(registry.host);
    await seedImage(seeder, 'bench/r00000', 'latest');
    seeder.dispose();
    const repos = path.join(registry.dir, 'data', 'docker', 'registry', 'v2', 'repositories', 'bench');
    const fillStart = performance.now();
    for (let i = 1; i < REPOSITORIES; i++) fs.cpSync(path.join(repos, 'r00000'), path.join(repos, `r${String(i).padStart(5, '0')}`), { recursive: true });
    console.log(`Registry ${registry.host}: ${REPOSITORIES} repositories (filled in ${ms(performance.now() - fillStart)})`);

    const agent = new http.Agent({ keepAlive: true });
    await rawPage(registry.host, agent);
    const raw: number[] = [];
    const rawNext: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    let requests = 0;
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(await rawPage(registry.host, agent));
      rawNext.push(await rawPage(registry.host, agent, 'bench/r00099'));
      const lines: string[] = [];
      const client = new RegistryClient(registry.host, { log: (l) => lines.push(l) });
      let t = performance.now();
      const first = await client.catalog(PAGE_SIZE_FOR_BENCH);
      cold.push(performance.now() - t);
      if (first.items.length !== PAGE_SIZE_FOR_BENCH || !first.next) throw new Error(`the first page had ${first.items.length} repositories`);
      requests = lines.filter((l) => l.includes('/_catalog')).length;
      t = performance.now();
      const second = await client.catalog(PAGE_SIZE_FOR_BENCH, first.next);
      warm.push(performance.now() - t);
      if (second.items[0] <= first.items[first.items.length - 1]) throw new Error('the second page does not follow the first');
      client.dispose();
    }
    agent.destroy();
    const target = 300;
    console.log(`First catalog page of ${PAGE_SIZE_FOR_BENCH} (of ${REPOSITORIES}), median / p95 of ${ROUNDS} interleaved rounds:`);
    console.log(`  raw HTTP GET /v2/_catalog?n=${PAGE_SIZE_FOR_BENCH} + JSON.parse     ${ms(median(raw)).padStart(9)} / ${ms(percentile(raw, 95))}   1.00x (baseline)`);
    console.log(`  Berth, new client (first expansion)           ${ms(median(cold)).padStart(9)} / ${ms(percentile(cold, 95))}   ${(median(cold) / median(raw)).toFixed(2)}x`);
    console.log(`  raw HTTP GET of the second page (last=bench/r00099)  ${ms(median(rawNext)).padStart(9)} / ${ms(percentile(rawNext, 95))}   1.00x (its baseline; the registry walks its storage from the start)`);
    console.log(`  Berth, next page (Load more)                  ${ms(median(warm)).padStart(9)} / ${ms(percentile(warm, 95))}   ${(median(warm) / median(rawNext)).toFixed(2)}x`);
    console.log(`  catalog requests on a first expansion: ${requests} (one page of ${PAGE_SIZE_FOR_BENCH}, never the whole catalog)`);
    console.log(`  target first page <= ${target} ms (p95): ${percentile(cold, 95) <= target && requests === 1 ? 'PASS' : 'MISS'}`);
  } finally {
    await registry.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
