// Log terminals: one container's logs, or a whole Compose project's merged with coloured service
// names. Closing the terminal closes the streams on the engine.
import * as vscode from 'vscode';
import type { EngineClient, EventSubscription } from '../contract/client';
import { LogFollower, type FollowMessages, type FollowOptions } from '../model/logFollower';

export function followMessages(): FollowMessages {
  const time = (d: Date | undefined) => (d ? d.toLocaleTimeString(vscode.env.language, { hour12: false }) : '?');
  return {
    exited: (code, at) => vscode.l10n.t('— container exited (code {0}) at {1} —', code, time(at)),
    removed: () => vscode.l10n.t('— container removed —'),
    failed: (m) => vscode.l10n.t('— cannot read the logs: {0} —', m),
    lost: (m) => vscode.l10n.t('— lost the connection to the engine ({0}); resuming when it answers —', m),
    restarted: (at) => vscode.l10n.t('— container restarted at {0} —', time(at)),
  };
}

class LogPty implements vscode.Pseudoterminal {
  readonly writer = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writer.event;
  /** The terminal's name follows the container's (Rename…). */
  readonly naming = new vscode.EventEmitter<string>();
  readonly onDidChangeName = this.naming.event;
  private readonly pending: string[] = [];
  private opened = false;

  constructor(
    private readonly onOpen: () => void,
    private readonly onClose: () => void,
  ) {}

  write(text: string): void {
    if (this.opened) this.writer.fire(text);
    else this.pending.push(text);
  }

  open(): void {
    this.opened = true;
    for (const t of this.pending.splice(0)) this.writer.fire(t);
    this.onOpen();
  }

  close(): void {
    this.onClose();
    this.writer.dispose();
    this.naming.dispose();
  }
}

/** A terminal whose engine streams can be stopped with a last line, when Berth switches engines. */
export interface StreamTerminal {
  terminal: vscode.Terminal;
  stop(message: string): void;
  /** The one container it follows, whose new name it takes (project terminals follow none). */
  container?: { id: string; name: string; rename(name: string): void };
}

export function engineSwitchedMessage(): string {
  return vscode.l10n.t('— Berth switched to another engine: this stream is closed —');
}

export function openLogTerminal(client: EngineClient, id: string, name: string, opts: FollowOptions): StreamTerminal {
  let follower: LogFollower | undefined;
  const pty: LogPty = new LogPty(
    () => {
      follower = new LogFollower(client, id, opts, (t) => pty.write(t), followMessages());
      void follower.start();
    },
    () => follower?.close(),
  );
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Logs: {0}', name), pty, iconPath: new vscode.ThemeIcon('output') });
  const container = {
    id,
    name,
    rename(to: string) {
      container.name = to;
      pty.naming.fire(vscode.l10n.t('Logs: {0}', to));
    },
  };
  return {
    terminal,
    container,
    stop: (message) => {
      follower?.close();
      pty.write(`\x1b[2m${message}\x1b[0m\r\n`);
    },
  };
}

const COLOURS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];

/**
 * A stable colour per service name, so "web" is the same colour every time; when two services of
 * one project hash alike, the later one takes the next free colour so they stay apart.
 */
export function serviceColour(service: string, taken: ReadonlySet<number> = new Set()): number {
  let h = 0;
  for (const ch of service) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  for (let i = 0; i < COLOURS.length; i++) {
    const c = COLOURS[(h + i) % COLOURS.length];
    if (!taken.has(c)) return c;
  }
  return COLOURS[h % COLOURS.length];
}

export interface ProjectMember {
  id: string;
  service: string;
}

/** Every service of a Compose project in one terminal; containers that appear later join in. */
export function openProjectLogTerminal(
  client: EngineClient,
  project: string,
  members: () => ProjectMember[],
  opts: Omit<FollowOptions, 'prefix'>,
  /** One service of the project only (its replicas). */
  service?: string,
): StreamTerminal {
  const followers = new Map<string, LogFollower>();
  const colours = new Map<string, number>();
  const colourOf = (service: string) => {
    let c = colours.get(service);
    if (c === undefined) colours.set(service, (c = serviceColour(service, new Set(colours.values()))));
    return c;
  };
  let watch: EventSubscription | undefined;
  let closed = false;
  const width = () => Math.max(...members().map((m) => m.service.length), 4);
  const follow = (m: ProjectMember) => {
    if (followers.has(m.id) || closed) return;
    const prefix = `\x1b[${colourOf(m.service)}m${m.service.padEnd(width())} |\x1b[0m `;
    const f = new LogFollower(client, m.id, { ...opts, prefix }, (t) => pty.write(t), followMessages());
    followers.set(m.id, f);
    void f.start();
  };
  const stopAll = () => {
    closed = true;
    watch?.close();
    for (const f of followers.values()) f.close();
  };
  // The watch for new members dies with the engine (killed, restarted): it is opened again, and
  // whoever joined meanwhile is picked up from the store, once the engine answers.
  const watchMembers = () => {
    if (closed) return;
    for (const m of members()) follow(m);
    client
      .events(
        undefined,
        (e) => {
          const service = e.attributes['com.docker.compose.service'];
          if (service && (e.action === 'create' || e.action === 'start')) follow({ id: e.id, service });
        },
        { type: ['container'], label: [`com.docker.compose.project=${project}`, ...(service ? [`com.docker.compose.service=${service}`] : [])], event: ['create', 'start'] },
      )
      .then((sub) => {
        if (closed) return sub.close();
        watch = sub;
        void sub.ended.then(() => {
          if (watch !== sub || closed) return;
          watch = undefined;
          setTimeout(watchMembers, 500);
        });
      })
      .catch(() => setTimeout(watchMembers, 1000));
  };
  const pty: LogPty = new LogPty(watchMembers, stopAll);
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Logs: {0}', service ? `${project} › ${service}` : project), pty, iconPath: new vscode.ThemeIcon('layers') });
  return {
    terminal,
    stop: (message) => {
      stopAll();
      pty.write(`\x1b[2m${message}\x1b[0m\r\n`);
    },
  };
}
