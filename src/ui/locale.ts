// The user's language for numbers, sizes and plural forms (the pure logic is in model/).
import * as vscode from 'vscode';
import { formatSize } from '../model/format';
import { plural as choosePlural } from '../model/plural';

/** "1.99 MB", "1,99 Mo". */
export function sizeText(bytes: number): string {
  return formatSize(bytes, vscode.env.language);
}

/** The singular or the plural message for `count`, by the user's language's rules. */
export function plural(count: number, one: string, other: string): string {
  return choosePlural(count, vscode.env.language, one, other);
}
