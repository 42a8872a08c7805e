// Commit to Image…: repository and tag (the build's reference checker), author, message, and
// Dockerfile-style changes checked line by line; the container is paused while committing, as
// docker commit does by default, and Berth says so. The new image shows at once.
import * as vscode from 'vscode';
import type { ContainerRecord } from '../../contract/records';
import { changeProblem, COMMIT_INSTRUCTIONS, type ChangeProblem } from '../../model/lifecycle/commitChanges';
import { normalizeTag, parseReference } from '../../model/imageReference';
import type { EngineSession } from '../../session/engineSession';
import { inputStep, listStep, pickStep } from '../../ui/multiStep';
import { validateTagInput } from '../../ui/tagMessages';
import { lifecycleOf } from './networkCreate';
import { runMaybeSteps } from './steps';

function changeText(p: ChangeProblem): string {
  switch (p.kind) {
    case 'instruction':
      return vscode.l10n.t('“{0}”: {1} cannot be changed by a commit; use one of {2}.', p.line, p.word, COMMIT_INSTRUCTIONS.join(', '));
    case 'noArgument':
      return vscode.l10n.t('“{0}”: {1} needs a value.', p.line, p.word);
    case 'json':
      return vscode.l10n.t('“{0}”: the JSON form is a list of strings, such as ["sh", "-c", "echo hi"].', p.line);
    case 'pair':
      return vscode.l10n.t('“{0}”: {1} is not name=value.', p.line, p.item);
    case 'port':
      return vscode.l10n.t('“{0}”: {1} is not a port, such as 8080 or 53/udp.', p.line, p.item);
  }
}

const problemOf = (line: string) => {
  const p = changeProblem(line);
  return p && changeText(p);
};

/** Commits a container; resolves the new image's id (undefined when cancelled). */
export async function commit(session: EngineSession, c: ContainerRecord, options: Record<string, unknown> = {}): Promise<string | undefined> {
  const l = lifecycleOf(session);
  const text = (k: string) => (typeof options[k] === 'string' ? (options[k] as string).trim() : undefined);
  let tag = text('tag') ?? '';
  let author = text('author') ?? '';
  let message = text('message') ?? '';
  let changes: string[] = Array.isArray(options.changes) ? (options.changes as unknown[]).map(String) : [];
  let pause = options.pause !== false;
  const scripted = text('tag') !== undefined;
  if (scripted) {
    const problems = [validateTagInput(tag), ...changes.map(problemOf)].filter((p): p is string => !!p);
    if (problems.length) throw new Error(problems.join(' '));
  } else {
    tag = `${c.name.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}:snapshot`;
    const ok = await runMaybeSteps(vscode.l10n.t('Commit {0} to an image', c.name), [
      { step: inputStep({ value: () => tag, prompt: () => vscode.l10n.t('Repository and tag of the new image'), validate: (v) => validateTagInput(v.trim()), accept: (v) => (tag = v.trim()) }) },
      { step: inputStep({ value: () => author, prompt: () => vscode.l10n.t('Author (optional), such as Jane Doe <jane@example.com>'), accept: (v) => (author = v.trim()) }) },
      { step: inputStep({ value: () => message, prompt: () => vscode.l10n.t('Message (optional): what this image holds'), accept: (v) => (message = v.trim()) }) },
      {
        step: listStep({
          placeholder: vscode.l10n.t('Changes to the image’s config, as Dockerfile lines (optional)'),
          entries: () => changes,
          addLabel: vscode.l10n.t('Add a change…'),
          addPrompt: vscode.l10n.t('A Dockerfile line: {0}', COMMIT_INSTRUCTIONS.join(', ')),
          validate: (v) => (v.trim() ? problemOf(v) : undefined),
          add: (v) => (changes = [...changes, v]),
          remove: (e) => (changes = changes.filter((x) => x !== e)),
        }),
      },
      {
        when: () => c.state === 'running',
        step: pickStep({
          placeholder: vscode.l10n.t('{0} is running: pause it while committing?', c.name),
          items: () => [
            { label: vscode.l10n.t('Pause while committing'), detail: vscode.l10n.t('As docker commit does: no file changes half-way through. It resumes right after.'), value: true },
            { label: vscode.l10n.t('Do not pause'), detail: vscode.l10n.t('It keeps serving, but a file being written may be caught half-written.'), value: false },
          ],
          active: () => pause,
          accept: (v) => (pause = v),
        }),
      },
    ]);
    if (!ok) return undefined;
  }
  const full = normalizeTag(tag);
  const { repository, tag: tagPart } = parseReference(full);
  const paused = pause && c.state === 'running';
  const title = paused ? vscode.l10n.t('Committing {0} as {1} (paused while it runs)…', c.name, full) : vscode.l10n.t('Committing {0} as {1}…', c.name, full);
  const id = await vscode.window.withProgress({ location: { viewId: 'berth.containers' }, title }, () =>
    l.commit(c.id, { repo: repository, tag: tagPart, author: author || undefined, message: message || undefined, changes, pause }),
  );
  await session.recheckImage(id);
  void vscode.window.showInformationMessage(paused ? vscode.l10n.t('Committed {0} as {1}; it was paused while committing and runs again.', c.name, full) : vscode.l10n.t('Committed {0} as {1}.', c.name, full));
  return id;
}
