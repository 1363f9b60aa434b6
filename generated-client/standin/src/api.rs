//! The `/api/v3/` operations of the push-login, QR-code-login and
//! fast-authentication flows, with the request and response shapes of
//! `specs/genauth-v3.yaml`.
//!
//! Handlers read bodies and query strings themselves, so that anything
//! malformed is answered with a 400 envelope like the real service's, never
//! with axum's plain-text rejection.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri, header};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::envelope::{
    API_CODE_INVALID_ARGUMENT, API_CODE_INVALID_STATUS, API_CODE_INVALID_TICKET,
    API_CODE_PUSH_CODE_NOT_FOUND, API_CODE_QRCODE_NOT_FOUND, ApiError, ApiResult, Success,
};
use crate::server::Shared;
use crate::state::{PushAction, PushStatus, QrAction, QrKind, QrStatus, Refusal, TokenSet};

use crate::user::{ID as DEMO_USER_ID, NAME as DEMO_USER_NAME, USERPOOL_ID, USERPOOL_NAME};

/// The routes of the operations, at their paths in the spec.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v3/signin-by-push", post(sign_in_by_push))
        .route("/api/v3/check-pushcode-status", get(check_push_code_status))
        .route(
            "/api/v3/change-pushcode-status",
            post(change_push_code_status),
        )
        .route("/api/v3/gene-qrcode", post(gene_qrcode))
        .route("/api/v3/check-qrcode-status", get(check_qrcode_status))
        .route("/api/v3/change-qrcode-status", post(change_qrcode_status))
        .route(
            "/api/v3/exchange-tokenset-with-qrcode-ticket",
            post(exchange_ticket),
        )
        .route(
            "/api/v3/gene-fastpass-qrcode-info",
            post(gene_fastpass_qrcode_info),
        )
        .route(
            "/api/v3/get-app-login-qrcode-status",
            get(get_app_login_qrcode_status),
        )
        .route("/api/v3/qrcode-app-login", post(qrcode_app_login))
}

/// The `options` of a sign-in request; only `scope` matters here, since it
/// decides whether a refresh token is issued. `context` and `customData` are
/// accepted and ignored.
#[derive(Debug, Default, Deserialize)]
struct ScopeOptions {
    scope: Option<String>,
}

/// `SignInByPushDto`.
#[derive(Debug, Deserialize)]
struct SignInByPush {
    account: String,
    options: Option<ScopeOptions>,
}

/// `POST /api/v3/signin-by-push`: starts a push login.
async fn sign_in_by_push(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let body: SignInByPush = json_body(body)?;
    if body.account.trim().is_empty() {
        return Err(invalid_argument("account must not be empty"));
    }
    let scope = body.options.and_then(|options| options.scope);
    let id = shared.state().create_push_code(scope, Instant::now());
    let expire_time = whole_seconds(shared.push_expires_in);
    Ok(data(json!({ "pushCodeId": id, "expireTime": expire_time })))
}

/// The query of `check-pushcode-status`.
#[derive(Debug, Deserialize)]
struct PushCodeQuery {
    #[serde(rename = "pushCodeId")]
    push_code_id: String,
}

/// `GET /api/v3/check-pushcode-status`: where a push login stands, with the
/// tokens once approved.
async fn check_push_code_status(State(shared): State<Arc<Shared>>, uri: Uri) -> ApiResult {
    let query: PushCodeQuery = query(&uri)?;
    let status = shared
        .state()
        .push_status(&query.push_code_id, Instant::now())
        .map_err(push_refusal)?;
    let mut fields = Map::new();
    fields.insert("status".to_owned(), status.wire_name().into());
    if let PushStatus::Authorized(tokens) = &status {
        fields.insert("tokenSet".to_owned(), token_set(tokens));
    }
    Ok(data(Value::Object(fields)))
}

/// `ChangePushCodeStatusDto`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChangePushCodeStatus {
    push_code_id: String,
    action: PushCodeAction,
}

/// `PushCodeAction`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum PushCodeAction {
    Confirm,
    Cancel,
}

/// `POST /api/v3/change-pushcode-status`: the authenticator app answers a
/// push login.
async fn change_push_code_status(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    require_bearer(&headers)?;
    let body: ChangePushCodeStatus = json_body(body)?;
    let action = match body.action {
        PushCodeAction::Confirm => PushAction::Approve,
        PushCodeAction::Cancel => PushAction::Cancel,
    };
    shared
        .state()
        .change_push(&body.push_code_id, action, Instant::now())
        .map_err(push_refusal)?;
    Ok(Success::Empty)
}

/// `GenerateQrcodeDto`. The other fields only matter for WeChat, which the
/// stand-in does not imitate.
#[derive(Debug, Deserialize)]
struct GenerateQrcode {
    // Read only to check it: every type of code behaves the same here.
    #[serde(rename = "type")]
    _kind: QrCodeType,
}

/// `QrCodeType`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum QrCodeType {
    MobileApp,
    WechatMiniprogram,
    WechatOfficialAccount,
}

/// `POST /api/v3/gene-qrcode`: creates a sign-in QR code.
async fn gene_qrcode(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let _: GenerateQrcode = json_body(body)?;
    let id = shared
        .state()
        .create_qrcode(QrKind::SignIn, None, Instant::now());
    let url = format!("{}/qrcode/{id}.png", shared.url);
    Ok(data(json!({ "qrcodeId": id, "url": url })))
}

/// The query of the QR code status checks.
#[derive(Debug, Deserialize)]
struct QrcodeQuery {
    #[serde(rename = "qrcodeId")]
    qrcode_id: String,
}

/// `GET /api/v3/check-qrcode-status`: where a sign-in QR code stands, with
/// its ticket once approved.
async fn check_qrcode_status(State(shared): State<Arc<Shared>>, uri: Uri) -> ApiResult {
    qrcode_status(&shared, &uri, QrKind::SignIn)
}

/// `GET /api/v3/get-app-login-qrcode-status`: where a fast-authentication QR
/// code stands.
async fn get_app_login_qrcode_status(State(shared): State<Arc<Shared>>, uri: Uri) -> ApiResult {
    qrcode_status(&shared, &uri, QrKind::Fastpass)
}

/// `CheckQRCodeStatusDataDto` for a code of `kind`.
fn qrcode_status(shared: &Shared, uri: &Uri, kind: QrKind) -> ApiResult {
    let query: QrcodeQuery = query(uri)?;
    let status = shared
        .state()
        .qrcode_status(&query.qrcode_id, Some(kind), Instant::now())
        .map_err(qrcode_refusal)?;
    let mut fields = Map::new();
    fields.insert("status".to_owned(), status.wire_name().into());
    if status.has_scanner() {
        fields.insert(
            "briefUserInfo".to_owned(),
            json!({ "displayName": DEMO_USER_NAME, "photo": demo_user_photo(shared) }),
        );
    }
    if let QrStatus::Authorized {
        ticket: Some(ticket),
    } = status
    {
        fields.insert("ticket".to_owned(), ticket.into());
    }
    Ok(data(Value::Object(fields)))
}

/// `ChangeQRCodeStatusDto`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChangeQrcodeStatus {
    qrcode_id: String,
    action: QrCodeAction,
}

/// `QrCodeAction`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum QrCodeAction {
    Scan,
    Confirm,
    Cancel,
}

/// `POST /api/v3/change-qrcode-status`: your mobile app scans, approves or
/// rejects a sign-in QR code.
async fn change_qrcode_status(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    require_bearer(&headers)?;
    let body: ChangeQrcodeStatus = json_body(body)?;
    let action = match body.action {
        QrCodeAction::Scan => QrAction::Scan,
        QrCodeAction::Confirm => QrAction::Approve { needs_scan: true },
        QrCodeAction::Cancel => QrAction::Cancel { needs_scan: true },
    };
    shared
        .state()
        .change_qrcode(
            &body.qrcode_id,
            Some(QrKind::SignIn),
            action,
            Instant::now(),
        )
        .map_err(qrcode_refusal)?;
    Ok(Success::Empty)
}

/// `ExchangeTokenSetWithQRcodeTicketDto`. `client_secret` is accepted and
/// not checked: the stand-in has no secret to compare it with.
#[derive(Debug, Deserialize)]
struct ExchangeTicket {
    ticket: String,
    client_id: Option<String>,
}

/// `POST /api/v3/exchange-tokenset-with-qrcode-ticket`: turns a ticket into
/// tokens, once.
async fn exchange_ticket(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let body: ExchangeTicket = json_body(body)?;
    if let Some(client_id) = body.client_id.filter(|id| *id != shared.app_id) {
        return Err(invalid_argument(format!(
            "client_id {client_id:?} is not this application's ID"
        )));
    }
    let tokens = shared
        .state()
        .exchange_ticket(&body.ticket)
        .map_err(ticket_refusal)?;
    Ok(data(token_set(&tokens)))
}

/// `SignInFastpassDto`.
#[derive(Debug, Default, Deserialize)]
struct SignInFastpass {
    options: Option<ScopeOptions>,
}

/// `POST /api/v3/gene-fastpass-qrcode-info`: the contents of a
/// fast-authentication QR code for the signed-in (demo) user.
async fn gene_fastpass_qrcode_info(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    require_bearer(&headers)?;
    let body: SignInFastpass = json_body(body)?;
    let scope = body.options.and_then(|options| options.scope);
    let id = shared
        .state()
        .create_qrcode(QrKind::Fastpass, scope, Instant::now());
    Ok(data(json!({
        "scene": "FASTPASS",
        "qrcodeId": id,
        "apiHost": shared.url,
        "user": {
            "id": DEMO_USER_ID,
            "displayName": DEMO_USER_NAME,
            "photo": demo_user_photo(&shared),
        },
        "appId": shared.app_id,
        "userpool": {
            "id": USERPOOL_ID,
            "displayName": USERPOOL_NAME,
            "photo": format!("{}/images/userpool-logo.png", shared.url),
        },
    })))
}

/// `AppQRCodeLoginDto`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppQrcodeLogin {
    qrcode_id: String,
    // Read only to check it: `APP_LOGIN` is the only action.
    #[serde(rename = "action")]
    _action: AppQrcodeLoginAction,
}

/// `AppQrCodeLoginAction`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum AppQrcodeLoginAction {
    AppLogin,
}

/// `POST /api/v3/qrcode-app-login`: the authenticator app signs itself in
/// with a fast-authentication QR code.
async fn qrcode_app_login(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let body: AppQrcodeLogin = json_body(body)?;
    let tokens = shared
        .state()
        .app_login(&body.qrcode_id, Instant::now())
        .map_err(qrcode_refusal)?;
    Ok(data(token_set(&tokens)))
}

/// Decodes a JSON object body. An empty body counts as `{}`, so that
/// operations whose fields are all optional accept it, as lenient servers do.
pub(crate) fn json_body<T: DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let body = body.map_err(|rejection| {
        invalid_argument(format!(
            "Cannot read the request body: {}",
            rejection.body_text()
        ))
    })?;
    let value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(&body)
            .map_err(|error| invalid_argument(format!("Invalid request body: {error}")))?
    };
    // serde would also read a struct from an array; the API takes objects only.
    if !value.is_object() {
        return Err(invalid_argument(
            "Invalid request body: expected a JSON object",
        ));
    }
    serde_json::from_value(value)
        .map_err(|error| invalid_argument(format!("Invalid request body: {error}")))
}

/// Decodes the query string.
pub(crate) fn query<T: DeserializeOwned>(uri: &Uri) -> Result<T, ApiError> {
    Query::try_from_uri(uri)
        .map(|Query(query)| query)
        .map_err(|rejection| invalid_argument(rejection.body_text()))
}

/// Refuses a call without `authorization: Bearer <token>`. Any non-empty
/// token is the demo user's.
fn require_bearer(headers: &HeaderMap) -> Result<(), ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match token {
        Some(token) if !token.is_empty() => Ok(()),
        _ => Err(ApiError::not_signed_in()),
    }
}

pub(crate) fn invalid_argument(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(API_CODE_INVALID_ARGUMENT, message)
}

fn push_refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed { status } => ApiError::bad_request(
            API_CODE_INVALID_STATUS,
            format!("push code is {status} and can no longer be answered"),
        ),
        _ => ApiError::bad_request(API_CODE_PUSH_CODE_NOT_FOUND, "push code not found"),
    }
}

fn qrcode_refusal(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotAllowed { status: "PENDING" } => ApiError::bad_request(
            API_CODE_INVALID_STATUS,
            "qrcode has not been scanned yet: SCAN it first",
        ),
        Refusal::NotAllowed { status } => ApiError::bad_request(
            API_CODE_INVALID_STATUS,
            format!("qrcode is {status} and cannot change to that status"),
        ),
        _ => ApiError::bad_request(API_CODE_QRCODE_NOT_FOUND, "qrcode not found"),
    }
}

fn ticket_refusal(refusal: Refusal) -> ApiError {
    let message = match refusal {
        Refusal::UsedTicket => "ticket has already been used",
        _ => "ticket not found",
    };
    ApiError::bad_request(API_CODE_INVALID_TICKET, message)
}

fn data(value: Value) -> Success {
    Success::Data(value)
}

fn token_set(tokens: &TokenSet) -> Value {
    // A struct of strings and numbers always serialises; the fallback is
    // only there so that no request can make the server panic.
    serde_json::to_value(tokens).unwrap_or_default()
}

fn demo_user_photo(shared: &Shared) -> String {
    format!("{}/images/demo-user.png", shared.url)
}

/// Whole seconds, rounded up, as `expireTime` reports them.
fn whole_seconds(duration: Duration) -> u64 {
    duration
        .as_secs()
        .saturating_add(u64::from(duration.subsec_nanos() > 0))
}
