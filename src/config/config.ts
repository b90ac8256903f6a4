import path from 'node:path';
import { z } from 'zod';
import { ROLES, type Role } from '../auth/permissions';
import { AppError } from '../shared/errors';

/** The banner a deployment may show above the header; none by default. */
export const BANNERS = ['none', 'us-government'] as const;
export type Banner = (typeof BANNERS)[number];

const CRON = /^\S+(\s+\S+){4}$/;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** One typed view of the process environment; every setting an operator may change is declared here. */
export const Config = z.object({
  port: z.coerce
    .number({ error: 'expected a whole number from 1 to 65535' })
    .int('expected a whole number from 1 to 65535')
    .min(1, 'expected a whole number from 1 to 65535')
    .max(65535, 'expected a whole number from 1 to 65535')
    .default(3000)
    .describe('PORT: TCP port the HTTP server listens on'),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, 'expected a host name or IP address, such as 127.0.0.1')
    .default('127.0.0.1')
    .describe('HOST: interface the HTTP server binds to'),
  databaseUrl: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value), {
      message: 'expected a PostgreSQL URL such as postgres://user:password@host:5432/whereabouts',
    })
    .optional()
    .describe('DATABASE_URL: use this PostgreSQL server instead of the embedded database'),
  reportsDatabaseUrl: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value), {
      message: 'expected a PostgreSQL URL such as postgres://reader:password@replica:5432/whereabouts',
    })
    .optional()
    .describe(
      'WHEREABOUTS_REPORTS_DATABASE_URL: a read replica of DATABASE_URL that the dashboard and reports read their figures from',
    ),
  dataDir: z
    .string()
    .min(1, 'expected a directory path')
    .default('.whereabouts')
    .describe('WHEREABOUTS_DATA_DIR: where the embedded database and local state are kept'),
  demoPassword: z
    .string()
    .min(12, 'expected at least 12 characters')
    .optional()
    .describe(
      'WHEREABOUTS_DEMO_PASSWORD: password of the demo accounts (generated and printed once when unset)',
    ),
  logLevel: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info')
    .describe('LOG_LEVEL: how much the server logs'),
  oidcIssuer: z
    .url({
      error: 'expected the identity provider’s issuer URL, such as https://login.agency.gov/realms/ice',
    })
    .optional()
    .describe('OIDC_ISSUER: sign-in through this OpenID Connect provider (off when unset)'),
  oidcClientId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('OIDC_CLIENT_ID: this application’s client id'),
  oidcClientSecret: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe('OIDC_CLIENT_SECRET: its secret (sent as client_secret_post)'),
  oidcRedirectUri: z
    .url({ error: 'expected the public URL of /api/v1/session/oidc/callback' })
    .optional()
    .describe('OIDC_REDIRECT_URI: https://<this server>/api/v1/session/oidc/callback, as registered'),
  oidcScopes: z.string().default('openid profile email').describe('OIDC_SCOPES: scopes asked for'),
  oidcUsernameClaim: z
    .string()
    .default('preferred_username')
    .describe('OIDC_USERNAME_CLAIM: the claim that names the person'),
  oidcRoleClaim: z
    .string()
    .default('roles')
    .describe('OIDC_ROLE_CLAIM: the claim listing the person’s groups or roles at the agency'),
  oidcRoleMap: z
    .string()
    .regex(
      new RegExp(
        `^\\s*[^=,\\s]+\\s*=\\s*(${ROLES.join('|')})\\s*(,\\s*[^=,\\s]+\\s*=\\s*(${ROLES.join('|')})\\s*)*$`,
      ),
      `expected agency-group=role pairs separated by commas; roles: ${ROLES.join(', ')}`,
    )
    .optional()
    .describe(
      'OIDC_ROLE_MAP: which agency group gives which role, e.g. "ICE-JUV-HOU=ice_juvenile_coordinator"',
    ),
  oidcOfficeClaim: z
    .string()
    .default('field_office')
    .describe('OIDC_OFFICE_CLAIM: the claim holding the person’s field office code (HOU, ATL …)'),
  banner: z
    .enum(BANNERS, { error: 'expected none or us-government' })
    .default('none')
    .describe(
      'WHEREABOUTS_BANNER: none (default: an open-source product, no government banner), or us-government for the U.S. Web Design System "official website of the United States government" banner, for a federal deployment',
    ),
  jobs: z
    .enum(['on', 'off'], { error: 'expected on or off' })
    .default('on')
    .describe(
      'WHEREABOUTS_JOBS: whether `serve` also runs the scheduled background work (off on API processes when `whereabouts worker` runs it)',
    ),
  sweepSchedule: z
    .string()
    .regex(CRON, 'expected a cron expression of five fields, such as "0 2 * * *"')
    .default('0 2 * * *')
    .describe('WHEREABOUTS_SWEEP_SCHEDULE: when the full monitoring sweep runs (cron; 02:00 daily)'),
  relinkSchedule: z
    .string()
    .regex(CRON, 'expected a cron expression of five fields, such as "0 3 * * 0"')
    .default('0 3 * * 0')
    .describe(
      'WHEREABOUTS_RELINK_SCHEDULE: when the whole store is linked again with a fresh model (cron; 03:00 Sundays)',
    ),
  timeZone: z
    .string()
    .refine(isTimeZone, 'expected an IANA time zone such as America/New_York')
    .default('America/New_York')
    .describe('WHEREABOUTS_TIME_ZONE: the time zone of the schedules'),
});
export type Config = z.infer<typeof Config>;

/** Sign-in through an agency's OpenID Connect provider, when all of issuer, client and redirect are set. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string;
  usernameClaim: string;
  roleClaim: string;
  officeClaim: string;
  /** Agency group or role name → Whereabouts role. A person with none of them cannot sign in. */
  roleMap: Record<string, Role>;
}

export function oidcSettings(config: Config): OidcSettings | undefined {
  const required = {
    OIDC_ISSUER: config.oidcIssuer,
    OIDC_CLIENT_ID: config.oidcClientId,
    OIDC_CLIENT_SECRET: config.oidcClientSecret,
    OIDC_REDIRECT_URI: config.oidcRedirectUri,
    OIDC_ROLE_MAP: config.oidcRoleMap,
  };
  const missing = Object.entries(required).filter(([, value]) => !value);
  if (missing.length === Object.keys(required).length) return undefined;
  if (missing.length > 0) {
    const [name] = missing[0]!;
    throw new ConfigError(
      name,
      'required when any OIDC_ setting is given (sign-in through an identity provider)',
      undefined,
    );
  }
  return {
    issuer: config.oidcIssuer!,
    clientId: config.oidcClientId!,
    clientSecret: config.oidcClientSecret!,
    redirectUri: config.oidcRedirectUri!,
    scopes: config.oidcScopes,
    usernameClaim: config.oidcUsernameClaim,
    roleClaim: config.oidcRoleClaim,
    officeClaim: config.oidcOfficeClaim,
    roleMap: Object.fromEntries(
      config
        .oidcRoleMap!.split(',')
        .map((pair) => pair.split('=').map((part) => part.trim()) as [string, Role]),
    ),
  };
}

const ENVIRONMENT_NAMES: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  reportsDatabaseUrl: 'WHEREABOUTS_REPORTS_DATABASE_URL',
  dataDir: 'WHEREABOUTS_DATA_DIR',
  logLevel: 'LOG_LEVEL',
  demoPassword: 'WHEREABOUTS_DEMO_PASSWORD',
  oidcIssuer: 'OIDC_ISSUER',
  oidcClientId: 'OIDC_CLIENT_ID',
  oidcClientSecret: 'OIDC_CLIENT_SECRET',
  oidcRedirectUri: 'OIDC_REDIRECT_URI',
  oidcScopes: 'OIDC_SCOPES',
  oidcUsernameClaim: 'OIDC_USERNAME_CLAIM',
  oidcRoleClaim: 'OIDC_ROLE_CLAIM',
  oidcRoleMap: 'OIDC_ROLE_MAP',
  oidcOfficeClaim: 'OIDC_OFFICE_CLAIM',
  banner: 'WHEREABOUTS_BANNER',
  jobs: 'WHEREABOUTS_JOBS',
  sweepSchedule: 'WHEREABOUTS_SWEEP_SCHEDULE',
  relinkSchedule: 'WHEREABOUTS_RELINK_SCHEDULE',
  timeZone: 'WHEREABOUTS_TIME_ZONE',
};

export class ConfigError extends AppError {
  constructor(
    readonly variable: string,
    readonly expectation: string,
    received: string | undefined,
  ) {
    const shown = SECRET_VARIABLES.has(variable) ? '(hidden)' : JSON.stringify(hidePassword(received ?? ''));
    super('config_invalid', `${variable}=${shown} is not valid: ${expectation}`);
    this.name = 'ConfigError';
  }
}

const SECRET_VARIABLES = new Set(['WHEREABOUTS_DEMO_PASSWORD', 'OIDC_CLIENT_SECRET']);

/** A database URL may carry a password; it never goes into a message. */
function hidePassword(value: string): string {
  return value.replace(/\/\/([^:/@\s]*):[^@\s]*@/, '//$1:***@');
}

/** Reads configuration from an environment; empty strings count as unset. Throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string | undefined> = {};
  for (const [key, name] of Object.entries(ENVIRONMENT_NAMES)) {
    const value = env[name];
    raw[key] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]) as keyof Config;
    throw new ConfigError(ENVIRONMENT_NAMES[key], issue.message, raw[key]);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
}
