// Configuration: the typed settings read from the environment, validated once at start-up.
export {
  BANNERS,
  type Banner,
  Config,
  ConfigError,
  loadConfig,
  type OidcSettings,
  oidcSettings,
} from './config';
