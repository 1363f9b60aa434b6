//! The state shared by all requests, and the HTTP server around it.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::envelope::ApiError;
use crate::issuer::{Issuer, Settings};
use crate::management::{self, Management};
use crate::state::{PushAction, QrAction, State, Timing};
use crate::{Auto, ClientAuth, Config, IdTokenAlg, api, cas, control, gate, oidc};

/// What every request handler and the [`StandIn`](crate::StandIn) share.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The app ID requests must carry.
    pub(crate) app_id: String,
    /// The stand-in's base address, `http://127.0.0.1:PORT`.
    pub(crate) url: String,
    /// How long a push code stays valid, reported as `expireTime`.
    pub(crate) push_expires_in: Duration,
    /// The OIDC/OAuth client secret.
    pub(crate) app_secret: String,
    /// How the client must authenticate to the token endpoints.
    pub(crate) client_auth: ClientAuth,
    /// How ID tokens are signed, for the discovery document.
    pub(crate) id_token_alg: IdTokenAlg,
    /// How long OIDC/OAuth access and ID tokens last.
    pub(crate) token_lifetime: Duration,
    /// Management tokens and users.
    pub(crate) management: Management,
    state: Mutex<State>,
}

impl Shared {
    /// Shared state for a stand-in reachable at `url`, with a fresh signing
    /// key; fails only if no key can be generated.
    pub(crate) fn new(config: &Config, url: String) -> Result<Self, aws_lc_rs::error::Unspecified> {
        let auto_approve_after = match config.auto {
            Auto::Nothing => None,
            Auto::Approve { after } => Some(after),
        };
        let issuer = Issuer::new(Settings {
            issuer: format!("{url}/oidc"),
            app_id: config.app_id.clone(),
            app_secret: config.app_secret.clone(),
            id_token_alg: config.id_token_alg,
        })?;
        let timing = Timing {
            push_expires_in: config.push_expires_in,
            qrcode_expires_in: config.qrcode_expires_in,
            auto_approve_after,
        };
        Ok(Self {
            app_id: config.app_id.clone(),
            url,
            push_expires_in: config.push_expires_in,
            app_secret: config.app_secret.clone(),
            client_auth: config.client_auth,
            id_token_alg: config.id_token_alg,
            token_lifetime: config.token_lifetime,
            management: Management::new(
                &config.access_key_id,
                &config.access_key_secret,
                config.management_token_lifetime,
            ),
            state: Mutex::new(State::new(timing, issuer, config.authorize)),
        })
    }

    /// `iss` of every token: `{url}/oidc`.
    pub(crate) fn issuer(&self) -> String {
        format!("{}/oidc", self.url)
    }

    /// The state, locked. A panic elsewhere while it was locked (which the
    /// stand-in's own code never does) leaves it usable: every change to it is
    /// a single assignment, so it is never half-made.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Acts on a push code as the user would; false if not possible.
    pub(crate) fn act_on_push(&self, id: &str, action: PushAction) -> bool {
        self.state().change_push(id, action, Instant::now()).is_ok()
    }

    /// Acts on a QR code of either kind as the user would; false if not possible.
    pub(crate) fn act_on_qrcode(&self, id: &str, action: QrAction) -> bool {
        self.state()
            .change_qrcode(id, None, action, Instant::now())
            .is_ok()
    }
}

/// Serves requests on `listener` until `stop` fires or its sender is dropped.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, stop: oneshot::Receiver<()>) {
    let app = router(shared);
    // On stop, stop accepting and close idle keep-alive connections, so the
    // port is released even while a client still holds a connection.
    let stopping = async {
        // An error only means the sender was dropped: also a stop.
        let _ = stop.await;
    };
    // axum reports no error from serving (it retries failed accepts), and
    // there would be nobody to tell: the StandIn has no channel back.
    let _ = axum::serve(listener, app)
        .with_graceful_shutdown(stopping)
        .await;
}

/// All routes: the API, the control endpoints, and what to answer for the rest.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(management::routes())
        .merge(oidc::routes())
        .merge(cas::routes())
        .merge(control::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            gate::gate,
        ))
        .with_state(shared)
}

/// Under `/api/`, an envelope naming the missing operation, so that a client
/// decodes it like any other failure; elsewhere a plain 404.
async fn not_found(method: Method, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::no_such_operation(method.as_str(), uri.path()).into_response()
    } else {
        (StatusCode::NOT_FOUND, "not found\n").into_response()
    }
}
