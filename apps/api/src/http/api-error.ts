import type { InputIssue } from '@crossdock/domain';

/** The one shape every error response has, whatever raised it. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level problems (validation, mapping, config), each naming its place. */
  issues: InputIssue[];
  path: string;
  timestamp: string;
}
