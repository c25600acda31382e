import { SecretCipher, redact } from '@crossdock/config';
import type { ConnectorManifest } from './connector.contract';

/** Binds an envelope to its connector kind and field, so it cannot be replayed into another field. */
function contextOf(kind: string, field: string): string {
  return `connector:${kind}:${field}`;
}

/** Encrypts every set secret field for storage; already sealed values are kept as they are. */
export function sealSecrets<C extends object>(
  manifest: ConnectorManifest<C>,
  config: C,
  cipher: SecretCipher,
): C {
  const sealed = { ...config } as Record<string, unknown>;
  for (const field of manifest.secretFields) {
    const value = sealed[field];
    if (value === undefined || value === null || SecretCipher.isEnvelope(value)) continue;
    if (typeof value !== 'string')
      throw new Error(`Secret field ${field} of ${manifest.kind} must be a string to be sealed`);
    sealed[field] = cipher.encrypt(value, contextOf(manifest.kind, field));
  }
  return sealed as C;
}

/** Decrypts the sealed secret fields of a stored config; errors name the field, never the value. */
export function openSecrets<C extends object>(
  manifest: ConnectorManifest<C>,
  stored: C,
  cipher: SecretCipher,
): C {
  const opened = { ...stored } as Record<string, unknown>;
  for (const field of manifest.secretFields) {
    const value = opened[field];
    if (!SecretCipher.isEnvelope(value)) continue;
    try {
      opened[field] = cipher.decrypt(value, contextOf(manifest.kind, field));
    } catch (error) {
      throw new Error(
        `Cannot open secret field ${field} of a ${manifest.kind} connection: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return opened as C;
}

/** The config as it may appear in logs and API responses. */
export function redactConnectorConfig<C extends object>(manifest: ConnectorManifest<C>, config: C): C {
  return redact(config, manifest.secretFields);
}
