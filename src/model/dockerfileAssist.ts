// Berth's adapter over dockerfile-language-service: completion of instructions, flags and their
// values, hover with the instruction's reference, signature help and formatting, in LSP types.
// Its validator is left off (Berth's checks carry BuildKit's names), and its Docker Hub tag lookup
// is never reached: after FROM the images come from the engine.
import { DockerfileLanguageServiceFactory, type FormatterSettings } from 'dockerfile-language-service';
import type { CompletionItem, Hover, Position, Range, SignatureHelp, TextEdit } from 'vscode-languageserver-types';

let service: ReturnType<typeof DockerfileLanguageServiceFactory.createLanguageService> | undefined;

function languageService() {
  if (!service) {
    service = DockerfileLanguageServiceFactory.createLanguageService();
    service.setCapabilities({
      completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], deprecatedSupport: true } },
      hover: { contentFormat: ['markdown', 'plaintext'] },
    });
  }
  return service;
}

/** True when the cursor is in a FROM image's tag or digest, where the library would ask Docker Hub. */
function inFromImageTag(text: string, at: Position): boolean {
  const line = text.split(/\r?\n/)[at.line] ?? '';
  return /^\s*from\s+(?:--\S+\s+)*[^\s-]\S*[:@]\S*$/i.test(line.slice(0, at.character));
}

/** Instructions, flags and flag values the library proposes at a position (none inside a FROM image's tag). */
export function dockerfileCompletions(text: string, at: Position): CompletionItem[] {
  if (inFromImageTag(text, at)) return [];
  const items = languageService().computeCompletionItems(text, at);
  return Array.isArray(items) ? items : [];
}

export function dockerfileHover(text: string, at: Position): Hover | undefined {
  return languageService().computeHover(text, at) ?? undefined;
}

export function dockerfileSignatureHelp(text: string, at: Position): SignatureHelp | undefined {
  const help = languageService().computeSignatureHelp(text, at);
  return help && help.signatures.length ? help : undefined;
}

export type DockerfileFormatting = Pick<FormatterSettings, 'insertSpaces' | 'tabSize'> & { ignoreMultilineInstructions?: boolean };

/** Edits that format the whole Dockerfile, or only the lines a range touches. */
export function formatDockerfile(text: string, options: DockerfileFormatting, range?: Range): TextEdit[] {
  return range ? languageService().formatRange(text, range, options) : languageService().format(text, options);
}
