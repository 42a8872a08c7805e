// Update…: a container's restart policy and memory and CPU limits changed in place (POST
// /containers/{id}/update), with before and after shown, and the engine's refusals in words.
import * as vscode from 'vscode';
import type { ContainerLimits } from '../../contract/lifecycle';
import type { ContainerRecord } from '../../contract/records';
import { cpusProblem, limitsChange, memoryArg, memoryProblem, memoryRefusal, parseRestart, restartText, type LimitProblem, type LimitsChange } from '../../model/lifecycle/limits';
import type { EngineSession } from '../../session/engineSession';
import { sizeText } from '../../ui/locale';
import { inputStep, pickStep } from '../../ui/multiStep';
import { confirm } from '../../ui/progress';
import { lifecycleOf } from './networkCreate';
import { runMaybeSteps } from './steps';

function limitText(p: LimitProblem): string {
  switch (p.kind) {
    case 'memoryText':
      return vscode.l10n.t('{0} is not a memory size: write a number and a unit, such as 512m or 1.5g.', p.value);
    case 'memoryTooSmall':
      return vscode.l10n.t('The engine takes no memory limit below {0}.', sizeText(p.min));
    case 'memoryBelowUsage':
      return vscode.l10n.t('{0} is below what the container uses now ({1}): the kernel would refuse it. Give more, or free memory in the container first.', sizeText(p.limit), sizeText(p.usage));
    case 'cpusText':
      return vscode.l10n.t('{0} is not a number of CPUs, such as 0.5 or 2.', p.value);
    case 'cpusRange':
      return vscode.l10n.t('CPUs go from 0.01 to {0}, the engine’s number of CPUs.', p.max);
    case 'restartText':
      return vscode.l10n.t('{0} is not a restart policy: no, always, unless-stopped, on-failure or on-failure:N.', p.value);
    case 'autoRemove':
      return vscode.l10n.t('A container removed when it stops (--rm) cannot take a restart policy.');
  }
}

const memoryText = (bytes: number) => (bytes > 0 ? sizeText(bytes) : vscode.l10n.t('no limit'));
const cpusText = (nano: number) => (nano > 0 ? String(nano / 1e9) : vscode.l10n.t('no limit'));

function summary(before: ContainerLimits, change: LimitsChange): string[] {
  const lines: string[] = [];
  if (change.restart) lines.push(vscode.l10n.t('Restart policy: {0} → {1}', restartText(before.restart), restartText(change.restart)));
  if (change.memory !== undefined) lines.push(vscode.l10n.t('Memory: {0} → {1}', memoryText(before.memory), memoryText(change.memory)));
  if (change.nanoCpus !== undefined) lines.push(vscode.l10n.t('CPUs: {0} → {1}', cpusText(before.nanoCpus), cpusText(change.nanoCpus)));
  return lines;
}

/** Every problem of typed values (a script's, or the wizard's last check against fresh figures). */
function problems(before: ContainerLimits, typed: { restart?: string; memory?: string; cpus?: string }): string[] {
  const out: LimitProblem[] = [];
  if (typed.restart) {
    const r = parseRestart(typed.restart);
    if (!r) out.push({ kind: 'restartText', value: typed.restart });
    else if (before.autoRemove && r.name !== 'no') out.push({ kind: 'autoRemove' });
  }
  const m = memoryProblem(typed.memory ?? '', before.memoryUsage);
  if (m) out.push(m);
  const c = cpusProblem(typed.cpus ?? '', before.hostCpus);
  if (c) out.push(c);
  return out.map(limitText);
}

/** Updates one container; resolves the lines saying what changed (undefined: cancelled or nothing to change). */
export async function update(session: EngineSession, c: ContainerRecord, options: Record<string, unknown> = {}): Promise<string[] | undefined> {
  const l = lifecycleOf(session);
  const before = await l.limits(c.id);
  const text = (k: string) => (typeof options[k] === 'string' || typeof options[k] === 'number' ? String(options[k]).trim() : undefined);
  const typed: { restart?: string; memory?: string; cpus?: string } = { restart: text('restart'), memory: text('memory'), cpus: text('cpus') };
  const scripted = Object.values(typed).some((v) => v !== undefined);
  if (!scripted) {
    typed.restart = restartText(before.restart);
    typed.memory = before.memory ? memoryArg(before.memory) : '';
    typed.cpus = before.nanoCpus ? String(before.nanoCpus / 1e9) : '';
    const policies = ['no', 'always', 'unless-stopped', 'on-failure'];
    const ok = await runMaybeSteps(vscode.l10n.t('Update {0}', c.name), [
      {
        when: () => !before.autoRemove,
        step: pickStep({
          placeholder: vscode.l10n.t('Restart policy (now: {0})', restartText(before.restart)),
          items: () => policies.map((p) => ({ label: p, description: p === before.restart.name ? vscode.l10n.t('current') : undefined, value: p })),
          active: () => before.restart.name,
          accept: (v) => (typed.restart = v === before.restart.name ? restartText(before.restart) : v),
        }),
      },
      {
        step: inputStep({
          value: () => typed.memory ?? '',
          prompt: () =>
            before.memoryUsage !== undefined
              ? vscode.l10n.t('Memory limit, such as 512m or 1g (now: {0}; in use: {1}). Empty keeps it.', memoryText(before.memory), sizeText(before.memoryUsage))
              : vscode.l10n.t('Memory limit, such as 512m or 1g (now: {0}). Empty keeps it.', memoryText(before.memory)),
          validate: (v) => { const p = memoryProblem(v, before.memoryUsage); return p && limitText(p); },
          accept: (v) => (typed.memory = v.trim()),
        }),
      },
      {
        step: inputStep({
          value: () => typed.cpus ?? '',
          prompt: () => vscode.l10n.t('CPUs, such as 0.5 or 2 (now: {0}; the engine has {1}). Empty keeps it.', cpusText(before.nanoCpus), before.hostCpus),
          validate: (v) => { const p = cpusProblem(v, before.hostCpus); return p && limitText(p); },
          accept: (v) => (typed.cpus = v.trim()),
        }),
      },
    ]);
    if (!ok) return undefined;
  }
  // Checked again against figures read now: usage moves while the user types.
  const now = scripted ? before : await l.limits(c.id);
  const found = problems(now, typed);
  if (found.length) throw new Error(found.join(' '));
  const change = limitsChange(now, typed);
  const lines = summary(now, change);
  if (!lines.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to change: {0} already has these settings.', c.name));
    return undefined;
  }
  if (!scripted && !(await confirm(vscode.l10n.t('Update {0}?', c.name), lines.join('\n'), vscode.l10n.t('Update')))) return undefined;
  try {
    await vscode.window.withProgress({ location: { viewId: 'berth.containers' }, title: vscode.l10n.t('Updating {0}…', c.name) }, () => l.update(c.id, change));
  } catch (err) {
    const refused = memoryRefusal((err as Error).message);
    if (refused) throw new Error(limitText({ kind: 'memoryBelowUsage', limit: refused.limit, usage: refused.usage }));
    if (/swap/i.test((err as Error).message) && /limit/i.test((err as Error).message))
      throw new Error(vscode.l10n.t('The engine refused the memory limit: {0}. This kernel may not account for swap; give memory without swap, or enable swap accounting.', (err as Error).message));
    throw err;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} updated. {1}', c.name, lines.join('; ')));
  return lines;
}
