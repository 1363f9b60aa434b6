//! CAS service tickets, checked with the server (CAS protocol 1.0 and 2.0).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{AuthenticationClient, Error};
use genauth_runtime::{CallOptions, Envelope, Method, Operation, QueryStyle, Request};

static VALIDATE_V1: Operation = Operation {
    name: "validate_ticket_v1",
    method: Method::GET,
    path: "/cas-idp/{appId}/validate",
    idempotent: true,
    envelope: Envelope::Never,
};

static VALIDATE_V2: Operation = Operation {
    name: "validate_ticket_v2",
    method: Method::GET,
    path: "/cas-idp/{appId}/serviceValidate",
    idempotent: true,
    envelope: Envelope::Never,
};

/// What the server says of a service ticket.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CasValidation {
    /// The ticket is valid for the service, and was issued to this user.
    Valid(CasUser),
    /// The ticket is not valid (unknown, used, or for another service).
    Invalid {
        /// The CAS failure code, such as `INVALID_TICKET` (protocol 2.0).
        code: Option<String>,
        /// The server's explanation (protocol 2.0).
        description: Option<String>,
    },
}

/// The user a valid ticket was issued to.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CasUser {
    /// The username.
    pub user: String,
    /// The user's attributes (protocol 2.0).
    pub attributes: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceResponseBody {
    service_response: ServiceResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceResponse {
    authentication_success: Option<Success>,
    authentication_failure: Option<Failure>,
}

#[derive(Deserialize)]
struct Success {
    user: String,
    #[serde(default)]
    attributes: Map<String, Value>,
}

#[derive(Deserialize)]
struct Failure {
    code: Option<String>,
    description: Option<String>,
}

impl AuthenticationClient {
    /// Checks a service ticket with the CAS 1.0 `validate` endpoint, which
    /// answers `yes` and the username, or `no`.
    pub async fn validate_ticket_v1(
        &self,
        ticket: &str,
        service: &str,
    ) -> Result<CasValidation, Error> {
        let request = self.cas_request(&VALIDATE_V1, ticket, service, None);
        let text = self.send_own_text(request).await?;
        let mut lines = text.lines();
        Ok(match (lines.next().map(str::trim), lines.next()) {
            (Some("yes"), Some(user)) if !user.trim().is_empty() => CasValidation::Valid(CasUser {
                user: user.trim().to_owned(),
                attributes: Map::new(),
            }),
            _ => CasValidation::Invalid {
                code: None,
                description: None,
            },
        })
    }

    /// Checks a service ticket with the CAS 2.0 `serviceValidate` endpoint,
    /// in JSON, which also gives the user's attributes.
    pub async fn validate_ticket_v2(
        &self,
        ticket: &str,
        service: &str,
    ) -> Result<CasValidation, Error> {
        let request = self.cas_request(&VALIDATE_V2, ticket, service, Some("JSON"));
        let body: ServiceResponseBody = self.send_own(request).await?;
        let response = body.service_response;
        Ok(
            match (
                response.authentication_success,
                response.authentication_failure,
            ) {
                (Some(success), _) => CasValidation::Valid(CasUser {
                    user: success.user,
                    attributes: success.attributes,
                }),
                (None, failure) => {
                    let failure = failure.unwrap_or(Failure {
                        code: None,
                        description: None,
                    });
                    CasValidation::Invalid {
                        code: failure.code,
                        description: failure
                            .description
                            .map(|d| genauth_runtime::redact::scrub(&d)),
                    }
                }
            },
        )
    }

    fn cas_request(
        &self,
        operation: &'static Operation,
        ticket: &str,
        service: &str,
        format: Option<&str>,
    ) -> Request {
        Request::new(operation, CallOptions::default())
            .path_param("appId", self.inner.app_id.as_str())
            .query_param("service", service, QueryStyle::Form, true)
            .query_param("ticket", ticket, QueryStyle::Form, true)
            .query_param("format", &format, QueryStyle::Form, true)
    }
}
