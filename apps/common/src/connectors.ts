import { Inject, Injectable, Module, type Type } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crossdock/config';
import { Connector } from '@crossdock/connector-sdk';
import { ErpRestConnectorModule } from '@crossdock/connectors/erp-rest';
import { TrytonConnectorModule } from '@crossdock/connectors/erp-tryton';
import { FileCsvConnectorModule } from '@crossdock/connectors/file-csv';
import { ContentArchive, SftpTransport } from '@crossdock/connectors/sftp';
import { TransportClaimRepository, type Persistence, type Tx } from '@crossdock/persistence';
import { PERSISTENCE } from './tokens';

/**
 * The SFTP runtime with its collaborators from this deployment: the claim ledger in the canonical
 * database and the content-addressed archive under ARCHIVE_DIR.
 */
@Connector({ origin: 'connectors/sftp' })
@Injectable()
export class SftpConnector extends SftpTransport<Tx> {
  constructor(@Inject(PERSISTENCE) persistence: Persistence, @Inject(APP_CONFIG) config: AppConfig) {
    super({ ledger: new TransportClaimRepository(persistence.unitOfWork), archive: new ContentArchive(config.archiveDir) });
  }
}

@Module({ providers: [SftpConnector], exports: [SftpConnector] })
export class SftpConnectorModule {}

/** Every connector the project ships; a deployment may pass its own list to CoreModule. */
export const CONNECTOR_MODULES: Type[] = [FileCsvConnectorModule, SftpConnectorModule, ErpRestConnectorModule, TrytonConnectorModule];
