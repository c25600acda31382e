import { getMetadataStorage } from 'class-validator';
import type {
  ActionDescriptor,
  ConnectorManifest,
  EventDescriptor,
  StreamDescriptor,
} from './connector.contract';

export interface ConfigFieldDescription {
  name: string;
  /** class-validator rule names applied to the field (e.g. `isString`, `min`). */
  rules: string[];
  optional: boolean;
  secret: boolean;
}

export interface ManifestDescription {
  kind: string;
  version: string;
  displayName: string;
  configFields: ConfigFieldDescription[];
  streams: StreamDescriptor[];
  actions: ActionDescriptor[];
  events: EventDescriptor[];
}

/** A JSON-safe description of a connector for the API listing: no classes, secret fields marked. */
export function describeManifest<C extends object>(manifest: ConnectorManifest<C>): ManifestDescription {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(manifest.configClass, '', true, false);
  const fields = new Map<string, ConfigFieldDescription>();
  const secrets = new Set<string>(manifest.secretFields);
  for (const entry of metadata) {
    const field = fields.get(entry.propertyName) ?? {
      name: entry.propertyName,
      rules: [],
      optional: false,
      secret: secrets.has(entry.propertyName),
    };
    const rule = entry.name ?? entry.constraintCls?.name ?? entry.type;
    if (entry.type === 'conditionalValidation') field.optional = true;
    else if (!field.rules.includes(rule)) field.rules.push(rule);
    fields.set(entry.propertyName, field);
  }
  for (const secret of secrets) {
    if (!fields.has(secret)) fields.set(secret, { name: secret, rules: [], optional: true, secret: true });
  }
  return {
    kind: manifest.kind,
    version: manifest.version,
    displayName: manifest.displayName,
    configFields: [...fields.values()],
    streams: manifest.streams.map((stream) => ({ ...stream, produces: [...stream.produces] })),
    actions: manifest.actions.map((action) => ({ ...action })),
    events: manifest.events.map((event) => ({ ...event })),
  };
}
