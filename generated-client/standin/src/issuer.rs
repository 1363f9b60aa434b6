//! Issuing tokens, and remembering them so that they can be checked,
//! introspected and revoked.
//!
//! Access tokens are RS256 JWTs; the stand-in also remembers each one's
//! `jti`, so that revoking it takes effect at once, as at GenAuth, rather
//! than when it expires. ID tokens are JWTs signed as [`IdTokenAlg`] says and
//! are not remembered: they are never accepted as bearer tokens. Refresh
//! tokens are opaque and do not expire; they work until revoked.
//!
//! Tokens issued together, and those later refreshed from them, form one
//! *grant*: replaying the authorization code that started it, or revoking
//! its refresh token, revokes all of them.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::error::Unspecified;
use serde_json::{Map, Value, json};

use crate::keys::KeyRing;
use crate::{IdTokenAlg, ids, jwt, user};

/// What the issuer needs from the [`Config`](crate::Config).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// `iss` of every token: `{url}/oidc`.
    pub(crate) issuer: String,
    /// The client ID and `aud` of every token.
    pub(crate) app_id: String,
    /// The HMAC key of HS256 ID tokens.
    pub(crate) app_secret: String,
    /// How ID tokens are signed.
    pub(crate) id_token_alg: IdTokenAlg,
}

/// Tokens issued together and refreshed from each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct GrantId(u64);

/// Whom a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// The demo user, signed in.
    User,
    /// The client itself (client-credentials grant): `sub` is the client ID.
    Client,
}

/// What to issue.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    /// The grant the tokens belong to.
    pub(crate) grant: GrantId,
    /// Whom they speak for.
    pub(crate) subject: Subject,
    /// The granted scope, space-separated.
    pub(crate) scope: &'a str,
    /// The `nonce` for the ID token, from the authorization request.
    pub(crate) nonce: Option<&'a str>,
    /// Whether to issue an ID token (only ever for [`Subject::User`]).
    pub(crate) id_token: bool,
    /// Whether to issue a refresh token.
    pub(crate) refresh_token: bool,
    /// How long the access and ID tokens last.
    pub(crate) lifetime: Duration,
}

/// Tokens just issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issued {
    /// An RS256 JWT.
    pub(crate) access_token: String,
    /// A JWT signed as configured, when asked for.
    pub(crate) id_token: Option<String>,
    /// An opaque token, when asked for.
    pub(crate) refresh_token: Option<String>,
    /// Seconds from now until the access and ID tokens expire.
    pub(crate) expires_in: u64,
}

/// A refresh token still in force, as the issuer remembers it.
#[derive(Debug, Clone)]
pub(crate) struct RefreshGrant {
    /// The grant it belongs to.
    pub(crate) grant: GrantId,
    /// Whom it speaks for.
    pub(crate) subject: Subject,
    /// The scope it was granted with.
    pub(crate) scope: String,
    /// When it was issued, in seconds since the epoch.
    iat: u64,
}

/// Why a bearer token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejected {
    /// Not a JWT, or not signed by a published key.
    BadSignature,
    /// Signed by the stand-in but for another issuer or audience.
    NotOurs,
    /// `exp` has passed.
    Expired,
    /// Revoked, or never issued as an access token (an ID token, say).
    Unknown,
}

impl Rejected {
    /// The `error_description` to send.
    pub(crate) fn description(self) -> &'static str {
        match self {
            Self::BadSignature => "the access token is malformed or its signature does not verify",
            Self::NotOurs => "the access token was issued for another issuer or audience",
            Self::Expired => "the access token has expired",
            Self::Unknown => "the access token was revoked or was never issued as an access token",
        }
    }
}

/// Issues tokens and remembers those that can be revoked.
#[derive(Debug)]
pub(crate) struct Issuer {
    settings: Settings,
    keys: KeyRing,
    /// Access tokens by `jti`: the grant, and whether revoked one by one.
    access: HashMap<String, (GrantId, bool)>,
    refresh: HashMap<String, RefreshGrant>,
    revoked_refresh: HashSet<String>,
    revoked_grants: HashSet<GrantId>,
    issued: u64,
}

impl Issuer {
    /// An issuer with a fresh signing key.
    pub(crate) fn new(settings: Settings) -> Result<Self, Unspecified> {
        Ok(Self {
            settings,
            keys: KeyRing::generate()?,
            access: HashMap::new(),
            refresh: HashMap::new(),
            revoked_refresh: HashSet::new(),
            revoked_grants: HashSet::new(),
            issued: 0,
        })
    }

    /// The signing keys.
    pub(crate) fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// The signing keys, to rotate them.
    pub(crate) fn keys_mut(&mut self) -> &mut KeyRing {
        &mut self.keys
    }

    /// A new grant for tokens about to be issued.
    pub(crate) fn new_grant(&mut self) -> GrantId {
        self.issued += 1;
        GrantId(self.issued)
    }

    /// Issues the tokens `request` asks for.
    pub(crate) fn issue(&mut self, request: &Request<'_>) -> Issued {
        self.issued += 1;
        let n = self.issued;
        let now = unix_now();
        let expires_in = whole_seconds(request.lifetime);
        let exp = now.saturating_add(expires_in);
        let sub = self.sub(request.subject);
        let jti = ids::token("jti", n);
        let access_token = self.keys.sign(&json!({
            "iss": self.settings.issuer,
            "sub": sub,
            "aud": self.settings.app_id,
            "exp": exp,
            "iat": now,
            "jti": jti,
            "scope": request.scope,
            "client_id": self.settings.app_id,
        }));
        self.access.insert(jti, (request.grant, false));

        let id_token = (request.id_token && request.subject == Subject::User).then(|| {
            let mut claims = Map::new();
            claims.insert("iss".to_owned(), self.settings.issuer.clone().into());
            claims.insert("sub".to_owned(), sub.clone().into());
            claims.insert("aud".to_owned(), self.settings.app_id.clone().into());
            claims.insert("exp".to_owned(), exp.into());
            claims.insert("iat".to_owned(), now.into());
            if let Some(nonce) = request.nonce {
                claims.insert("nonce".to_owned(), nonce.into());
            }
            claims.insert("at_hash".to_owned(), jwt::at_hash(&access_token).into());
            claims.extend(user::claims(request.scope));
            self.sign_id_token(&Value::Object(claims))
        });

        let refresh_token = request.refresh_token.then(|| {
            let token = ids::token("refresh", n);
            self.refresh.insert(
                token.clone(),
                RefreshGrant {
                    grant: request.grant,
                    subject: request.subject,
                    scope: request.scope.to_owned(),
                    iat: now,
                },
            );
            token
        });

        Issued {
            access_token,
            id_token,
            refresh_token,
            expires_in,
        }
    }

    /// A JWT of exactly `claims`, RS256 with the current key.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        self.keys.sign(claims)
    }

    /// The claims of an access token that is well signed, ours, unexpired
    /// and not revoked.
    pub(crate) fn check_access_token(&self, token: &str) -> Result<Map<String, Value>, Rejected> {
        let claims = self.keys.verify(token).ok_or(Rejected::BadSignature)?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        if text("iss") != Some(self.settings.issuer.as_str())
            || text("aud") != Some(self.settings.app_id.as_str())
        {
            return Err(Rejected::NotOurs);
        }
        let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
        if exp <= unix_now() {
            return Err(Rejected::Expired);
        }
        match text("jti").and_then(|jti| self.access.get(jti)) {
            Some((grant, revoked)) if !revoked && !self.revoked_grants.contains(grant) => {
                Ok(claims)
            }
            _ => Err(Rejected::Unknown),
        }
    }

    /// The grant behind a refresh token that is still in force.
    pub(crate) fn refresh_grant(&self, token: &str) -> Option<&RefreshGrant> {
        let grant = self.refresh.get(token)?;
        let in_force =
            !self.revoked_refresh.contains(token) && !self.revoked_grants.contains(&grant.grant);
        in_force.then_some(grant)
    }

    /// Revokes an access or refresh token; unknown tokens are ignored, as
    /// RFC 7009 asks. Revoking a refresh token also revokes the access
    /// tokens of its grant (RFC 7009 §2.1); revoking an access token leaves
    /// the refresh token working.
    pub(crate) fn revoke(&mut self, token: &str) {
        if let Some(grant) = self.refresh.get(token).map(|grant| grant.grant) {
            self.revoked_refresh.insert(token.to_owned());
            self.revoked_grants.insert(grant);
            return;
        }
        // Only a token the stand-in signed can name a jti to revoke.
        let jti = self
            .keys
            .verify(token)
            .and_then(|claims| claims.get("jti")?.as_str().map(str::to_owned));
        if let Some(entry) = jti.and_then(|jti| self.access.get_mut(&jti)) {
            entry.1 = true;
        }
    }

    /// Revokes every token of a grant.
    pub(crate) fn revoke_grant(&mut self, grant: GrantId) {
        self.revoked_grants.insert(grant);
    }

    /// The RFC 7662 introspection response for `token`.
    pub(crate) fn introspect(&self, token: &str) -> Value {
        if let Ok(claims) = self.check_access_token(token) {
            let mut response = Map::new();
            response.insert("active".to_owned(), true.into());
            for name in [
                "sub",
                "client_id",
                "exp",
                "iat",
                "iss",
                "jti",
                "scope",
                "aud",
            ] {
                if let Some(value) = claims.get(name) {
                    response.insert(name.to_owned(), value.clone());
                }
            }
            response.insert("token_type".to_owned(), "Bearer".into());
            return Value::Object(response);
        }
        if let Some(grant) = self.refresh_grant(token) {
            return json!({
                "active": true,
                "sub": self.sub(grant.subject),
                "client_id": self.settings.app_id,
                "scope": grant.scope,
                "iat": grant.iat,
                "iss": self.settings.issuer,
                "aud": self.settings.app_id,
                "token_type": "refresh_token",
            });
        }
        json!({ "active": false })
    }

    /// Whether `token` is an ID token the stand-in signed for this app,
    /// with any of its published keys or (HS256) the app secret. Expiry
    /// does not matter, as for `id_token_hint` at real providers: logging
    /// out with an old ID token is normal.
    pub(crate) fn signed_id_token(&self, token: &str) -> bool {
        let claims = self
            .keys
            .verify(token)
            .or_else(|| jwt::verify_hs256(&self.settings.app_secret, token));
        claims.is_some_and(|claims| {
            let text = |name: &str| claims.get(name).and_then(Value::as_str);
            text("iss") == Some(self.settings.issuer.as_str())
                && text("aud") == Some(self.settings.app_id.as_str())
        })
    }

    fn sign_id_token(&self, claims: &Value) -> String {
        match self.settings.id_token_alg {
            IdTokenAlg::Rs256 => self.keys.sign(claims),
            IdTokenAlg::Hs256 => jwt::sign_hs256(&self.settings.app_secret, claims),
        }
    }

    fn sub(&self, subject: Subject) -> String {
        match subject {
            Subject::User => user::ID.to_owned(),
            Subject::Client => self.settings.app_id.clone(),
        }
    }
}

/// Seconds since the Unix epoch; 0 on a clock set before it.
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Whole seconds, rounded up, so that a token never outlives `expires_in`
/// by less than a second only to be reported as 0.
pub(crate) fn whole_seconds(duration: Duration) -> u64 {
    duration
        .as_secs()
        .saturating_add(u64::from(duration.subsec_nanos() > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer(alg: IdTokenAlg) -> Issuer {
        Issuer::new(Settings {
            issuer: "http://127.0.0.1:1/oidc".to_owned(),
            app_id: "app".to_owned(),
            app_secret: "secret".to_owned(),
            id_token_alg: alg,
        })
        .unwrap()
    }

    fn request(grant: GrantId, scope: &str) -> Request<'_> {
        Request {
            grant,
            subject: Subject::User,
            scope,
            nonce: Some("n"),
            id_token: true,
            refresh_token: true,
            lifetime: Duration::from_secs(60),
        }
    }

    #[test]
    fn issued_tokens_check_until_revoked() {
        let mut issuer = issuer(IdTokenAlg::Rs256);
        let grant = issuer.new_grant();
        let issued = issuer.issue(&request(grant, "openid profile offline_access"));
        let claims = issuer.check_access_token(&issued.access_token).unwrap();
        assert_eq!(claims["sub"], user::ID);
        let id_token = issued.id_token.unwrap();
        assert!(issuer.signed_id_token(&id_token));
        // An ID token is no bearer token.
        assert_eq!(issuer.check_access_token(&id_token), Err(Rejected::Unknown));
        let refresh = issued.refresh_token.unwrap();
        assert!(issuer.refresh_grant(&refresh).is_some());
        issuer.revoke(&refresh);
        assert!(issuer.refresh_grant(&refresh).is_none());
        assert_eq!(
            issuer.check_access_token(&issued.access_token),
            Err(Rejected::Unknown)
        );
    }

    #[test]
    fn hs256_id_tokens_use_the_secret_and_expired_tokens_are_refused() {
        let mut issuer = issuer(IdTokenAlg::Hs256);
        let grant = issuer.new_grant();
        let mut expired = request(grant, "openid");
        expired.lifetime = Duration::ZERO;
        let issued = issuer.issue(&expired);
        let id_token = issued.id_token.unwrap();
        assert!(jwt::verify_hs256("secret", &id_token).is_some());
        assert!(issuer.signed_id_token(&id_token));
        assert_eq!(
            issuer.check_access_token(&issued.access_token),
            Err(Rejected::Expired)
        );
    }
}
