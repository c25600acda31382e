import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The project root, found by walking up from this file: the same answer whether the code runs from
 * `src` (tests, ts transpile-on-require) or from `dist` (built apps).
 */
export function projectRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'mappings'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root (a folder with package.json and mappings/) above ${start}`);
    dir = parent;
  }
}

/** Mappings are data read at run time from the source tree, never compiled into dist. */
export function mappingsRoot(): string {
  return path.join(projectRoot(), 'mappings');
}
