import { CreateTransportClaim1795305600100 } from './1795305600100-CreateTransportClaim';
import { TransportClaimEntity } from './transport-claim.entity';

export * from './transport-claim.entity';
export * from './transport-claim.repository';
export { CreateTransportClaim1795305600100 } from './1795305600100-CreateTransportClaim';

/** For `DatabaseSettings.extraEntities` / `extraMigrations` (or the global lists). */
export const TRANSPORT_ENTITIES = [TransportClaimEntity];
export const TRANSPORT_MIGRATIONS = [CreateTransportClaim1795305600100];
