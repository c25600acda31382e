import { describePlace, InputError } from './input-error';

describe('describePlace', () => {
  it('names file, line and column in order', () => {
    expect(describePlace({ source: 'items.csv', line: 17, column: 'unit_cost' })).toBe(
      'items.csv, line 17, column unit_cost',
    );
  });

  it('joins every issue of an InputError into its message', () => {
    const error = new InputError([
      { code: 'NOT_A_NUMBER', message: 'quantity is not a number', place: { source: 'a.csv', line: 2 }, severity: 'error' },
      { code: 'MISSING', message: 'sku is required', place: { source: 'a.csv', line: 3 }, severity: 'error' },
    ]);
    expect(error.message).toBe('a.csv, line 2: quantity is not a number [NOT_A_NUMBER]\na.csv, line 3: sku is required [MISSING]');
  });
});
