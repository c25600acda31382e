export { TrytonConnector } from './tryton.connector';
export { TrytonConnectorModule } from './tryton.module';
export { TrytonConfig } from './tryton.config';
export { TRYTON_MANIFEST } from './manifest';
export { TrytonRpcClient, type TrytonClientOptions } from './tryton-rpc.client';
export { TrytonError, type TrytonErrorKind } from './tryton-errors';
export {
  TrytonDecimal,
  TrytonDate,
  TrytonDateTime,
  TrytonTimeDelta,
  decodeTryton,
  encodeTryton,
} from './tryton-values';
export { referenceFor } from './tryton-actions';
