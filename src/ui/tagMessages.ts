// Tag grammar problems in words a user can act on.
import * as vscode from 'vscode';
import { checkPullReference, checkTag, type ReferenceError } from '../model/imageReference';

export function tagProblemText(e: ReferenceError): string {
  switch (e.problem) {
    case 'empty':
      return vscode.l10n.t('Enter a tag, such as myapp:latest.');
    case 'digest':
      return vscode.l10n.t('A build tag cannot have a digest ({0}): use name:tag.', e.part);
    case 'uppercase':
      return vscode.l10n.t('Repository names must be lowercase: “{0}”. Try “{1}”.', e.part, e.part.toLowerCase());
    case 'pathComponent':
      return vscode.l10n.t('“{0}” is not a valid repository name: use lowercase letters and digits, joined by . _ __ or -, and not at the start or end.', e.part);
    case 'emptyComponent':
      return vscode.l10n.t('“{0}” has an empty part between slashes.', e.part);
    case 'host':
      return vscode.l10n.t('“{0}” is not a valid registry host: use letters, digits and -, separated by dots, with an optional :port.', e.part);
    case 'port':
      return vscode.l10n.t('The registry port “{0}” must be a number.', e.part);
    case 'tag':
      if (!e.part) return vscode.l10n.t('Nothing follows the colon: write a tag after it, such as myapp:latest, or leave the colon out.');
      return vscode.l10n.t('The tag “{0}” is not valid: use letters, digits, _ . and -, and do not start with . or -.', e.part);
    case 'tagTooLong':
      return vscode.l10n.t('The tag is {0} characters long; Docker allows 128.', e.part.length);
    case 'nameTooLong':
      return vscode.l10n.t('The repository name is {0} characters long; Docker allows 255.', e.part.length);
    case 'badDigest':
      return vscode.l10n.t('“{0}” is not a valid digest: write sha256: followed by 64 hexadecimal digits.', e.part);
    case 'tagWithAllTags':
      return vscode.l10n.t('All tags pulls every tag of a repository: leave out “:{0}”.', e.part);
  }
}

/** For the Pull box: a reference may carry a digest there, except when every tag is pulled. */
export function validatePullInput(value: string, allTags: boolean): string | undefined {
  const problem = checkPullReference(value, allTags);
  if (!problem) return undefined;
  if (problem.problem === 'empty') return vscode.l10n.t('Enter an image reference, such as busybox:latest or registry.example.com:5000/team/app:1.');
  if (problem.problem === 'digest') return vscode.l10n.t('All tags pulls every tag of a repository: leave out the digest “{0}”.', problem.part);
  return tagProblemText(problem);
}

/** For InputBox.validateInput: undefined when the tag is valid. */
export function validateTagInput(value: string): string | undefined {
  const problem = checkTag(value);
  return problem && tagProblemText(problem);
}
