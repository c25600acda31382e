import { errorFromBody } from './tryton-errors';

describe('errorFromBody', () => {
  it('types user errors with their message and description', () => {
    const error = errorFromBody('model.party.party.create', [
      'UserError',
      ['The code on party must be unique.', 'Use another code.'],
    ]);
    expect(error.kind).toBe('user-error');
    expect(error.message).toBe(
      'model.party.party.create: UserError: The code on party must be unique. — Use another code.',
    );
  });

  it('keeps the warning name of a UserWarning for confirmation', () => {
    const error = errorFromBody('model.stock.move.do', [
      'UserWarning',
      ['move_no_origin_1', 'Moves have no origin.', ''],
    ]);
    expect(error.kind).toBe('user-warning');
    expect(error.warningName).toBe('move_no_origin_1');
    expect(error.message).toContain('Moves have no origin.');
  });

  it('treats an unknown exception as a server fault', () => {
    expect(errorFromBody('x', ['KeyError: foo', 'Traceback ...']).kind).toBe('server');
    expect(
      errorFromBody('x', ['ConcurrencyException', ['Records were modified in the meanwhile']]).kind,
    ).toBe('concurrency');
  });
});
