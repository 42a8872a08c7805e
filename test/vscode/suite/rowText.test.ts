import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { BASE_IMAGE, buildImage, createIdleContainer, startWebContainer, uniqueName } from '../../support/testEngine';
import { evalInPage, hasWorkbenchBridge, screenshot, setSideBarWidth } from './bridge';
import type { BerthApi } from '../../../src/extension';
import { docker, useBerthInWorkbench, waitFor } from './helpers';

interface ShownRow {
  description: string;
  aria: string;
  /** Where the status text ends on screen, and where the row's label is cut off. */
  statusRight: number;
  clipRight: number;
}

/**
 * The row of container `id` named `name` as the page draws it. Other work on the shared engine
 * adds rows too, so it is scrolled into view when the page has not drawn it.
 */
async function shownRow(api: BerthApi, id: string, name: string): Promise<ShownRow | undefined> {
  const row = await readRow(name);
  // Until the view has fetched the new row, reveal cannot resolve it: the next poll tries again.
  if (!row) await api.containersView.reveal(id, { select: false, focus: false }).then(undefined, () => undefined);
  return row;
}

async function readRow(name: string): Promise<ShownRow | undefined> {
  // null, not undefined: the bridge answers JSON.
  const row = await evalInPage<ShownRow | null>(`(() => {
    const row = [...document.querySelectorAll('#workbench\\\\.parts\\\\.sidebar .monaco-list-row')]
      .find((r) => r.querySelector('.label-name')?.textContent.trim() === ${JSON.stringify(name)});
    const desc = row?.querySelector('.label-description');
    const node = desc?.firstChild;
    if (!node || node.nodeType !== 3) return null;
    const text = node.textContent;
    const range = document.createRange();
    const end = text.indexOf(' · ');
    range.setStart(node, 0);
    range.setEnd(node, end < 0 ? text.length : end);
    return {
      description: text,
      aria: row.getAttribute('aria-label') ?? '',
      statusRight: range.getBoundingClientRect().right,
      clipRight: row.querySelector('.monaco-icon-label-container').getBoundingClientRect().right,
    };
  })()`);
  return row ?? undefined;
}

describe('Container row text', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('reading rows needs the web launcher (npm run test:vscode)');
  });

  after(async () => {
    berth.api.containers.setTickInterval(60_000);
    await setSideBarWidth(640);
  });

  it('leads with the status, then ports, then the image, and the status fits at the default side bar width', async () => {
    // A name as short as Compose's (web-1): the name column takes what it needs first.
    const web = await startWebContainer(docker, uniqueName('web'));
    const info = await web.inspect();
    const name = info.Name.slice(1);
    const port = `127.0.0.1:${info.NetworkSettings.Ports['80/tcp']![0].HostPort} → 80/tcp`;
    await waitFor('the running row', () => berth.api.containers.record(web.id)?.state === 'running');
    const description = String(berth.api.containers.getTreeItem(web.id).description);
    assert.match(description, new RegExp(`^Up [^·]+ · ${port.replace(/[.]/g, '\\.')} · ${info.Config.Image.replace(/[/.]/g, '\\$&')}$`));
    // VS Code's default side bar width: the description is cut, but after the status.
    const width = await setSideBarWidth(300);
    assert.ok(width < 360, `the side bar is ${width}px wide`);
    const row = await waitFor('the row drawn', async () => {
      const r = await shownRow(berth.api, web.id, name);
      return r?.description.startsWith('Up ') ? r : undefined;
    });
    await screenshot('row-status-first-default-width');
    assert.ok(row.statusRight <= row.clipRight, `the status ends at ${row.statusRight}px but the row is cut at ${row.clipRight}px: ${JSON.stringify(row)}`);
    // The accessibility label reads as a sentence: what it is, its name, status, image and ports.
    const hostPort = info.NetworkSettings.Ports['80/tcp']![0].HostPort;
    assert.match(row.aria, new RegExp(`^Container ${name}, Up [^,]+, image ${info.Config.Image.replace(/[/.]/g, '\\$&')}, ports 127\\.0\\.0\\.1 port ${hostPort} to 80/tcp$`));
    await setSideBarWidth(640);

    // The tooltip shows the image and command as typed: code spans, no backslashes.
    const item = berth.api.containers.getTreeItem(web.id);
    const tooltip = ((await berth.api.containers.resolveTreeItem(item, web.id)).tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes(`Image: \`${info.Config.Image}\``), tooltip);
    assert.ok(tooltip.includes("Command: `sh -c 'mkdir -p /www && echo berth > /www/index.html && exec httpd -f -p 80 -h /www'`"), tooltip);
    assert.match(tooltip, /State: running — Up /);
  });

  it('ages a running container\'s status with no engine event touching it', async function () {
    // The status advances past the first minute, which takes a minute of real time.
    this.timeout(300_000);
    const { api } = berth;
    api.containers.setTickInterval(2_000);
    const c = await createIdleContainer(docker);
    const name = (await c.inspect()).Name.slice(1);
    await waitFor('the running row', () => api.containers.record(c.id)?.state === 'running');
    const fresh = await waitFor('the row drawn', async () => {
      const r = await shownRow(api, c.id, name);
      return r && /^Up less than a minute · /.test(r.description) ? r : undefined;
    });
    await screenshot('row-aging-fresh');

    // From here on nothing from the engine may change this container's record.
    const touched: string[] = [];
    const watch = api.session.containers.onDidChange((ch) => [...ch.added, ...ch.updated, ...ch.removed].includes(c.id) && touched.push(JSON.stringify(ch)));
    const refreshed: unknown[] = [];
    let wholeTree = 0;
    const fired = api.containers.onDidChangeTreeData((e) => {
      if (e === undefined) wholeTree++;
      else if (e === c.id || (Array.isArray(e) && e.includes(c.id))) refreshed.push(e);
    });
    try {
      const seen = new Set<string>([fresh.description]);
      const aged = await waitFor(
        'the row to read "Up about a minute"',
        async () => {
          const r = await shownRow(api, c.id, name);
          if (r) seen.add(r.description);
          return r?.description.startsWith('Up about a minute · ') ? r : undefined;
        },
        150_000,
        250,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; the row read: ${[...seen].join(' | ')}; record changes: ${touched.join(' ')}; refreshes: ${refreshed.length}`);
      });
      assert.deepEqual(touched, [], 'no engine event or resync changed the record');
      // The minute tick fires only this row; on a busy engine another container's arrival may
      // redraw the whole tree first, which re-renders the row just the same.
      assert.ok(refreshed.length > 0 || wholeTree > 0, 'the row was re-rendered');
      assert.equal(api.containers.getTreeItem(c.id).description, aged.description);
      await screenshot('row-aging-about-a-minute');
    } finally {
      watch.dispose();
      fired.dispose();
    }
  });
});

describe('Image row text', function () {
  const berth = useBerthInWorkbench();

  after(() => berth.api.images.setTickInterval(10_000));

  it('ages an image row ("now" → "N seconds ago") with no engine event touching it', async function () {
    this.timeout(120_000);
    const { api } = berth;
    const tag = `aging${uniqueName('t').replace(/[^a-z0-9]/g, '')}`;
    const ref = `berth-test/aging:${tag}`;
    await buildImage(docker, `FROM ${BASE_IMAGE}\nLABEL berth.aging=${tag}\n`, ref);
    const key = `tag:${ref}`;
    await waitFor('the image row', () => api.images.row(key));
    const imageId = api.images.row(key)!.image.id;
    api.images.setTickInterval(1_000);
    const shown = async () => {
      const r = await readRow(tag);
      if (!r) await api.imagesView.reveal(key, { select: false, focus: false, expand: true }).then(undefined, () => undefined);
      return r?.description;
    };
    const first = await waitFor('the row drawn', shown);
    const touched: string[] = [];
    const watch = api.session.images.onDidChange((ch) => [...ch.added, ...ch.updated, ...ch.removed].includes(imageId) && touched.push(JSON.stringify(ch)));
    try {
      // "now", then "N seconds ago" counting up: the text moves on by itself.
      const age = (d: string) => d.split(' · ')[1] ?? '';
      const seen = new Set([first]);
      const later = await waitFor(
        'a later age',
        async () => {
          const d = await shown();
          if (d) seen.add(d);
          return d && /^\d+ seconds ago$/.test(age(d)) && age(d) !== age(first) ? d : undefined;
        },
        60_000,
        250,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; the row read: ${[...seen].join(' | ')}`);
      });
      assert.deepEqual(touched, [], 'no engine event or resync changed the image');
      // The row's own text now: the same, or a second or more older (the clock went on since the page was read).
      const now = String(api.images.getTreeItem(key).description);
      const seconds = (d: string) => Number(/^(\d+) seconds ago$/.exec(age(d))?.[1] ?? NaN);
      assert.ok(now.split(' · ')[0] === later.split(' · ')[0] && seconds(now) >= seconds(later), `${now} after ${later}`);
      await screenshot('image-row-aging');
    } finally {
      watch.dispose();
    }
  });
});
