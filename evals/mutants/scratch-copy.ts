/**
 * A scratch copy of the repository to break on purpose: the files git knows (tracked, and new
 * files not ignored) copied from the working tree, node_modules symlinked.
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

export const makeScratchCopy = (root: string, prefix = "kavak-mutant-"): ScratchCopy => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const path of repositoryFiles(root)) {
    if (path.startsWith("node_modules/")) continue;
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
