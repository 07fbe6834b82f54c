/**
 * A scratch copy of the repository to break on purpose: the files git knows (tracked, and new
 * files not ignored) copied from the working tree, node_modules symlinked. With a `base` revision
 * the copy is that commit's tree instead, plus the working tree's version of the `overlay` paths
 * (files, or folders ending in "/"): a stable copy while others edit the shared working tree.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface ScratchCopy {
  readonly dir: string;
  /** Rewrites one file of the copy (path relative to the repository root). */
  readonly write: (path: string, text: string) => void;
  readonly read: (path: string) => string;
  readonly remove: () => void;
}

export const repositoryFiles = (root: string): string[] =>
  execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
    .toString("utf8")
    .split("\0")
    .filter((path) => path !== "" && existsSync(join(root, path)));

export interface CopySource {
  /** A git revision whose tree is copied instead of the working tree. */
  readonly base?: string;
  /** With `base`: paths (files, or folders ending in "/") taken from the working tree on top. */
  readonly overlay?: ReadonlyArray<string>;
}

export const makeScratchCopy = (root: string, prefix = "kavak-mutant-", source: CopySource = {}): ScratchCopy => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (source.base !== undefined) execFileSync("sh", ["-c", `git archive --format=tar "$1" | tar -x -C "$2"`, "sh", source.base, dir], { cwd: root });
  const overlay = source.overlay ?? [];
  const wanted = (path: string) => source.base === undefined || overlay.some((o) => (o.endsWith("/") ? path.startsWith(o) : path === o));
  for (const path of repositoryFiles(root)) {
    if (path.startsWith("node_modules/") || !wanted(path)) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(join(root, path), join(dir, path));
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return {
    dir,
    write: (path, text) => writeFileSync(join(dir, path), text),
    read: (path) => readFileSync(join(dir, path), "utf8"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};
