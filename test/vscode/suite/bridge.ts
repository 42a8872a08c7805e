// Client side of the launcher's bridge: screenshots and reads of the workbench page.
export interface Pane {
  title: string;
  text: string;
  expanded: boolean;
}

export const hasWorkbenchBridge = !!process.env.BERTH_BRIDGE;

async function call<T>(route: string, body: unknown = {}): Promise<T> {
  const base = process.env.BERTH_BRIDGE;
  if (!base) throw new Error('BERTH_BRIDGE is not set: workbench checks need the web launcher (npm run test:vscode)');
  const res = await fetch(`${base}${route}`, { method: 'POST', headers: { authorization: `Bearer ${process.env.BERTH_BRIDGE_TOKEN}` }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`bridge ${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const screenshot = (name: string, selector?: string) => call<{ file: string }>('/screenshot', { name, selector });
export const setSideBarWidth = (width: number) => call<number>('/sideBarWidth', { width });
export const sideBar = () => call<Pane[]>('/sidebar');
export const evalInPage = <T>(expression: string) => call<T>('/eval', { expression });
/** Evaluates in a webview's page (a nested frame), the one whose document title is `title`. */
export const evalInWebview = <T>(title: string, expression: string) => call<T>('/webviewEval', { title, expression });
/** Clicks the first element matching `selector` (containing `text`), left or right button. */
export const click = (selector: string, opts: { text?: string; button?: 'left' | 'right'; modifiers?: ('Control' | 'Shift' | 'Alt' | 'Meta')[] } = {}) => call<null>('/click', { selector, ...opts });
/** Drags the n-th element matching `selector` (a sash between panes) by `dy` pixels. */
export const drag = (selector: string, index: number, dy: number) => call<null>('/drag', { selector, index, dy });
/** Types text, then presses keys (Playwright names: 'Enter', 'Control+C'). */
export const keys = (type: string, ...press: string[]) => call<null>('/keys', { type, press });
/** Pastes text into the focused field: one input event, as a user's paste. */
export const paste = (text: string) => call<null>('/keys', { paste: text });
/** Kills or starts the launcher's second engine (BERTH_EMPTY_ENGINE); resolves when done. */
export const emptyEngine = (action: 'kill' | 'start') => call<{ at: number }>('/engine', { action });
/** Kills the Swarm test engine's manager (BERTH_SWARM_ENGINE) and starts it again; resolves once it answers. */
export const restartSwarmManager = () => call<{ at: number }>('/swarmEngine', { action: 'restart' });

/** Every message in the notification centre (toasts are held back in the test workbench). */
export async function notifications(): Promise<string[]> {
  return evalInPage<string[]>("[...document.querySelectorAll('.notifications-center .notification-list-item-message')].map((e) => e.innerText)");
}

/** Polls the page until the pane titled `title` satisfies `check`, or fails with what it showed. */
export async function waitForPane(title: RegExp, check: (text: string) => boolean, timeoutMs = 10_000): Promise<Pane> {
  const deadline = Date.now() + timeoutMs;
  let last: Pane[] = [];
  while (Date.now() < deadline) {
    last = await sideBar();
    const pane = last.find((p) => title.test(p.title));
    if (pane && check(pane.text)) return pane;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`pane ${title} never showed what was expected; the side bar showed:\n${JSON.stringify(last, null, 1)}`);
}
