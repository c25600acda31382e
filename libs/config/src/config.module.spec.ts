import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, ConfigModule } from './config.module';
import type { AppConfig } from './load-config';
import { SecretCipher } from './secret-cipher';

describe('ConfigModule.forRoot', () => {
  afterEach(() => jest.restoreAllMocks());

  it('provides the validated config and a cipher bound to its key', async () => {
    const key = 'ab'.repeat(32);
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ env: { PORT: '4000', CROSSDOCK_SECRET_KEY: key } })],
    }).compile();
    const config = moduleRef.get<AppConfig>(APP_CONFIG);
    expect(config.port).toBe(4000);
    const cipher = moduleRef.get(SecretCipher);
    const envelope = cipher.encrypt('pw');
    expect(new SecretCipher(config.secretKey).decrypt(envelope)).toBe('pw');
  });

  it('warns loudly when the development key is used', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    ConfigModule.forRoot({ env: {} });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^!!! CROSSDOCK_SECRET_KEY is not set/));
  });

  it('stops the module graph from being built on a bad environment', () => {
    expect(() => ConfigModule.forRoot({ env: { NODE_ENV: 'production', PORT: 'x' } })).toThrow(
      /CROSSDOCK_SECRET_KEY[\s\S]*PORT: PORT must be an integer/,
    );
  });
});
