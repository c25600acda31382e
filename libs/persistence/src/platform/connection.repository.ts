import type { Exclusive } from '../unit-of-work';
import type { DataSource } from 'typeorm';
import { ConnectionEntity } from '../entities';

export interface NewConnection {
  kind: string;
  name: string;
  /** Stored as given: secret fields must already be encrypted by the caller. */
  config: Record<string, unknown>;
  enabled?: boolean;
}

export class ConnectionRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Where writes outside a transaction go (UnitOfWork.exclusive: SQLite's single connection). */
    private readonly exclusive: Exclusive = (work) => work(),
  ) {}

  private get repo() {
    return this.dataSource.getRepository(ConnectionEntity);
  }

  async create(connection: NewConnection): Promise<ConnectionEntity> {
    return this.exclusive(() =>
      this.repo.save(this.repo.create({ ...connection, enabled: connection.enabled ?? true })),
    );
  }

  findById(id: number): Promise<ConnectionEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<ConnectionEntity | null> {
    return this.repo.findOneBy({ name });
  }

  list(): Promise<ConnectionEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  async update(
    id: number,
    changes: Partial<Pick<ConnectionEntity, 'config' | 'enabled' | 'kind'>>,
  ): Promise<ConnectionEntity> {
    return this.exclusive(async () => {
      const existing = await this.repo.findOneBy({ id });
      if (!existing) throw new Error(`connection ${id} does not exist`);
      return this.repo.save(this.repo.merge(existing, changes));
    });
  }
}
