import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, oidcSettings } from './config';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', banner: 'none' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\/\.whereabouts$/);
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://app:pw@db:5432/whereabouts',
      WHEREABOUTS_DATA_DIR: '/var/lib/whereabouts',
      LOG_LEVEL: 'warn',
      WHEREABOUTS_BANNER: 'us-government',
      WHEREABOUTS_JOBS: 'off',
      WHEREABOUTS_SWEEP_SCHEDULE: '30 1 * * 1-5',
      WHEREABOUTS_RELINK_SCHEDULE: '0 4 1 * *',
      WHEREABOUTS_TIME_ZONE: 'America/Los_Angeles',
    });
    expect(config).toEqual({
      banner: 'us-government',
      jobs: 'off',
      sweepSchedule: '30 1 * * 1-5',
      relinkSchedule: '0 4 1 * *',
      timeZone: 'America/Los_Angeles',
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://app:pw@db:5432/whereabouts',
      dataDir: '/var/lib/whereabouts',
      logLevel: 'warn',
      oidcScopes: 'openid profile email',
      oidcUsernameClaim: 'preferred_username',
      oidcRoleClaim: 'roles',
      oidcOfficeClaim: 'field_office',
    });
  });

  it('refuses a schedule that is not five cron fields and a time zone that does not exist, naming the variable', () => {
    expect(() => loadConfig({ WHEREABOUTS_SWEEP_SCHEDULE: 'nightly' })).toThrow(
      'WHEREABOUTS_SWEEP_SCHEDULE="nightly" is not valid: expected a cron expression of five fields',
    );
    expect(() => loadConfig({ WHEREABOUTS_TIME_ZONE: 'Mars/Olympus_Mons' })).toThrow(
      'WHEREABOUTS_TIME_ZONE="Mars/Olympus_Mons" is not valid: expected an IANA time zone',
    );
    expect(() => loadConfig({ WHEREABOUTS_JOBS: 'maybe' })).toThrow('WHEREABOUTS_JOBS="maybe" is not valid');
  });

  it('reads an identity provider’s settings, or none, and refuses half of them', () => {
    expect(oidcSettings(loadConfig({}))).toBeUndefined();
    const complete = {
      OIDC_ISSUER: 'https://login.agency.example/realms/ice',
      OIDC_CLIENT_ID: 'whereabouts',
      OIDC_CLIENT_SECRET: 'shh',
      OIDC_REDIRECT_URI: 'https://whereabouts.agency.example/api/v1/session/oidc/callback',
      OIDC_ROLE_MAP: 'ICE-JUV-HOU = ice_juvenile_coordinator, ORR-CM=orr_case_manager',
    };
    expect(oidcSettings(loadConfig(complete))).toMatchObject({
      issuer: 'https://login.agency.example/realms/ice',
      roleMap: { 'ICE-JUV-HOU': 'ice_juvenile_coordinator', 'ORR-CM': 'orr_case_manager' },
      roleClaim: 'roles',
    });
    expect(() => oidcSettings(loadConfig({ ...complete, OIDC_CLIENT_SECRET: '' }))).toThrow(
      /OIDC_CLIENT_SECRET=\(hidden\) is not valid: required when any OIDC_ setting is given/,
    );
    expect(() => loadConfig({ ...complete, OIDC_ROLE_MAP: 'ICE=superuser' })).toThrow(
      /OIDC_ROLE_MAP="ICE=superuser" is not valid: expected agency-group=role pairs/,
    );
  });

  it('takes a demo password of at least 12 characters, and refuses a shorter one', () => {
    expect(loadConfig({ WHEREABOUTS_DEMO_PASSWORD: 'twelve chars' }).demoPassword).toBe('twelve chars');
    expect(() => loadConfig({ WHEREABOUTS_DEMO_PASSWORD: 'short' })).toThrow(
      'WHEREABOUTS_DEMO_PASSWORD=(hidden) is not valid: expected at least 12 characters',
    );
  });

  it.each([
    ['PORT', 'abc', 'PORT="abc" is not valid: expected a whole number from 1 to 65535'],
    ['PORT', '70000', 'PORT="70000" is not valid: expected a whole number from 1 to 65535'],
    ['PORT', '0', 'PORT="0" is not valid: expected a whole number from 1 to 65535'],
    [
      'HOST',
      'local host',
      'HOST="local host" is not valid: expected a host name or IP address, such as 127.0.0.1',
    ],
    [
      'DATABASE_URL',
      'mysql://root@db/app',
      'DATABASE_URL="mysql://root@db/app" is not valid: expected a PostgreSQL URL such as postgres://user:password@host:5432/whereabouts',
    ],
    ['WHEREABOUTS_BANNER', 'seal', 'WHEREABOUTS_BANNER="seal" is not valid: expected none or us-government'],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL="loud" is not valid: expected one of fatal, error, warn, info, debug, trace, silent',
    ],
  ])('names %s and what was expected when it is %j', (variable, value, message) => {
    const attempt = () => loadConfig({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('never repeats a password from a bad DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app:hunter2@db host/x' })).toThrow(
      'DATABASE_URL="postgres://app:***@db host/x" is not valid',
    );
  });
});
