//! A GenAuth stand-in serving OpenID Connect, a client for it, and a
//! browser that follows the login page back to the callback.

use genauth::oidc::{AuthorizeOptions, AuthorizeRequest, OidcSettings};
use genauth::{AuthenticationClient, AuthenticationClientBuilder};
use genauth_standin::{Config, StandIn};

pub const CALLBACK: &str = "http://127.0.0.1:9/callback";

pub async fn standin(config: Config) -> StandIn {
    StandIn::start(config).await.expect("the stand-in starts")
}

pub fn builder(standin: &StandIn, settings: OidcSettings) -> AuthenticationClientBuilder {
    AuthenticationClient::builder()
        .app_id(standin.app_id())
        .app_host(standin.url())
        .app_secret(standin.app_secret())
        .allow_plain_http(true)
        .oidc(settings.redirect_uri(CALLBACK))
}

pub fn client(standin: &StandIn) -> AuthenticationClient {
    builder(standin, OidcSettings::default())
        .build()
        .expect("client")
}

/// What a browser does with a login URL: follows it to the stand-in and
/// returns where it is sent back to.
pub async fn browse(url: &str) -> String {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a browser");
    let response = browser
        .get(url)
        .send()
        .await
        .expect("the login page answers");
    assert_eq!(response.status().as_u16(), 302, "{url}");
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("a redirect")
        .to_owned()
}

/// A login, carried through the browser to the callback.
pub async fn sign_in_page(
    client: &AuthenticationClient,
    options: AuthorizeOptions,
) -> (AuthorizeRequest, String) {
    let login = client.build_authorize_url(options).expect("a login URL");
    let callback = browse(&login.url).await;
    (login, callback)
}
