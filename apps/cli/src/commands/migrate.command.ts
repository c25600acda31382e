import { Command, CommandRunner } from 'nest-commander';
import { openPersistence, runMigrations } from '@crossdock/persistence';
import { CoreContext } from '../core-context';

@Command({ name: 'migrate', description: 'Apply pending database migrations (DATABASE_URL, or the embedded SQLite file)' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly core: CoreContext) {
    super();
  }

  async run(): Promise<void> {
    const { database } = this.core.config();
    const persistence = await openPersistence({
      ...(database.kind === 'mysql' ? { url: database.url } : { sqliteFile: database.path }),
      migrate: false,
    });
    try {
      const applied = await runMigrations(persistence.dataSource);
      console.log(applied.length ? `applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'database is up to date');
      console.log(`database: ${database.kind === 'mysql' ? database.url.replace(/\/\/[^@]*@/, '//***@') : database.path}`);
    } finally {
      await persistence.close();
    }
  }
}
