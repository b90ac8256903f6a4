import * as client from 'openid-client';
import type { OidcSettings } from '../config';
import { AppError } from '../shared/errors';
import type { Role } from './permissions';

/**
 * Sign-in through an agency's OpenID Connect provider: authorization code with PKCE (S256), state and nonce,
 * the client authenticated with its secret. The provider's claims name the person, their agency groups (mapped to
 * Whereabouts roles by OIDC_ROLE_MAP) and their field office.
 */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface ExternalIdentity {
  username: string;
  displayName: string;
  roles: Role[];
  fieldOfficeCode: string | null;
  subject: string;
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

export class OidcClient {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(readonly settings: OidcSettings) {}

  /** Discovered once, at first use; a failed discovery is tried again at the next sign-in. */
  private discover(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        this.settings.clientSecret,
        undefined,
        // Plain http only to a provider on this machine (tests, a local development provider).
        LOOPBACK.test(this.settings.issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error) => {
        this.configuration = undefined;
        throw new AppError(
          'upstream_unavailable',
          `The identity provider cannot be reached: ${(error as Error).message}`,
        );
      });
    return this.configuration;
  }

  /** Where to send the browser, and what to remember until it comes back. */
  async start(returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
    const configuration = await this.discover();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /** Redeems the code the provider sent back, checks state, nonce and PKCE, and reads who the person is. */
  async finish(callbackQuery: string, pending: PendingSignIn): Promise<ExternalIdentity> {
    const configuration = await this.discover();
    const currentUrl = new URL(this.settings.redirectUri);
    currentUrl.search = callbackQuery;
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    // Providers differ in which claims they put in the ID token; the userinfo answer completes them.
    const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    return this.identityFrom({ ...userInfo, ...idClaims });
  }

  identityFrom(claims: Record<string, unknown>): ExternalIdentity {
    const { usernameClaim, roleClaim, officeClaim, roleMap } = this.settings;
    const username = claims[usernameClaim];
    if (typeof username !== 'string' || !/^[\w.@+-]{1,100}$/.test(username)) {
      throw new AppError('unauthenticated', `The identity provider sent no usable ${usernameClaim}.`);
    }
    const groups = [claims[roleClaim]].flat().filter((group): group is string => typeof group === 'string');
    const roles = [...new Set(groups.flatMap((group) => roleMap[group] ?? []))];
    if (roles.length === 0) {
      throw new AppError('forbidden', `${username} has no role in Whereabouts (claim ${roleClaim}).`);
    }
    const office = claims[officeClaim];
    return {
      username,
      displayName: typeof claims.name === 'string' ? claims.name : username,
      roles,
      fieldOfficeCode: typeof office === 'string' && /^[A-Z]{3}$/.test(office) ? office : null,
      subject: String(claims.sub),
    };
  }
}
