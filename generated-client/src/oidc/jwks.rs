//! The application's signing keys, fetched from its JWKS and kept: fresh
//! keys answer without a network call; a token naming an unknown key causes
//! at most one fetch per cool-down, however many such tokens arrive;
//! concurrent callers share one fetch; and a failed fetch keeps the keys
//! already known.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet, PublicKeyUse};

use super::verify::TokenError;
use crate::{AuthenticationClient, Error};
use genauth_runtime::{CallOptions, Envelope, Method, Operation, Request};

static JWKS: Operation = Operation {
    name: "fetch_jwks",
    method: Method::GET,
    path: "/oidc/.well-known/jwks.json",
    idempotent: true,
    envelope: Envelope::Never,
};

/// The keys of one client.
#[derive(Default)]
pub(crate) struct JwksCache {
    keys: RwLock<Keys>,
    /// Held while fetching, so that concurrent callers wait for one fetch.
    fetching: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct Keys {
    /// RSA signing keys by `kid` (`None` for a key without one).
    by_kid: HashMap<Option<String>, Arc<DecodingKey>>,
    /// When the keys were last fetched successfully.
    fetched_at: Option<Instant>,
    /// When a fetch was last tried, and whether it failed.
    attempted_at: Option<Instant>,
    failed: bool,
}

/// What the cache knows of a key, read without waiting.
struct Lookup {
    key: Option<Arc<DecodingKey>>,
    fresh: bool,
    may_fetch: bool,
    attempted_at: Option<Instant>,
    failed: bool,
}

impl std::fmt::Debug for JwksCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("JwksCache")
            .field("keys", &keys.by_kid.len())
            .field("fetched_at", &keys.fetched_at)
            .finish()
    }
}

impl JwksCache {
    /// The RS256 key a token names by `kid`.
    pub(crate) async fn key(
        &self,
        client: &AuthenticationClient,
        kid: Option<&str>,
    ) -> Result<Arc<DecodingKey>, Error> {
        let seen = self.lookup(client, kid);
        if let (Some(key), true) = (&seen.key, seen.fresh) {
            return Ok(Arc::clone(key));
        }
        if !seen.may_fetch {
            return known_or_not(seen);
        }
        let _fetching = self.fetching.lock().await;
        let now = self.lookup(client, kid);
        if let (Some(key), true) = (&now.key, now.fresh) {
            return Ok(Arc::clone(key));
        }
        // Another caller fetched while this one waited: its result stands.
        if now.attempted_at != seen.attempted_at || !now.may_fetch {
            return known_or_not(now);
        }
        match self.fetch(client).await {
            Ok(()) => known_or_not(self.lookup(client, kid)),
            Err(error) => match now.key {
                // A failed fetch evicts nothing: the known key still serves.
                Some(key) => Ok(key),
                None => Err(error),
            },
        }
    }

    fn lookup(&self, client: &AuthenticationClient, kid: Option<&str>) -> Lookup {
        let settings = &client.inner.oidc;
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        let key = match kid {
            Some(kid) => keys.by_kid.get(&Some(kid.to_owned())).cloned(),
            // A token that names no key can only mean the one key there is.
            None if keys.by_kid.len() == 1 => keys.by_kid.values().next().cloned(),
            None => None,
        };
        let within = |at: Option<Instant>, limit| at.is_some_and(|at| at.elapsed() < limit);
        Lookup {
            key,
            fresh: within(keys.fetched_at, settings.jwks_max_age),
            may_fetch: !within(keys.attempted_at, settings.jwks_cooldown),
            attempted_at: keys.attempted_at,
            failed: keys.failed,
        }
    }

    /// Fetches the key set and keeps its RSA signing keys; on failure keeps
    /// the old ones and notes the attempt, for the cool-down.
    async fn fetch(&self, client: &AuthenticationClient) -> Result<(), Error> {
        let request = Request::new(&JWKS, CallOptions::default())
            .with_path(client.inner.oidc.jwks_path.as_str());
        tracing::debug!("fetching the signing keys");
        let fetched = client.send_own::<JwkSet>(request).await;
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        keys.attempted_at = Some(Instant::now());
        let set = match fetched {
            Ok(set) => set,
            Err(error) => {
                keys.failed = true;
                return Err(error);
            }
        };
        keys.by_kid = set
            .keys
            .iter()
            .filter(|jwk| matches!(jwk.algorithm, AlgorithmParameters::RSA(_)))
            .filter(|jwk| !matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)))
            .filter_map(|jwk| {
                let key = DecodingKey::from_jwk(jwk).ok()?;
                Some((jwk.common.key_id.clone(), Arc::new(key)))
            })
            .collect();
        keys.fetched_at = keys.attempted_at;
        keys.failed = false;
        Ok(())
    }
}

fn known_or_not(lookup: Lookup) -> Result<Arc<DecodingKey>, Error> {
    match (lookup.key, lookup.failed) {
        (Some(key), _) => Ok(key),
        (None, true) => Err(TokenError::KeySetUnavailable.into()),
        (None, false) => Err(TokenError::UnknownKey.into()),
    }
}
