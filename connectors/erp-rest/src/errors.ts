/** Why a call to the ERP failed, in words an operator can act on. */
export type ErpRestErrorKind =
  'unreachable' | 'auth' | 'rate-limited' | 'not-found' | 'rejected' | 'server' | 'bad-response';

export class ErpRestError extends Error {
  constructor(
    readonly kind: ErpRestErrorKind,
    message: string,
    readonly details: {
      status?: number;
      vendorCode?: string;
      url?: string;
      /** A write whose answer was lost: the ERP may or may not have applied it. */
      uncertain?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'ErpRestError';
  }
}
