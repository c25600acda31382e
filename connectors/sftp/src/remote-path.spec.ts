import { joinInside, joinLocalInside, unsafeNameIssue } from './remote-path';

describe('remote names and paths', () => {
  it.each([
    ['ORDERS_20261122.edi', null],
    ['.hidden.edi', null],
    ['..', 'sftp.path-traversal'],
    ['.', 'sftp.path-traversal'],
    ['a/b.edi', 'sftp.path-traversal'],
    ['..\\up.edi', 'sftp.path-traversal'],
    ['bell\u0007.edi', 'sftp.control-character'],
    ['line\nbreak.edi', 'sftp.control-character'],
    ['c1\u009b.edi', 'sftp.control-character'],
    ['', 'sftp.empty-name'],
  ])('judges %j', (name, code) => {
    const issue = unsafeNameIssue(name, '/inbound');
    expect(issue?.code ?? null).toBe(code);
    if (issue) expect(issue.place.source).toMatch(/^\/inbound\//);
  });

  it('names the bad file with control characters escaped, so logs stay one line', () => {
    expect(unsafeNameIssue('x\ny', '/in')?.place.source).toBe('/in/x\\ny');
  });

  it('keeps joined paths inside their base', () => {
    expect(joinInside('/inbound', 'sub', 'a.edi')).toBe('/inbound/sub/a.edi');
    expect(() => joinInside('/inbound', '..', 'etc', 'passwd')).toThrow(/leaves \/inbound/);
    expect(() => joinInside('/inbound', 'a/../../outbound')).toThrow(/leaves/);
    expect(joinLocalInside('/var/archive', 'sha256/ab/cd')).toBe('/var/archive/sha256/ab/cd');
    expect(() => joinLocalInside('/var/archive', '../etc')).toThrow(/leaves/);
  });
});
