//! Authorization codes: what each remembers of its authorization request,
//! and whether it has been exchanged.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ids;
use crate::issuer::GrantId;

/// How long a code can be exchanged. Short, as OIDC providers make them
/// (RFC 6749 §4.1.2 recommends at most ten minutes).
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(60);

/// What the authorization request said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Authorization {
    /// The `redirect_uri` the exchange must repeat.
    pub(crate) redirect_uri: String,
    /// The requested scope.
    pub(crate) scope: String,
    /// The `nonce` for the ID token.
    pub(crate) nonce: Option<String>,
    /// The S256 `code_challenge`.
    pub(crate) challenge: Option<String>,
}

/// A code as issued.
#[derive(Debug)]
pub(crate) struct Code {
    /// What it was issued for.
    pub(crate) authorization: Authorization,
    created: Instant,
    /// The grant of the tokens it was exchanged for, once exchanged.
    pub(crate) exchanged: Option<GrantId>,
}

impl Code {
    /// Whether the code is too old to exchange at `now`.
    pub(crate) fn expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.created) >= CODE_LIFETIME
    }
}

/// The codes issued so far. Exchanged and expired ones are kept, so that a
/// replay can be recognised and its tokens revoked.
#[derive(Debug, Default)]
pub(crate) struct Codes {
    codes: HashMap<String, Code>,
    issued: u64,
}

impl Codes {
    /// Issues a code for `authorization`.
    pub(crate) fn issue(&mut self, authorization: Authorization, now: Instant) -> String {
        self.issued += 1;
        let code = ids::token("code", self.issued);
        self.codes.insert(
            code.clone(),
            Code {
                authorization,
                created: now,
                exchanged: None,
            },
        );
        code
    }

    /// The code, if it was ever issued.
    pub(crate) fn get_mut(&mut self, code: &str) -> Option<&mut Code> {
        self.codes.get_mut(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_expire_after_a_minute() {
        let mut codes = Codes::default();
        let start = Instant::now();
        let authorization = Authorization {
            redirect_uri: "http://127.0.0.1/cb".to_owned(),
            scope: "openid".to_owned(),
            nonce: None,
            challenge: None,
        };
        let code = codes.issue(authorization, start);
        let issued = codes.get_mut(&code).unwrap();
        assert!(!issued.expired(start + Duration::from_secs(59)));
        assert!(issued.expired(start + CODE_LIFETIME));
        assert!(codes.get_mut("other").is_none());
    }
}
