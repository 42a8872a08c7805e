// The export as one multi-document YAML text: what was not carried over at the top as comments,
// then one document per object. Written by the yaml library as YAML 1.1, the dialect kubectl reads,
// so a value such as "yes", "on" or "0755" stays a quoted string.
import { Document } from 'yaml';
import { englishNote, type Note } from './notes';
import type { KubeExport } from './manifests';
import { KUBERNETES_VERSION, type ExportInput } from './workload';

export interface DocumentTexts {
  /** The header's first lines (what was exported, the API version, how to apply). */
  header(input: ExportInput, kubernetesVersion: string): string[];
  /** The line above the list of notes. */
  notesTitle(): string;
  /** Said when nothing had to be left out or changed. */
  nothingLost(): string;
  note(n: Note): string;
}

export const ENGLISH_TEXTS: DocumentTexts = {
  header: (input, version) => [`Kubernetes manifests for ${input.title}, made by Berth (Kubernetes ${version} API).`, 'Review, then apply with: kubectl apply -f <this file>'],
  notesTitle: () => 'Not carried over, or changed on the way:',
  nothingLost: () => 'Everything was carried over.',
  note: englishNote,
};

const comment = (lines: readonly string[]) => lines.map((l) => (l ? ` ${l}` : '')).join('\n');

/** Comment lines fit a narrow editor: a long note goes on over indented lines, broken at spaces. */
export function wrapLine(text: string, width = 96, indent = '  '): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out;
}

export function renderDocument(input: ExportInput, exported: KubeExport, texts: DocumentTexts = ENGLISH_TEXTS): string {
  const header = [...texts.header(input, KUBERNETES_VERSION), ''];
  if (exported.notes.length) header.push(texts.notesTitle(), ...exported.notes.flatMap((n) => wrapLine(`- ${texts.note(n)}`)));
  else header.push(texts.nothingLost());
  return exported.manifests
    .map((m, i) => {
      const doc = new Document(m.object, { version: '1.1', aliasDuplicateObjects: false });
      // The first object sits right under the header's list: its own notes would say the same twice.
      const own = i === 0 ? m.notes.filter((n) => !exported.notes.includes(n)) : m.notes;
      const lines = [...(i === 0 ? header : []), ...own.flatMap((n) => wrapLine(texts.note(n)))];
      if (lines.length) doc.commentBefore = comment(lines);
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
