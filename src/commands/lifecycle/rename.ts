// Rename…: a container's new name, checked against Docker's name rules and the names in use. The
// row keeps its place (its key is the id); log terminals follow the new name (terminals/).
import * as vscode from 'vscode';
import type { ContainerRecord } from '../../contract/records';
import { objectNameProblem } from '../../model/lifecycle/names';
import type { EngineSession } from '../../session/engineSession';
import { inputStep } from '../../ui/multiStep';
import { lifecycleOf } from './networkCreate';
import { runMaybeSteps } from './steps';
import { nameText } from './text';

export async function rename(session: EngineSession, c: ContainerRecord, options: Record<string, unknown> = {}): Promise<string | undefined> {
  const l = lifecycleOf(session);
  const others = () => session.containers.all().filter((x) => x.id !== c.id).map((x) => x.name);
  const problem = (v: string) => {
    if (v === c.name) return vscode.l10n.t('That is its name already.');
    const p = objectNameProblem(v, others());
    return p && nameText(p, 'container', v);
  };
  let name = typeof options.name === 'string' ? options.name.trim() : undefined;
  if (name !== undefined) {
    const p = problem(name);
    if (p) throw new Error(p);
  } else {
    let typed = c.name;
    const ok = await runMaybeSteps(vscode.l10n.t('Rename {0}', c.name), [{ step: inputStep({ value: () => typed, prompt: () => vscode.l10n.t('New name for {0}', c.name), validate: (v) => problem(v.trim()), accept: (v) => (typed = v.trim()) }) }]);
    if (!ok) return undefined;
    name = typed;
  }
  const to = name;
  await vscode.window.withProgress({ location: { viewId: 'berth.containers' }, title: vscode.l10n.t('Renaming {0} to {1}…', c.name, to) }, () => l.rename(c.id, to));
  return to;
}
