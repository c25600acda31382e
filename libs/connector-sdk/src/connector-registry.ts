import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Connector } from './connector.decorator';
import type { ConnectorRuntime } from './connector.contract';

export class DuplicateConnectorKindError extends Error {
  constructor(kind: string, firstClass: string, secondClass: string) {
    super(
      `Connector kind "${kind}" is registered twice: by ${firstClass} and by ${secondClass}. Each kind must have exactly one runtime.`,
    );
    this.name = 'DuplicateConnectorKindError';
  }
}

export class UnknownConnectorKindError extends Error {
  constructor(kind: string, known: string[]) {
    super(
      `No connector runtime for kind "${kind}". Registered kinds: ${known.length ? known.join(', ') : '(none)'}.`,
    );
    this.name = 'UnknownConnectorKindError';
  }
}

function isConnectorRuntime(value: unknown): value is ConnectorRuntime {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ConnectorRuntime>;
  return (
    typeof candidate.check === 'function' &&
    typeof candidate.manifest === 'object' &&
    candidate.manifest !== null &&
    typeof candidate.manifest.kind === 'string' &&
    candidate.manifest.kind.length > 0
  );
}

/** Every connector runtime of the application, found through `@Connector()` when modules initialise. */
@Injectable()
export class ConnectorRegistry implements OnModuleInit {
  private readonly runtimes = new Map<string, ConnectorRuntime>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.runtimes.clear();
    const owners = new Map<string, string>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: Connector.KEY })) {
      const instance: unknown = wrapper.instance;
      const className = wrapper.metatype?.name ?? String(wrapper.name);
      if (!wrapper.isDependencyTreeStatic()) {
        throw new Error(
          `${className} is marked @Connector() but is request- or transient-scoped; connector runtimes must be singletons`,
        );
      }
      if (!isConnectorRuntime(instance)) {
        throw new Error(
          `${className} is marked @Connector() but does not implement ConnectorRuntime (manifest with a kind, check())`,
        );
      }
      const kind = instance.manifest.kind;
      const firstOwner = owners.get(kind);
      if (firstOwner !== undefined) throw new DuplicateConnectorKindError(kind, firstOwner, className);
      owners.set(kind, className);
      this.runtimes.set(kind, instance);
    }
  }

  get(kind: string): ConnectorRuntime {
    const runtime = this.runtimes.get(kind);
    if (!runtime) throw new UnknownConnectorKindError(kind, this.kinds());
    return runtime;
  }

  has(kind: string): boolean {
    return this.runtimes.has(kind);
  }

  kinds(): string[] {
    return [...this.runtimes.keys()].sort();
  }

  list(): ConnectorRuntime[] {
    return this.kinds().map((kind) => this.get(kind));
  }
}
