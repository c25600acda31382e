import {
  type DirectoryLister,
  type ListedFile,
  listFiles,
  selectCandidates,
  selectionRules,
} from './file-selection';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const file = (relativePath: string, size = 100, ageMs = 60_000): ListedFile => ({
  path: `/in/${relativePath}`,
  relativePath,
  name: relativePath.split('/').pop() as string,
  size,
  mtimeMs: NOW - ageMs,
});
const names = (files: ListedFile[]) => files.map((f) => f.relativePath);

describe('selectCandidates', () => {
  it('ignores temp patterns by default', () => {
    const files = ['a.edi', 'b.tmp', 'c.part', 'd.filepart', '.~e.edi', 'sub/f.part'].map((n) => file(n));
    expect(names(selectCandidates(files, selectionRules({ directory: '/in' }), NOW))).toEqual(['a.edi']);
  });

  it('applies include and exclude globs to base names and paths', () => {
    const files = ['a.edi', 'b.csv', 'sub/c.edi', 'sub/skip-d.edi', 'other/e.edi'].map((n) => file(n));
    const rules = selectionRules({
      directory: '/in',
      include: ['*.edi'],
      exclude: ['skip-*', 'other/**'],
      sortBy: 'name',
    });
    expect(names(selectCandidates(files, rules, NOW))).toEqual(['a.edi', 'sub/c.edi']);
  });

  it('needs the done-file when configured and never takes the done-file itself', () => {
    const files = [file('a.edi'), file('a.edi.ok'), file('b.edi')];
    expect(
      names(selectCandidates(files, selectionRules({ directory: '/in', doneFileSuffix: '.ok' }), NOW)),
    ).toEqual(['a.edi']);
  });

  it('skips files below the minimum length or age', () => {
    const files = [file('small.edi', 3), file('young.edi', 100, 1000), file('ok.edi', 100, 10_000)];
    const rules = selectionRules({ directory: '/in', minLength: 10, minAgeMs: 5000 });
    expect(names(selectCandidates(files, rules, NOW))).toEqual(['ok.edi']);
  });

  it('sorts by mtime (oldest first) or name and caps the batch', () => {
    const files = [file('c.edi', 1, 10), file('a.edi', 1, 30), file('b.edi', 1, 20)];
    expect(names(selectCandidates(files, selectionRules({ directory: '/in' }), NOW))).toEqual([
      'a.edi',
      'b.edi',
      'c.edi',
    ]);
    expect(
      names(
        selectCandidates(
          files,
          selectionRules({ directory: '/in', sortBy: 'mtime', maxFilesPerPoll: 2 }),
          NOW,
        ),
      ),
    ).toEqual(['a.edi', 'b.edi']);
    expect(
      names(
        selectCandidates(
          files,
          selectionRules({ directory: '/in', sortBy: 'name', maxFilesPerPoll: 1 }),
          NOW,
        ),
      ),
    ).toEqual(['a.edi']);
  });
});

describe('listFiles', () => {
  const tree: Record<
    string,
    { name: string; kind: 'file' | 'directory' | 'other'; size: number; mtimeMs: number }[]
  > = {
    '/in': [
      { name: 'a.edi', kind: 'file', size: 1, mtimeMs: 1 },
      { name: 'sub', kind: 'directory', size: 0, mtimeMs: 1 },
      { name: 'archive', kind: 'directory', size: 0, mtimeMs: 1 },
      { name: 'link', kind: 'other', size: 0, mtimeMs: 1 },
      { name: 'bad\u001bname.edi', kind: 'file', size: 1, mtimeMs: 1 },
    ],
    '/in/sub': [
      { name: 'b.edi', kind: 'file', size: 1, mtimeMs: 1 },
      { name: 'deeper', kind: 'directory', size: 0, mtimeMs: 1 },
    ],
    '/in/sub/deeper': [{ name: 'c.edi', kind: 'file', size: 1, mtimeMs: 1 }],
    '/in/archive': [{ name: 'old.edi', kind: 'file', size: 1, mtimeMs: 1 }],
  };
  const lister: DirectoryLister = { list: async (directory) => tree[directory] ?? [] };

  it('walks to the depth limit, skips the archive folder and reports unsafe names', async () => {
    const shallow = await listFiles(lister, '/in', {
      recursive: true,
      maxDepth: 1,
      skipDirectories: ['/in/archive'],
    });
    expect(names(shallow.files)).toEqual(['a.edi', 'sub/b.edi']);
    expect(shallow.issues).toEqual([expect.objectContaining({ code: 'sftp.control-character' })]);
    const deep = await listFiles(lister, '/in', {
      recursive: true,
      maxDepth: 5,
      skipDirectories: ['/in/archive'],
    });
    expect(names(deep.files)).toEqual(['a.edi', 'sub/b.edi', 'sub/deeper/c.edi']);
    const flat = await listFiles(lister, '/in', { recursive: false, maxDepth: 0, skipDirectories: [] });
    expect(names(flat.files)).toEqual(['a.edi']);
  });
});
