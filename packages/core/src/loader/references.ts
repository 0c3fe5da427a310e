/**
 * The files a config names, found and read under the loader's access rules (`config/files.ts`):
 * a relative path from the file that names it, or a file of an installed package by its name.
 * A refusal becomes a diagnostic at the line that names the file; the refused file is never
 * parsed, so nothing of it reaches a message.
 */

import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../base/diagnostics.js';
import {
  checkFile,
  type FileAccess,
  type FileRead,
  type FileRefusal,
  packageFile,
  readConfinedFile,
} from '../base/files.js';
import type { Locale, MessageId } from '../config/messages.js';
import { makeDiagnostic, type Position } from '../config/yaml-source.js';

/** A file named by `target` in `from`, with the access rules that apply to it. */
interface Reference {
  path: string;
  access: FileAccess;
}

/**
 * Where `target`, written in `from`, points: beside `from` when that file exists (or the target
 * is a path), else inside the installed package the target names.
 */
export function referenceOf(target: string, from: string, access: FileAccess): Reference {
  const path = resolve(dirname(from), target);
  const local: Reference = { path, access };
  if (checkFile(path, access).ok) return local;
  const pkg = packageFile(target, from);
  if (!pkg) return local;
  return { path: pkg.path, access: { ...access, roots: [...access.roots, pkg.root] } };
}

/** Reads the file `target` names in `from`. */
export function readReference(target: string, from: string, access: FileAccess): FileRead {
  const ref = referenceOf(target, from, access);
  return readConfinedFile(ref.path, ref.access);
}

/** Checks, without reading, the file `target` names in `from`. */
export function checkReference(target: string, from: string, access: FileAccess): FileRead {
  const ref = referenceOf(target, from, access);
  return checkFile(ref.path, ref.access);
}

const MESSAGE: Record<Exclude<FileRefusal, 'missing'>, MessageId> = {
  outside: 'fileOutside',
  'not-regular': 'fileNotRegular',
  'too-large': 'fileTooLarge',
  unreadable: 'fileUnreadable',
};

/** The diagnostic of a refused file (undefined for a missing one: each caller says what was missing). */
export function refusalDiagnostic(
  read: FileRead,
  target: string,
  access: FileAccess,
  locale: Locale,
  at: Position,
): Diagnostic | undefined {
  if (read.ok || read.reason === 'missing') return undefined;
  return makeDiagnostic(
    MESSAGE[read.reason],
    locale,
    { target, roots: access.roots.join(', '), limit: access.maxBytes },
    at,
  );
}
