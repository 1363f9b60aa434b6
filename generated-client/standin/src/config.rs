//! How a [`StandIn`](crate::StandIn) behaves: [`Config`] and the choices it
//! is made of.

use std::time::Duration;

/// How a [`StandIn`](crate::StandIn) behaves.
///
/// Build it from the default and change what a test needs, so that fields
/// added later do not break it:
///
/// ```
/// use genauth_standin::{ClientAuth, Config};
///
/// let config = Config {
///     client_auth: ClientAuth::ClientSecretBasic,
///     ..Config::default()
/// };
/// # assert_eq!(config.app_secret, "standin-app-secret");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The app ID requests must carry in `x-genauth-app-id` (or
    /// `x-authing-app-id`). It is also the OIDC/OAuth `client_id` and the
    /// audience (`aud`) of every token.
    pub app_id: String,
    /// How long a push code stays valid (the `expireTime` the stand-in reports, in whole seconds, rounded up).
    pub push_expires_in: Duration,
    /// How long a QR code (sign-in or fast-authentication) stays valid.
    pub qrcode_expires_in: Duration,
    /// What happens to new codes without anyone acting on them.
    pub auto: Auto,
    /// The app secret: the OIDC/OAuth `client_secret`, and the HMAC key of
    /// ID tokens with [`IdTokenAlg::Hs256`].
    pub app_secret: String,
    /// How the token, introspection and revocation endpoints require the
    /// client to authenticate.
    pub client_auth: ClientAuth,
    /// How ID tokens are signed. Access tokens are always RS256.
    pub id_token_alg: IdTokenAlg,
    /// The `expires_in` of access and ID tokens issued by the `/oidc/` and
    /// `/oauth/` endpoints, and the distance between their `iat` and `exp`.
    ///
    /// The push, QR-code and fast-authentication logins keep the
    /// `expire_in` of 7200 s they have always reported, and their tokens
    /// expire accordingly.
    pub token_lifetime: Duration,
    /// What the authorization endpoint (`/oidc/auth`) does; can be changed
    /// while running with [`StandIn::set_authorize`](crate::StandIn::set_authorize).
    pub authorize: Authorize,
    /// The access key the management token endpoint accepts.
    pub access_key_id: String,
    /// Its secret.
    pub access_key_secret: String,
    /// The `expires_in` of management tokens, after which calls with them
    /// are refused with HTTP 401.
    pub management_token_lifetime: Duration,
}

impl Default for Config {
    /// App ID `standin-app` with secret `standin-app-secret`, codes valid for
    /// 120 s (the real service's default), nothing happening on its own,
    /// `client_secret_post`, RS256 ID tokens valid for an hour, and an
    /// authorization endpoint that approves.
    fn default() -> Self {
        Self {
            app_id: "standin-app".to_owned(),
            push_expires_in: Duration::from_secs(120),
            qrcode_expires_in: Duration::from_secs(120),
            auto: Auto::Nothing,
            app_secret: "standin-app-secret".to_owned(),
            client_auth: ClientAuth::default(),
            id_token_alg: IdTokenAlg::default(),
            token_lifetime: Duration::from_secs(3600),
            authorize: Authorize::default(),
            access_key_id: "standin-access-key".to_owned(),
            access_key_secret: "standin-access-key-secret".to_owned(),
            management_token_lifetime: Duration::from_secs(7200),
        }
    }
}

/// What happens to new codes without anyone acting on them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Auto {
    /// Codes stay as they are until a control call, an SDK call or expiry changes them.
    #[default]
    Nothing,
    /// After `after`, a push code is approved; a sign-in or fast-authentication QR code is scanned
    /// (by a demo user) at half of `after` and approved at `after`.
    ///
    /// A code that expires first stays expired.
    Approve {
        /// How long after its creation a code is approved.
        after: Duration,
    },
}

/// How the client authenticates to the token, introspection and revocation
/// endpoints (the `token_endpoint_auth_method` of OIDC client registration).
///
/// A request that uses another method than the configured one, or the
/// right method with wrong credentials, is answered `401
/// {"error":"invalid_client"}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the form body.
    #[default]
    ClientSecretPost,
    /// `Authorization: Basic base64(client_id:client_secret)`, each part
    /// form-encoded first as RFC 6749 §2.3.1 asks; no secret in the body.
    ClientSecretBasic,
    /// A public client: `client_id` in the body and no secret at all.
    /// Authorization codes then need PKCE, and the client-credentials grant
    /// is refused.
    None,
}

/// How ID tokens are signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdTokenAlg {
    /// RS256 with the stand-in's RSA key, published in its JWKS.
    #[default]
    Rs256,
    /// HS256: HMAC-SHA256 keyed with the app secret, as GenAuth does for
    /// apps set to HS256. Access tokens stay RS256.
    Hs256,
}

/// What the authorization endpoint (`/oidc/auth`, `/oauth/auth`) does with a
/// well-formed request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Authorize {
    /// As if the demo user signed in and consented: redirect with a code.
    #[default]
    Approve,
    /// As if the user refused: redirect with `error=access_denied`.
    Deny,
}
