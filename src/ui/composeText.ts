// Compose problems in the user's language: the model gives codes and parameters, never sentences.
import * as vscode from 'vscode';
import type { ComposeProblem } from '../model/compose/problems';

const list = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : String(v ?? ''));

export function composeProblemText(p: ComposeProblem): string {
  const a = p.params;
  switch (p.code) {
    case 'folderMissing':
      return vscode.l10n.t('The project folder {0} no longer exists.', String(a.folder));
    case 'noComposeFile':
      return vscode.l10n.t('No compose file in {0}.', String(a.folder));
    case 'fileMissing':
      return vscode.l10n.t('The compose file {0} does not exist.', String(a.file));
    case 'yamlSyntax':
      return vscode.l10n.t('This is not valid YAML ({0}).', String(a.yamlCode));
    case 'aliasExpansion':
      return vscode.l10n.t('The alias *{0} and those inside it expand to more than {1} values: Berth stops reading this file here.', String(a.alias), String(a.limit));
    case 'notMapping':
      return vscode.l10n.t('A compose file must be a mapping of keys such as services.');
    case 'unknownKey':
      return vscode.l10n.t('Unknown key {0} (not in the Compose Specification).', String(a.key));
    case 'type':
      return vscode.l10n.t('Wrong type: expected {0}.', list(a.expected));
    case 'enum':
      return vscode.l10n.t('Not an allowed value: use one of {0}.', list(a.allowed));
    case 'required':
      return vscode.l10n.t('The key {0} is required here.', String(a.key));
    case 'badName':
      return vscode.l10n.t('Compose does not accept the name {0}.', String(a.name));
    case 'schema':
      return vscode.l10n.t('Not valid for the Compose Specification ({0}).', String(a.keyword));
    case 'variableRequired':
      // The file's own message usually names the variable already ("API_IMAGE must be set").
      if (a.message && String(a.message).includes(String(a.variable))) return vscode.l10n.t('Required variable not set: {0}', String(a.message));
      return a.message
        ? vscode.l10n.t('The variable {0} must be set: {1}', String(a.variable), String(a.message))
        : vscode.l10n.t('The variable {0} must be set.', String(a.variable));
    case 'badInterpolation':
      return vscode.l10n.t('Invalid interpolation {0}.', String(a.text));
    case 'envFileSyntax':
      return vscode.l10n.t('Compose cannot read this .env line: {0}', String(a.text));
    case 'projectNameEmpty':
      return vscode.l10n.t('The project name would be empty: set name: or COMPOSE_PROJECT_NAME.');
    case 'projectNameInvalid':
      return vscode.l10n.t('{0} is not a valid project name (lowercase letters, digits, dashes and underscores).', String(a.name));
    case 'portSyntax':
      return vscode.l10n.t('Cannot read the port {0}: {1}', String(a.port), String(a.problem));
    case 'replicaCount':
      return vscode.l10n.t('Enter a whole number from {0} to {1}.', String(a.min), String(a.max));
  }
}

/** Problems as diagnostics, grouped by file (problems without a file are left to the view). */
export function composeDiagnostics(problems: readonly ComposeProblem[]): Map<string, vscode.Diagnostic[]> {
  const out = new Map<string, vscode.Diagnostic[]>();
  for (const p of problems) {
    if (!p.file) continue;
    // The model counts from 1, as editors show; VS Code's positions count from 0.
    const start = new vscode.Position(Math.max(0, (p.start?.line ?? 1) - 1), Math.max(0, (p.start?.column ?? 1) - 1));
    const end = p.end ? new vscode.Position(Math.max(0, p.end.line - 1), Math.max(0, p.end.column - 1)) : start;
    const d = new vscode.Diagnostic(new vscode.Range(start, end.isAfter(start) ? end : start.translate(0, 1)), composeProblemText(p), vscode.DiagnosticSeverity.Error);
    d.source = 'Berth Compose';
    d.code = p.code;
    out.set(p.file, [...(out.get(p.file) ?? []), d]);
  }
  return out;
}
