import type { Type } from '@nestjs/common';
import { FileCsvConnectorModule } from '@crossdock/connectors/file-csv';

/** Every connector the project ships; a deployment may pass its own list to CoreModule. */
export const CONNECTOR_MODULES: Type[] = [FileCsvConnectorModule];
