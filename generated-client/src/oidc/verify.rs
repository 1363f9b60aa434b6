//! Offline verification of ID tokens and access tokens. The algorithm is
//! the client's choice, made before the token is looked at; the key comes
//! from the JWKS cache (or, for HS256 ID tokens, the app secret); then the
//! signature, issuer, audience, lifetime and nonce are checked, each failure
//! its own [`TokenError`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::IdTokenSigning;
use crate::client::ConfigError;
pub use crate::error::TokenError;
use crate::{AuthenticationClient, Error};
use genauth_runtime::fields;

/// Who a token is for: one audience or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    /// One audience.
    One(String),
    /// Several audiences.
    Many(Vec<String>),
}

impl Audience {
    /// Whether `audience` is among them.
    pub fn contains(&self, audience: &str) -> bool {
        match self {
            Self::One(one) => one == audience,
            Self::Many(many) => many.iter().any(|a| a == audience),
        }
    }
}

/// The standard OpenID Connect profile claims, and GenAuth's own beside them.
/// Any claim may be missing or `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Profile {
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// Given name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Family name.
    #[serde(default)]
    pub family_name: Option<String>,
    /// Middle name.
    #[serde(default)]
    pub middle_name: Option<String>,
    /// Casual name.
    #[serde(default)]
    pub nickname: Option<String>,
    /// The name the user prefers to be called by, such as a username.
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// Profile page URL.
    #[serde(default)]
    pub profile: Option<String>,
    /// Picture URL.
    #[serde(default)]
    pub picture: Option<String>,
    /// Web site URL.
    #[serde(default)]
    pub website: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the email address is verified.
    #[serde(default)]
    pub email_verified: Option<bool>,
    /// Gender.
    #[serde(default)]
    pub gender: Option<String>,
    /// Birthday.
    #[serde(default)]
    pub birthdate: Option<String>,
    /// Time zone.
    #[serde(default)]
    pub zoneinfo: Option<String>,
    /// Locale.
    #[serde(default)]
    pub locale: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Whether the phone number is verified.
    #[serde(default)]
    pub phone_number_verified: Option<bool>,
    /// Postal address, as the server structures it.
    #[serde(default)]
    pub address: Option<Value>,
    /// When the profile last changed, in seconds since the Unix epoch
    /// (GenAuth sends an RFC 3339 string; a number is read too).
    #[serde(default, deserialize_with = "seconds_or_rfc3339")]
    pub updated_at: Option<i64>,
    /// Every other claim, such as GenAuth's `userpool_id` or `external_id`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The claims of a verified ID token. `Debug` does not show the nonce or
/// the access-token hash, which tie it to the login's secrets.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IdTokenClaims {
    /// The issuer, `{app_host}/oidc`.
    pub iss: String,
    /// The user's ID.
    pub sub: String,
    /// The application(s) the token is for.
    pub aud: Audience,
    /// When it expires, in seconds since the Unix epoch.
    #[serde(deserialize_with = "fields::number")]
    pub exp: i64,
    /// When it was issued.
    #[serde(default, deserialize_with = "fields::optional_number")]
    pub iat: Option<i64>,
    /// When the user authenticated.
    #[serde(default, deserialize_with = "fields::optional_number")]
    pub auth_time: Option<i64>,
    /// The login's nonce.
    #[serde(default)]
    pub nonce: Option<String>,
    /// The hash of the access token issued with it.
    #[serde(default)]
    pub at_hash: Option<String>,
    /// The party the token was issued to.
    #[serde(default)]
    pub azp: Option<String>,
    /// The user's profile.
    #[serde(flatten)]
    pub profile: Profile,
}

impl std::fmt::Debug for IdTokenClaims {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |value: &Option<String>| value.as_ref().map(|_| "<redacted>");
        f.debug_struct("IdTokenClaims")
            .field("iss", &self.iss)
            .field("sub", &self.sub)
            .field("aud", &self.aud)
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .field("auth_time", &self.auth_time)
            .field("nonce", &hidden(&self.nonce))
            .field("at_hash", &hidden(&self.at_hash))
            .field("azp", &self.azp)
            .field("profile", &self.profile)
            .finish()
    }
}

/// The claims of a verified access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccessTokenClaims {
    /// The issuer, `{app_host}/oidc`.
    pub iss: String,
    /// The user's ID (or, for client credentials, the account's).
    pub sub: String,
    /// The application(s) the token is for.
    pub aud: Audience,
    /// When it expires, in seconds since the Unix epoch.
    #[serde(deserialize_with = "fields::number")]
    pub exp: i64,
    /// When it was issued.
    #[serde(default, deserialize_with = "fields::optional_number")]
    pub iat: Option<i64>,
    /// The token's ID.
    #[serde(default)]
    pub jti: Option<String>,
    /// The scope granted.
    #[serde(default, deserialize_with = "fields::optional_string")]
    pub scope: Option<String>,
    /// The client the token was issued to.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The party the token was issued to.
    #[serde(default)]
    pub azp: Option<String>,
    /// Every other claim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Which kind of token is verified, which decides the algorithm and key.
#[derive(Clone, Copy)]
enum Kind {
    Id,
    Access,
}

impl AuthenticationClient {
    /// Verifies an ID token offline and returns its claims: the algorithm
    /// the settings name ([`IdTokenSigning`]), the signature, the issuer
    /// (`{app_host}/oidc`), the audience (the app ID), `exp`/`nbf` within
    /// the leeway, and — when `nonce` is given, as it must be for a token
    /// from a login this client started — the nonce.
    pub async fn parse_id_token(
        &self,
        id_token: &str,
        nonce: Option<&str>,
    ) -> Result<IdTokenClaims, Error> {
        let claims: IdTokenClaims = self.verify(id_token, Kind::Id).await?;
        if let Some(expected) = nonce {
            let sent = claims.nonce.as_deref().unwrap_or_default();
            if !constant_time_eq(sent, expected) {
                return Err(TokenError::NonceMismatch.into());
            }
        }
        Ok(claims)
    }

    /// Verifies an access token offline (RS256, against the application's
    /// signing keys) and returns its claims: the way to trust the bearer
    /// token of a request to your own API without a call to GenAuth.
    pub async fn parse_access_token(&self, access_token: &str) -> Result<AccessTokenClaims, Error> {
        self.verify(access_token, Kind::Access).await
    }

    async fn verify<T: DeserializeOwned>(&self, token: &str, kind: Kind) -> Result<T, Error> {
        if jsonwebtoken::crypto::CryptoProvider::try_get_default().is_none() {
            return Err(ConfigError::Oidc(
                "no JWT crypto provider: enable exactly one of jsonwebtoken's `aws_lc_rs` and `rust_crypto` features",
            )
            .into());
        }
        let settings = &self.inner.oidc;
        let algorithm = match (kind, settings.id_token_signing) {
            (Kind::Id, IdTokenSigning::Hs256) => Algorithm::HS256,
            _ => Algorithm::RS256,
        };
        let header = Header::read(token)?;
        if header.alg != algorithm_name(algorithm) {
            return Err(TokenError::DisallowedAlgorithm {
                alg: shown_algorithm(&header.alg),
            }
            .into());
        }
        let key = match algorithm {
            Algorithm::HS256 => {
                let secret = self.inner.app_secret.as_ref().ok_or(ConfigError::Oidc(
                    "HS256 ID tokens are verified with the app secret: set `.app_secret(..)`",
                ))?;
                let key = DecodingKey::from_secret(secret.expose().as_bytes()).map_err(|_| {
                    ConfigError::Oidc("the app secret cannot be used as an HS256 key")
                })?;
                std::sync::Arc::new(key)
            }
            _ => self.inner.jwks.key(self, header.kid.as_deref()).await?,
        };
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[self.issuer()]);
        validation.set_audience(&[self.inner.app_id.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = settings.leeway.as_secs();
        jsonwebtoken::decode::<T>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|e| token_error(e.kind()).into())
    }

    /// The issuer of the application's tokens: `{app_host}/oidc`.
    pub(crate) fn issuer(&self) -> String {
        let base = self
            .inner
            .transport
            .base_url()
            .as_str()
            .trim_end_matches('/');
        format!("{base}/oidc")
    }
}

/// The parts of a JWT header verification looks at, read before anything
/// else so that a token's algorithm is checked before any key is used.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

impl Header {
    fn read(token: &str) -> Result<Self, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(_), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let json = URL_SAFE_NO_PAD
            .decode(header.trim_end_matches('='))
            .map_err(|_| TokenError::Malformed)?;
        serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)
    }
}

fn algorithm_name(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::HS256 => "HS256",
        _ => "RS256",
    }
}

/// An algorithm name from a token, for an error message: plain short names
/// as they are, anything else not at all.
fn shown_algorithm(alg: &str) -> String {
    let plain =
        !alg.is_empty() && alg.len() <= 16 && alg.chars().all(|c| c.is_ascii_alphanumeric());
    if plain {
        alg.to_owned()
    } else {
        "an unnamed algorithm".to_owned()
    }
}

fn token_error(kind: &ErrorKind) -> TokenError {
    match kind {
        ErrorKind::InvalidSignature => TokenError::BadSignature,
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::ImmatureSignature => TokenError::NotYetValid,
        ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
        ErrorKind::InvalidAudience => TokenError::WrongAudience,
        ErrorKind::InvalidAlgorithm => TokenError::DisallowedAlgorithm {
            alg: "another algorithm".to_owned(),
        },
        ErrorKind::MissingRequiredClaim(claim) | ErrorKind::InvalidClaimFormat(claim) => {
            TokenError::MissingClaim(shown_algorithm(claim))
        }
        _ => TokenError::Malformed,
    }
}

/// Whether two secrets are equal, in time that does not depend on where
/// they differ.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

/// Seconds since the Unix epoch from a number or an RFC 3339 date; `null`
/// or a date that cannot be read is `None`, not a failed verification.
fn seconds_or_rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(text)) => rfc3339_seconds(&text),
        _ => None,
    })
}

/// `2020-09-30T07:12:19.401Z` or `…+08:00` as seconds since the Unix epoch.
fn rfc3339_seconds(text: &str) -> Option<i64> {
    let number = |s: &str| s.parse::<i64>().ok();
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut ymd = date.splitn(3, '-');
    let (year, month, day) = (
        number(ymd.next()?)?,
        number(ymd.next()?)?,
        number(ymd.next()?)?,
    );
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(zone_at);
    let mut hms = time.split(':');
    let (hour, minute) = (number(hms.next()?)?, number(hms.next()?)?);
    let second = number(hms.next()?.split('.').next()?)?;
    let offset = match zone.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let (h, m) = zone[1..].split_once(':')?;
            let minutes = number(h)? * 60 + number(m)?;
            if sign == '+' {
                minutes * 60
            } else {
                -minutes * 60
            }
        }
        _ => 0,
    };
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute)
        && (0..=60).contains(&second);
    valid.then(|| {
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    })
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc_3339_dates_as_genauth_sends_them() {
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            rfc3339_seconds("2020-09-30T07:12:19.401Z"),
            Some(1_601_449_939)
        );
        assert_eq!(
            rfc3339_seconds("2020-09-30T15:12:19+08:00"),
            Some(1_601_449_939)
        );
        assert_eq!(
            rfc3339_seconds("2000-02-29T12:00:00-01:30"),
            Some(951_831_000)
        );
        assert_eq!(rfc3339_seconds("yesterday"), None);
        assert_eq!(rfc3339_seconds("2020-13-01T00:00:00Z"), None);
    }

    #[test]
    fn profiles_tolerate_nulls_strings_and_extras() {
        let profile: Profile = serde_json::from_value(serde_json::json!({
            "name": null, "email": "a@b.c", "email_verified": null,
            "updated_at": "2020-09-30T07:12:19.401Z", "userpool_id": "up-1"
        }))
        .expect("decodes");
        assert_eq!(profile.updated_at, Some(1_601_449_939));
        assert_eq!(profile.email.as_deref(), Some("a@b.c"));
        assert_eq!(profile.extra.get("userpool_id"), Some(&Value::from("up-1")));
    }

    #[test]
    fn headers_are_read_before_anything_else() {
        let header = |json: &str| format!("{}.e30.sig", URL_SAFE_NO_PAD.encode(json));
        assert_eq!(
            Header::read(&header(r#"{"alg":"none"}"#)).map(|h| h.alg),
            Ok("none".to_owned())
        );
        assert!(matches!(Header::read("a.b"), Err(TokenError::Malformed)));
        assert!(matches!(Header::read("!!.b.c"), Err(TokenError::Malformed)));
        assert_eq!(shown_algorithm("HS256"), "HS256");
        assert_eq!(shown_algorithm("<script>"), "an unnamed algorithm");
    }

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
