//! A few calls of the management API, with the shapes of
//! `specs/genauth-v3-management.yaml`: management tokens from an access key,
//! and users to create, read, list page by page and delete. Every call but
//! the token's needs a live token (`authorization: Bearer …`); an unknown,
//! expired or revoked one is answered HTTP 401 with `statusCode` 401.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{invalid_argument, json_body, query};
use crate::envelope::{ApiError, ApiResult, Success};
use crate::server::Shared;
use crate::user::USERPOOL_ID;
use crate::{ids, jwt};

/// `apiCode` for a management token that is missing, unknown or expired.
const API_CODE_INVALID_TOKEN: u32 = 9401;
/// `apiCode` for an access key that is unknown or whose secret is wrong.
const API_CODE_INVALID_ACCESS_KEY: u32 = 9403;
/// `apiCode` for a user the stand-in does not have.
const API_CODE_USER_NOT_FOUND: u32 = 9406;

/// The paths of the management calls; they need no app ID.
pub(crate) const PATHS: [&str; 5] = [
    "/api/v3/get-management-token",
    "/api/v3/create-user",
    "/api/v3/get-user",
    "/api/v3/list-users",
    "/api/v3/delete-users-batch",
];

/// The management side's state.
#[derive(Debug)]
pub(crate) struct Management {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: String,
    pub(crate) token_lifetime: Duration,
    state: Mutex<ManagementState>,
}

#[derive(Debug, Default)]
struct ManagementState {
    /// Live tokens and when they expire.
    tokens: HashMap<String, Instant>,
    /// Tokens issued so far.
    issued: usize,
    /// Users by ID, in the order they were created (IDs sort by creation).
    users: BTreeMap<String, Value>,
}

impl Management {
    pub(crate) fn new(
        access_key_id: &str,
        access_key_secret: &str,
        token_lifetime: Duration,
    ) -> Self {
        Self {
            access_key_id: access_key_id.to_owned(),
            access_key_secret: access_key_secret.to_owned(),
            token_lifetime,
            state: Mutex::new(ManagementState::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, ManagementState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many management tokens have been issued.
    pub(crate) fn tokens_issued(&self) -> usize {
        self.state().issued
    }

    /// Makes every token issued so far unusable, as if the server had
    /// revoked them.
    pub(crate) fn revoke_tokens(&self) {
        self.state().tokens.clear();
    }

    /// How many users there are.
    pub(crate) fn user_count(&self) -> usize {
        self.state().users.len()
    }
}

/// The routes of the management calls.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v3/get-management-token", post(get_management_token))
        .route("/api/v3/create-user", post(create_user))
        .route("/api/v3/get-user", get(get_user))
        .route("/api/v3/list-users", get(list_users).post(search_users))
        .route("/api/v3/delete-users-batch", post(delete_users_batch))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest {
    access_key_id: String,
    access_key_secret: String,
}

/// `POST /api/v3/get-management-token`.
async fn get_management_token(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let body: TokenRequest = json_body(body)?;
    let management = &shared.management;
    if body.access_key_id != management.access_key_id
        || body.access_key_secret != management.access_key_secret
    {
        return Err(ApiError {
            status_code: 403,
            api_code: API_CODE_INVALID_ACCESS_KEY,
            message: "The access key ID or secret is wrong".to_owned(),
        });
    }
    let token = new_token();
    let mut state = management.state();
    state.issued += 1;
    state
        .tokens
        .insert(token.clone(), Instant::now() + management.token_lifetime);
    Ok(Success::Data(json!({
        "access_token": token,
        "expires_in": management.token_lifetime.as_secs(),
    })))
}

/// A token shaped like a JWT whose claims name the user pool, as the real
/// service's do; the stand-in only ever compares it whole.
fn new_token() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let header = json!({ "alg": "none", "typ": "JWT" });
    let claims = json!({ "scoped_userpool_id": USERPOOL_ID });
    let serial = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{}.mgmt-{}",
        jwt::signing_input(&header, &claims),
        ids::object_id(serial)
    )
}

/// The refusal of a call without a live token: HTTP 401 and `statusCode` 401.
fn refusal(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let state = shared.management.state();
    let live = value
        .strip_prefix("Bearer ")
        .and_then(|token| state.tokens.get(token))
        .is_some_and(|expires| Instant::now() < *expires);
    drop(state);
    if live {
        return None;
    }
    let error = ApiError {
        status_code: 401,
        api_code: API_CODE_INVALID_TOKEN,
        message: "The management token is missing, unknown or expired".to_owned(),
    };
    let mut response = error.into_response();
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    Some(response)
}

/// `POST /api/v3/create-user`.
async fn create_user(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if let Some(refused) = refusal(&shared, &headers) {
        return refused;
    }
    let body: Value = match json_body(body) {
        Ok(body) => body,
        Err(error) => return error.into_response(),
    };
    let mut state = shared.management.state();
    let user_id = format!("user-{:06}", state.users.len() + 1);
    let now = "2026-12-01T00:00:00.000Z";
    let field = |name: &str| body.get(name).cloned().unwrap_or(Value::Null);
    let user = json!({
        "userId": user_id,
        "createdAt": now,
        "updatedAt": now,
        "status": body.get("status").cloned().unwrap_or(json!("Activated")),
        "workStatus": "Active",
        "username": field("username"),
        "email": field("email"),
        "phone": field("phone"),
        "name": field("name"),
        "gender": body.get("gender").cloned().unwrap_or(json!("U")),
        "emailVerified": false,
        "phoneVerified": false,
        "loginsCount": 0,
        "userSourceType": "adminCreated",
    });
    state.users.insert(user_id, user.clone());
    Success::Data(user).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserQuery {
    user_id: String,
}

/// `GET /api/v3/get-user?userId=…`.
async fn get_user(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    if let Some(refused) = refusal(&shared, &headers) {
        return refused;
    }
    let query: UserQuery = match query(&uri) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let user = shared.management.state().users.get(&query.user_id).cloned();
    match user {
        Some(user) => Success::Data(user).into_response(),
        None => ApiError {
            status_code: 404,
            api_code: API_CODE_USER_NOT_FOUND,
            message: "No such user".to_owned(),
        }
        .into_response(),
    }
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v3/list-users?page=&limit=`: pages from 1, 10 users a page by
/// default and 50 at most, as the real service does.
async fn list_users(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    if let Some(refused) = refusal(&shared, &headers) {
        return refused;
    }
    let query: PageQuery = match query(&uri) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let number = |text: Option<String>, default: usize| match text {
        None => Some(default),
        Some(text) => text.parse::<usize>().ok(),
    };
    let (Some(page), Some(limit)) = (number(query.page, 1), number(query.limit, 10)) else {
        return invalid_argument("page and limit must be whole numbers").into_response();
    };
    page_of_users(&shared, page, limit)
}

#[derive(Deserialize, Default)]
struct Search {
    options: Option<SearchOptions>,
}

#[derive(Deserialize, Default)]
struct SearchOptions {
    pagination: Option<Pagination>,
}

#[derive(Deserialize, Default)]
struct Pagination {
    page: Option<usize>,
    limit: Option<usize>,
}

/// `POST /api/v3/list-users`: the same pages, asked for in the body's
/// `options.pagination` (the search filters are not implemented).
async fn search_users(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if let Some(refused) = refusal(&shared, &headers) {
        return refused;
    }
    let body: Search = match json_body(body) {
        Ok(body) => body,
        Err(error) => return error.into_response(),
    };
    let pagination = body
        .options
        .and_then(|options| options.pagination)
        .unwrap_or_default();
    page_of_users(
        &shared,
        pagination.page.unwrap_or(1),
        pagination.limit.unwrap_or(10),
    )
}

/// Page `page` of the users, `limit` a page.
fn page_of_users(shared: &Shared, page: usize, limit: usize) -> Response {
    if page == 0 || limit == 0 || limit > 50 {
        return invalid_argument("page starts at 1; limit is 1 to 50").into_response();
    }
    let state = shared.management.state();
    let list: Vec<Value> = state
        .users
        .values()
        .skip((page - 1).saturating_mul(limit))
        .take(limit)
        .cloned()
        .collect();
    Success::Data(json!({ "totalCount": state.users.len(), "list": list })).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeleteUsers {
    user_ids: Vec<String>,
}

/// `POST /api/v3/delete-users-batch`.
async fn delete_users_batch(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if let Some(refused) = refusal(&shared, &headers) {
        return refused;
    }
    let body: DeleteUsers = match json_body(body) {
        Ok(body) => body,
        Err(error) => return error.into_response(),
    };
    let mut state = shared.management.state();
    for id in &body.user_ids {
        state.users.remove(id);
    }
    Success::Data(json!({ "success": true })).into_response()
}
