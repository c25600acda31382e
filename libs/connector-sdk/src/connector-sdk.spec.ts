import { SecretCipher, SecretKey } from '@crossdock/config';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import {
  ConnectorRegistry,
  DuplicateConnectorKindError,
  UnknownConnectorKindError,
} from './connector-registry';
import { ConnectorSdkModule } from './connector-sdk.module';
import type { CheckResult, ConnectorManifest, ConnectorRuntime } from './connector.contract';
import { Connector } from './connector.decorator';
import { openSecrets, redactConnectorConfig, sealSecrets } from './connector-secrets';
import { describeManifest } from './describe-manifest';
import { validateConnectorConfig } from './validate-connector-config';

// A connector kind that exists only in this spec, to exercise the SDK without a real peer.
class RetryPolicyDto {
  @IsInt()
  @Min(1)
  attempts: number;
}

class EchoConfig {
  @IsString()
  @IsNotEmpty()
  host: string;

  @IsInt()
  @Min(1)
  @Max(65535)
  port: number;

  @IsString()
  @IsNotEmpty({ message: 'password must not be empty (got "$value")' })
  password: string;

  @IsOptional()
  @IsString()
  apiToken?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RetryPolicyDto)
  retry?: RetryPolicyDto;
}

const echoManifest: ConnectorManifest<EchoConfig> = {
  kind: 'test.echo',
  version: '0.0.1',
  displayName: 'Echo (test only)',
  configClass: EchoConfig,
  secretFields: ['password', 'apiToken'],
  streams: [{ name: 'items', description: 'Echoed items', cursor: 'full-refresh', produces: ['items'] }],
  actions: [{ name: 'echo', description: 'Echo a payload', idempotency: 'key stored as echo id' }],
  events: [],
};

@Connector()
@Injectable()
class EchoConnector implements ConnectorRuntime<EchoConfig> {
  readonly manifest = echoManifest;
  async check(config: EchoConfig): Promise<CheckResult> {
    return { ok: true, message: `echo at ${config.host}` };
  }
}

@Connector()
@Injectable()
class SecondEchoConnector implements ConnectorRuntime<EchoConfig> {
  readonly manifest = echoManifest;
  async check(): Promise<CheckResult> {
    return { ok: true, message: 'second' };
  }
}

@Connector()
@Injectable()
class NotAConnector {}

@Injectable()
class UnmarkedService {
  readonly manifest = { ...echoManifest, kind: 'test.unmarked' };
  async check(): Promise<CheckResult> {
    return { ok: true, message: 'never registered' };
  }
}

@Module({ providers: [EchoConnector, UnmarkedService] })
class EchoModule {}

@Module({ providers: [SecondEchoConnector] })
class SecondEchoModule {}

@Module({ providers: [NotAConnector] })
class BrokenModule {}

const validConfig = {
  host: 'echo.local',
  port: 8443,
  password: 'hunter2-very-secret',
  apiToken: 'tok-abcdef',
};

describe('ConnectorRegistry', () => {
  it('discovers @Connector() runtimes at boot and only those', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ConnectorSdkModule, EchoModule] }).compile();
    const app = await moduleRef.init();
    const registry = app.get(ConnectorRegistry);
    expect(registry.kinds()).toEqual(['test.echo']);
    expect(registry.get('test.echo')).toBeInstanceOf(EchoConnector);
    expect(registry.has('test.unmarked')).toBe(false);
    await expect(registry.get('test.echo').check(validConfig)).resolves.toEqual({
      ok: true,
      message: 'echo at echo.local',
    });
    await app.close();
  });

  it('answers an unknown kind with the kinds it knows', async () => {
    const app = await (
      await Test.createTestingModule({ imports: [ConnectorSdkModule, EchoModule] }).compile()
    ).init();
    const registry = app.get(ConnectorRegistry);
    expect(() => registry.get('erp.sap')).toThrow(UnknownConnectorKindError);
    expect(() => registry.get('erp.sap')).toThrow(
      'No connector runtime for kind "erp.sap". Registered kinds: test.echo.',
    );
    await app.close();
  });

  it('refuses to boot on a duplicate kind, naming both classes', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConnectorSdkModule, EchoModule, SecondEchoModule],
    }).compile();
    const boot = moduleRef.init();
    await expect(boot).rejects.toThrow(DuplicateConnectorKindError);
    await expect(boot).rejects.toThrow(
      /"test\.echo" is registered twice: by EchoConnector and by SecondEchoConnector/,
    );
  });

  it('refuses to boot when a marked class is not a runtime', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConnectorSdkModule, BrokenModule],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow(
      /NotAConnector is marked @Connector\(\) but does not implement ConnectorRuntime/,
    );
  });
});

describe('validateConnectorConfig', () => {
  it('returns the typed config when valid', () => {
    const result = validateConnectorConfig(echoManifest, { ...validConfig, retry: { attempts: 3 } });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.config).toBeInstanceOf(EchoConfig);
      expect(result.config.retry).toBeInstanceOf(RetryPolicyDto);
    }
  });

  it('names every bad field, refuses unknown ones and never echoes a secret', () => {
    const result = validateConnectorConfig(echoManifest, {
      host: '',
      port: 70000,
      password: 42,
      apiToken: 12345678,
      retry: { attempts: 0 },
      hots: 'typo.local',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.issues.map((issue) => issue.place.field);
    expect(new Set(fields)).toEqual(
      new Set(['host', 'port', 'password', 'apiToken', 'retry.attempts', 'hots']),
    );
    expect(result.issues.find((issue) => issue.place.field === 'hots')).toMatchObject({
      code: 'UNKNOWN_CONFIG_FIELD',
      message: 'property hots should not exist',
      place: { source: 'connector test.echo config' },
    });
    expect(result.issues.find((issue) => issue.place.field === 'port')?.message).toBe(
      'port must not be greater than 65535',
    );
    const text = JSON.stringify(result.issues);
    expect(text).not.toContain('12345678');
    expect(text).not.toContain('42');
    expect(result.issues.find((issue) => issue.place.field === 'password')?.message).toMatch(
      /value is not shown because it is secret/,
    );
  });

  it('does not echo a secret even through a message template', () => {
    const result = validateConnectorConfig(echoManifest, { ...validConfig, password: '' });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('got');
  });

  it('rejects a config that is not an object', () => {
    for (const raw of [null, 'host=x', [validConfig]]) {
      const result = validateConnectorConfig(echoManifest, raw, 'connections.yaml');
      expect(result).toEqual({
        ok: false,
        issues: [
          {
            code: 'CONFIG_NOT_OBJECT',
            message: 'connection config must be a JSON object',
            place: { source: 'connections.yaml' },
            severity: 'error',
          },
        ],
      });
    }
  });
});

describe('connector secrets', () => {
  const cipher = new SecretCipher(new SecretKey(Buffer.alloc(32, 3), 'environment'));

  it('seals only secret fields, opens them back, and does not seal twice', () => {
    const sealed = sealSecrets(echoManifest, validConfig, cipher);
    expect(sealed.host).toBe('echo.local');
    expect(sealed.password).toMatch(/^enc:v1:/);
    expect(sealed.apiToken).toMatch(/^enc:v1:/);
    expect(JSON.stringify(sealed)).not.toContain('hunter2');
    expect(sealSecrets(echoManifest, sealed, cipher)).toEqual(sealed);
    expect(openSecrets(echoManifest, sealed, cipher)).toEqual(validConfig);
  });

  it('leaves unset secrets unset', () => {
    const withoutToken = { host: 'h', port: 1, password: 'p' };
    const sealed = sealSecrets(echoManifest, withoutToken, cipher);
    expect('apiToken' in sealed).toBe(false);
    expect(openSecrets(echoManifest, sealed, cipher)).toEqual(withoutToken);
  });

  it('refuses an envelope moved to another field, naming the field only', () => {
    const sealed = sealSecrets(echoManifest, validConfig, cipher);
    const swapped = { ...sealed, apiToken: sealed.password };
    expect(() => openSecrets(echoManifest, swapped, cipher)).toThrow(
      /^Cannot open secret field apiToken of a test\.echo connection/,
    );
  });

  it('refuses another key with a message that leaks nothing', () => {
    const sealed = sealSecrets(echoManifest, validConfig, cipher);
    const other = new SecretCipher(new SecretKey(Buffer.alloc(32, 4), 'environment'));
    let message = '';
    try {
      openSecrets(echoManifest, sealed, other);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/another CROSSDOCK_SECRET_KEY/);
    expect(message).not.toContain(sealed.password);
    expect(message).not.toContain('hunter2');
  });

  it('redacts secrets for logs and responses', () => {
    expect(redactConnectorConfig(echoManifest, validConfig)).toEqual({
      host: 'echo.local',
      port: 8443,
      password: '[REDACTED]',
      apiToken: '[REDACTED]',
    });
  });
});

describe('describeManifest', () => {
  it('is JSON-safe and marks secret fields', () => {
    const description = describeManifest(echoManifest);
    expect(JSON.parse(JSON.stringify(description))).toEqual(description);
    expect(description).toMatchObject({
      kind: 'test.echo',
      version: '0.0.1',
      displayName: 'Echo (test only)',
    });
    const byName = Object.fromEntries(description.configFields.map((field) => [field.name, field]));
    expect(byName.password).toMatchObject({ secret: true, optional: false });
    expect(byName.apiToken).toMatchObject({ secret: true, optional: true });
    expect(byName.host).toMatchObject({ secret: false, optional: false });
    expect(byName.port.rules).toEqual(expect.arrayContaining(['isInt', 'min', 'max']));
    expect(description.streams).toEqual(echoManifest.streams);
    expect(description.streams[0]).not.toBe(echoManifest.streams[0]);
  });
});
