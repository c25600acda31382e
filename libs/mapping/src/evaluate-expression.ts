import type jsonata from 'jsonata';
import type { InputIssue, InputPlace } from '@crossdock/domain';

/**
 * Runs a mapping's compiled JSONata expression; an evaluation error becomes a `MAPPING_FAILED`
 * issue naming the mapping and the place, never an exception the caller has to catch.
 */
export async function evaluateExpression(
  expression: jsonata.Expression,
  input: unknown,
  mappingName: string,
  place: InputPlace,
): Promise<{ output: unknown } | { issue: InputIssue }> {
  try {
    return { output: await expression.evaluate(input) };
  } catch (error) {
    return {
      issue: {
        code: 'MAPPING_FAILED',
        message: `${mappingName}: ${(error as Error).message}`,
        place,
        severity: 'error',
      },
    };
  }
}
