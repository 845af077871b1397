// Node's file errors read "ENOENT: no such file or directory, open 'x'": the code and the path are
// noise to a user who just typed the path. Every place that tells a user a file could not be read
// (the CLI, the log readers the viewer uses) says it in these words.

const PLAIN: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error (disk or network failure)',
  EBUSY: 'the file is busy',
};

/** Why a file could not be read, in plain words: "no such file", "permission denied", ... */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && PLAIN[code]) return PLAIN[code];
  const message = error instanceof Error ? error.message : String(error);
  // "EXDEV: cross-device link not permitted, open 'x'" -> "cross-device link not permitted"
  return message.replace(/^[A-Z][A-Z0-9_]+: /, '').replace(/, \w+ '.*'$/, '');
}

/** "cannot read audit-policy.yaml: no such file"; `reason` is an error or its fileErrorReason. */
export function cannotRead(path: string, reason: unknown): string {
  return `cannot read ${path}: ${typeof reason === 'string' ? reason : fileErrorReason(reason)}`;
}
