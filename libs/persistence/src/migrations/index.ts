import { CreateCanonicalTables1795305600000 } from './1795305600000-CreateCanonicalTables';
import { CreatePlatformTables1795305600001 } from './1795305600001-CreatePlatformTables';
import { CreateDemandHistory1795305600002 } from './1795305600002-CreateDemandHistory';
import { CreateTransportClaim1795305600100 } from '../transport/1795305600100-CreateTransportClaim';

/** Every migration, oldest first. A new migration is a new file plus one line here. */
export const MIGRATIONS = [
  CreateCanonicalTables1795305600000,
  CreatePlatformTables1795305600001,
  CreateDemandHistory1795305600002,
  CreateTransportClaim1795305600100,
];
