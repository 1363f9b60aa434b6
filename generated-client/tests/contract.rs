//! The contract test: every generated operation, called through the client
//! against a real Prism mock server started on the spec with `--errors`.
//! Prism checks each request (path, query, headers, security, body) against
//! the spec and answers 4xx when it does not conform, so every call must
//! succeed.
//!
//! Prism comes from npm (`@stoplight/prism-cli`) and is installed under
//! Cargo's target directory on first use. Without npm the test says so and
//! does nothing.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::prism::{Prism, ensure_prism};
use genauth::models::*;
use genauth::{AuthenticationClient, TokenEndpointAuthMethod};
use serde_json::json;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec_path() -> PathBuf {
    workspace_root().join("specs/genauth-v3.yaml")
}

/// The operation IDs the spec declares.
fn spec_operation_ids() -> BTreeSet<String> {
    let text = std::fs::read_to_string(spec_path()).expect("read the spec");
    let spec: serde_json::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let paths = spec["paths"].as_object().expect("paths");
    paths
        .values()
        .flat_map(|item| item.as_object().into_iter().flatten())
        .filter_map(|(_, operation)| operation.get("operationId").and_then(|id| id.as_str()))
        .map(str::to_owned)
        .collect()
}

/// Operations that may only be sent with a user access token: every way the
/// spec offers to authenticate them includes `accessToken`.
fn operations_needing_a_token() -> BTreeSet<String> {
    let text = std::fs::read_to_string(spec_path()).expect("read the spec");
    let spec: serde_json::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let mut needing = BTreeSet::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            let security = operation.get("security").or(spec.get("security"));
            let alternatives = security
                .and_then(|s| s.as_array())
                .cloned()
                .unwrap_or_default();
            let all_need = !alternatives.is_empty()
                && alternatives.iter().all(|a| a.get("accessToken").is_some());
            if all_need && let Some(id) = operation.get("operationId").and_then(|id| id.as_str()) {
                needing.insert(id.to_owned());
            }
        }
    }
    needing
}

fn map(pairs: &[(&str, serde_json::Value)]) -> serde_json::Map<String, serde_json::Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn prism_accepts_every_operation() {
    let Some(binary) = ensure_prism().await else {
        return;
    };
    let prism = Prism::start_on(&binary, &spec_path()).await;
    let builder = || {
        AuthenticationClient::builder()
            .app_id("62eb7ed1f04c1f2a3b4c5d6e")
            .app_host(prism.url())
            .allow_plain_http(true)
    };
    let anonymous = builder().build().expect("client");
    let signed_in = builder()
        .access_token("eyJhbGciOiJSUzI1NiJ9.user")
        .build()
        .expect("client");
    let basic = builder()
        .app_secret("app-secret")
        .token_endpoint_auth_method(TokenEndpointAuthMethod::ClientSecretBasic)
        .build()
        .expect("client");
    let needing_token = operations_needing_a_token();

    let mut called = BTreeSet::new();
    let mut failures = Vec::new();
    // Calls operation `$id` with the client its security asks for, bound to `$c`.
    macro_rules! check {
        ($id:literal, |$c:ident| $call:expr) => {{
            called.insert($id.to_owned());
            let $c = if needing_token.contains($id) {
                &signed_in
            } else {
                &anonymous
            };
            if let Err(e) = $call.await {
                failures.push(format!("{}: {e}", $id));
            }
        }};
    }

    // Push login, QR code login and fast authentication.
    check!("signInByPush", |c| c.sign_in_by_push("test"));
    check!("signInByPush", |c| c.sign_in_by_push("test").options(
        SignInByPushOptionsDto {
            scope: Some("openid profile".into()),
            context: Some(map(&[("source", json!("utm"))])),
            custom_data: Some(map(&[("school", json!("pku"))])),
        }
    ));
    check!("checkPushCodeStatus", |c| c
        .check_push_code_status("6a1f0c2e9b7d4c3fa1e2d3c4"));
    check!("changePushCodeStatus", |c| c.change_push_code_status(
        "6a1f0c2e9b7d4c3fa1e2d3c4",
        PushCodeAction::Confirm
    ));
    check!("changePushCodeStatus", |c| c.change_push_code_status(
        "6a1f0c2e9b7d4c3fa1e2d3c4",
        PushCodeAction::Cancel
    ));
    check!("getPushLoginRelationApps", |c| c
        .get_push_login_relation_apps(
            "6a1f0c2e9b7d4c3fa1e2d3c4",
            "62eb7ed1f04c1f2a3b4c5d6e"
        ));
    check!("geneFastpassQrcodeInfo", |c| c.gene_fastpass_qrcode_info());
    check!("geneFastpassQrcodeInfo", |c| c
        .gene_fastpass_qrcode_info()
        .options(SignInFastpassOptionsDto {
            scope: Some("openid".into()),
            ..Default::default()
        }));
    check!("getFastpassParams", |c| c.get_fastpass_params(
        "7c2d9e4b1a0f3e5d6c7b8a90",
        "62eb7ed1f04c1f2a3b4c5d6e"
    ));
    check!("getAppLoginQrCodeStatus", |c| c
        .get_app_login_qr_code_status("7c2d9e4b1a0f3e5d6c7b8a90"));
    check!("qrCodeAppLogin", |c| c.qr_code_app_login(
        "7c2d9e4b1a0f3e5d6c7b8a90",
        AppQrCodeLoginAction::AppLogin
    ));
    check!("geneQrCode", |c| c.gene_qr_code(QrCodeType::MobileApp));
    check!("geneQrCode", |c| c
        .gene_qr_code(QrCodeType::WechatMiniprogram)
        .ext_idp_conn_id("62eb7ed1f04c1f2a3b4c5d6e")
        .context(serde_json::Map::new())
        .custom_data(serde_json::Map::new())
        .auto_merge_qr_code(false));
    check!("checkQrCodeStatus", |c| c
        .check_qr_code_status("7c2d9e4b1a0f3e5d6c7b8a90"));
    check!("exchangeTokenSetWithQrCodeTicket", |c| c
        .exchange_token_set_with_qr_code_ticket("1b2c3d4e5f60718293a4b5c6")
        .client_id("62eb7ed1f04c1f2a3b4c5d6e")
        .client_secret("app-secret"));
    check!("exchangeTokenSetWithQrCodeTicket", |_c| basic
        .exchange_token_set_with_qr_code_ticket(
            "1b2c3d4e5f60718293a4b5c6"
        ));
    for action in [
        QrCodeAction::Scan,
        QrCodeAction::Confirm,
        QrCodeAction::Cancel,
    ] {
        check!("changeQrCodeStatus", |c| c.change_qr_code_status(
            "7c2d9e4b1a0f3e5d6c7b8a90",
            action.clone()
        ));
    }

    // Sign-in.
    check!("signInByCredentials", |c| c
        .sign_in_by_credentials(SignInConnection::Password)
        .password_payload(SignInByPasswordPayloadDto {
            password: "correct horse battery staple".into(),
            account: Some("ada".into()),
            email: None,
            username: None,
            phone: None,
        }));
    check!("signInByCredentials", |_c| basic
        .sign_in_by_credentials(SignInConnection::Passcode)
        .pass_code_payload(SignInByPassCodePayloadDto {
            pass_code: "123456".into(),
            email: None,
            phone: Some("13800138000".into()),
            phone_country_code: Some("+86".into()),
        }));
    check!("signInByMobile", |c| c.sign_in_by_mobile(
        MobileSignInConnection::Wechat,
        "wechat-mobile"
    ));
    check!("switchLoginByUser", |c| c
        .switch_login_by_user("6229ffaa1b2c3d4e5f607182"));
    check!("getAlipayAuthInfo", |c| c
        .get_alipay_auth_info("alipay-mobile"));
    check!("preCheckCode", |c| c.pre_check_code(PreCheckCodeType::Sms));
    check!("signUp", |c| c.sign_up(SignUpConnection::Password));

    // WebAuthn.
    check!("initAuthenticationOptions", |c| c
        .init_authentication_options());
    check!("verifyAuthentication", |c| c.verify_authentication(
        AuthenticationCredentialDto {
            id: "cred-1".into(),
            raw_id: "cred-1".into(),
            response: AuthenticatorAssertionResponseDto {
                authenticator_data: "SZYN5YgO".into(),
                client_data_json: "eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0".into(),
                signature: "MEUCIQ".into(),
                user_handle: "dXNlcg".into(),
            },
            type_: "public-key".into(),
        },
        "ticket-1",
    ));
    check!("initRegisterOptions", |c| c.init_register_options());
    check!("verifyRegister", |c| c.verify_register(
        RegistrationCredentialDto {
            id: "cred-1".into(),
            raw_id: "cred-1".into(),
            response: AuthenticatorAttestationResponseDto {
                attestation_object: "o2NmbXRkbm9uZQ".into(),
                client_data_json: "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0".into(),
            },
            transports: Some(vec!["internal".into()]),
            type_: "public-key".into(),
        },
        "ticket-1",
    ));
    check!("listCredentialsByPage", |c| c
        .list_credentials_by_page(serde_json::Map::new()));
    check!("checkValidCredentialsByCredIds", |c| c
        .check_valid_credentials_by_cred_ids(serde_json::Map::new()));
    check!("removeAllCredentials", |c| c
        .remove_all_credentials(serde_json::Map::new()));
    check!("removeCredential", |c| c
        .remove_credential("cred/1 ü", serde_json::Map::new()));

    // Profile.
    check!("getProfile", |c| c
        .get_profile()
        .with_custom_data(true)
        .with_identities(false)
        .with_department_ids(false));
    check!("updateProfile", |c| c
        .update_profile()
        .nickname("ada")
        .gender(Gender::F));
    check!("bindEmail", |c| c.bind_email("ada@example.com", "123456"));
    check!("unbindEmail", |c| c.unbind_email("123456"));
    check!("bindPhone", |c| c.bind_phone("13800138000", "123456"));
    check!("unbindPhone", |c| c.unbind_phone("123456"));
    check!("getSecurityLevel", |c| c.get_security_level());
    check!("updatePassword", |c| c
        .update_password("new password 2024")
        .old_password("old password"));
    check!("verifyUpdateEmailRequest", |c| c
        .verify_update_email_request(
            UpdateEmailVerifyMethod::EmailPasscode,
            UpdateEmailByEmailPassCodeDto {
                new_email: "ada@example.org".into(),
                new_email_pass_code: "123456".into(),
                old_email: None,
                old_email_pass_code: None,
            },
        ));
    check!("updateEmail", |c| c.update_email("update-email-token"));
    check!("verifyUpdatePhoneRequest", |c| c
        .verify_update_phone_request(
            UpdatePhoneVerifyMethod::PhonePasscode,
            UpdatePhoneByPhonePassCodeDto {
                new_phone_number: "13800138001".into(),
                new_phone_pass_code: "123456".into(),
                new_phone_country_code: None,
                old_phone_number: None,
                old_phone_pass_code: None,
                old_phone_country_code: None,
            },
        ));
    check!("updatePhone", |c| c.update_phone("update-phone-token"));
    check!("verifyResetPasswordRequest", |c| c
        .verify_reset_password_request(
            ResetPasswordVerifyMethod::EmailPasscode
        ));
    check!("resetPassword", |c| c
        .reset_password("password-reset-token", "new password 2024"));
    check!("verifyDeleteAccountRequest", |c| c
        .verify_delete_account_request(
            DeleteAccountVerifyMethod::Password
        ));
    check!("deleteAccount", |c| c
        .delete_account("delete-account-token"));
    check!("listPublicAccountsForSwitchLoggedIn", |c| c
        .list_public_accounts_for_switch_logged_in());
    check!("list", |c| c.list().page(1).limit(10));
    check!("unbind", |c| c.unbind("device-1"));
    check!("revoke", |c| c.revoke("device-1"));

    // Account binding and WeChat on mobile.
    check!("generateLinkExtIdpUrl", |c| c.generate_link_ext_idp_url(
        "wechat-pc",
        "62eb7ed1f04c1f2a3b4c5d6e",
        "eyJhbGciOiJSUzI1NiJ9.id"
    ));
    check!("unlinkExtIdp", |c| c
        .unlink_ext_idp("6076bacd1c2d3e4f5a6b7c8d"));
    check!("getIdentities", |c| c.get_identities());
    check!("getApplicationEnabledExtIdps", |c| c
        .get_application_enabled_ext_idps());
    check!("authByCodeIdentity", |c| c
        .auth_by_code_identity("wechat-code"));
    check!("registerNewUser", |c| c
        .register_new_user("create", "binding-key"));
    check!("bindByEmailCode", |c| c.bind_by_email_code(
        "ada@example.com",
        "123456",
        "bind",
        "binding-key"
    ));
    check!("bindByPhoneCode", |c| c.bind_by_phone_code(
        "13800138000",
        "123456",
        "bind",
        "binding-key"
    ));
    check!("bindByAccount", |c| c.bind_by_account(
        "ada",
        "encrypted-password",
        "bind",
        "binding-key"
    ));
    check!("selectAccount", |c| c.select_account(
        "6229ffaa1b2c3d4e5f607182",
        "select",
        "binding-key"
    ));
    check!("bindByAccountId", |c| c.bind_by_account_id(
        "6229ffaa1b2c3d4e5f607182",
        "bind",
        "binding-key"
    ));

    // User resources.
    check!("getLoginHistory", |c| c
        .get_login_history()
        .page(1)
        .limit(10));
    check!("getLoggedInApps", |c| c.get_logged_in_apps());
    check!("getAccessibleApps", |c| c.get_accessible_apps());
    check!("getTenantList", |c| c.get_tenant_list());
    check!("getRoleList", |c| c.get_role_list());
    check!("getGroupList", |c| c.get_group_list());
    check!("getDepartmentList", |c| c.get_department_list());
    check!("getAuthorizedResources", |c| c.get_authorized_resources());

    // MFA.
    check!("sendEnrollFactorRequest", |c| c.send_enroll_factor_request(
        MfaFactorType::Sms,
        FactorProfile {
            phone_number: Some("13800138000".into()),
            ..Default::default()
        },
    ));
    check!("enrollFactor", |c| c.enroll_factor(
        MfaFactorType::Sms,
        "enrollment-token",
        EnrollFactorEnrollmentDataDto {
            pass_code: Some("123456".into()),
            ..Default::default()
        },
    ));
    check!("resetFactor", |c| c.reset_factor("factor-1"));
    check!("listEnrolledFactors", |c| c.list_enrolled_factors());
    check!("getFactor", |c| c.get_factor("factor-1"));
    check!("listFactorsToEnroll", |c| c.list_factors_to_enroll());
    check!("mfaOtpVerify", |c| c.mfa_otp_verify("123456"));
    check!("verifyMfaToken", |c| c.verify_mfa_token("mfa-token"));

    // Permissions.
    check!("checkPermissionByStringResource", |c| c
        .check_permission_by_string_resource(
            "get",
            vec!["books".to_owned()]
        ));
    check!("checkPermissionByArrayResource", |c| c
        .check_permission_by_array_resource(
            "get",
            vec!["books".to_owned()]
        ));
    check!("checkPermissionByTreeResource", |c| c
        .check_permission_by_tree_resource(
            "get",
            vec!["books/fiction".to_owned()]
        ));
    check!("getUserAuthorizedResourcesList", |c| c
        .get_user_authorized_resources_list());
    check!("getUserAuthResourcePermissionList", |c| c
        .get_user_auth_resource_permission_list(vec![
            "books".to_owned()
        ]));
    check!("getUserAuthResourceStruct", |c| c
        .get_user_auth_resource_struct("books"));

    // WeChat, messages and public information.
    check!("decryptWechatMiniProgramData", |c| c
        .decrypt_wechat_mini_program_data(
            "wechat-miniprogram",
            "encrypted",
            "iv",
            "code"
        ));
    check!("getWechatMpAccessToken", |c| {
        #[allow(deprecated, reason = "every operation is called, deprecated ones too")]
        let request = c.get_wechat_mp_access_token("wx1234", "wechat-secret");
        request
    });
    check!("getWechatMpAccessTokenInfo", |c| c
        .get_wechat_mp_access_token_info("wx1234", "wechat-secret"));
    check!("sendSms", |c| c
        .send_sms("13800138000", SmsChannel::ChannelLogin));
    check!("sendEmail", |c| c
        .send_email("ada@example.com", EmailChannel::ChannelLogin));
    check!("getSystemInfo", |c| c.get_system_info());
    check!("getCountryList", |c| c.get_country_list());

    assert!(
        failures.is_empty(),
        "Prism rejected calls:\n{}\n\nPrism log:\n{}",
        failures.join("\n"),
        prism.log_text()
    );
    assert_eq!(
        called,
        spec_operation_ids(),
        "every operation of the spec is called, and only those"
    );
}

/// Where our spec corrects the vendor's description it must not break what
/// the vendor's server accepts: Prism on the vendor's own description takes
/// the MFA token check as a form, which is all that description allows.
#[tokio::test(flavor = "multi_thread")]
async fn the_vendors_description_accepts_the_mfa_token_check() {
    let upstream =
        workspace_root().join("../shared/upstream/authing-v3-authentication-openapi.json");
    if !upstream.exists() {
        eprintln!(
            "SKIPPED: {} is absent, so requests cannot be checked against the vendor's description",
            upstream.display()
        );
        return;
    }
    let Some(binary) = ensure_prism().await else {
        return;
    };
    let prism = Prism::start_on(&binary, &upstream).await;
    let client = AuthenticationClient::builder()
        .app_id("62eb7ed1f04c1f2a3b4c5d6e")
        .app_host(prism.url())
        .allow_plain_http(true)
        .brand(genauth::Brand::Authing)
        .build()
        .expect("client");
    let answer = client.verify_mfa_token("mfa-token").await;
    assert!(
        answer.is_ok(),
        "{answer:?}\n\nPrism log:\n{}",
        prism.log_text()
    );
}

/// Without this, a Prism that accepted anything would pass the test above.
#[tokio::test(flavor = "multi_thread")]
async fn prism_rejects_requests_that_break_the_spec() {
    let Some(binary) = ensure_prism().await else {
        return;
    };
    let prism = Prism::start_on(&binary, &spec_path()).await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v3/signin-by-push", prism.url());
    let send = |request: reqwest::RequestBuilder| async move {
        request
            .send()
            .await
            .expect("Prism answers")
            .status()
            .as_u16()
    };

    let missing_account = http
        .post(&url)
        .header("x-genauth-app-id", "a")
        .header("content-type", "application/json")
        .body("{}");
    assert_eq!(send(missing_account).await, 422);
    let missing_app_id = http
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"account":"test"}"#);
    assert_eq!(send(missing_app_id).await, 401);
    let wrong_enum = http
        .post(format!("{}/api/v3/gene-qrcode", prism.url()))
        .header("x-genauth-app-id", "a")
        .header("content-type", "application/json")
        .body(r#"{"type":"FAX"}"#);
    assert_eq!(send(wrong_enum).await, 422);
    let fastpass_without_token = http
        .post(format!("{}/api/v3/gene-fastpass-qrcode-info", prism.url()))
        .header("x-genauth-app-id", "a")
        .header("content-type", "application/json")
        .body("{}");
    assert_eq!(send(fastpass_without_token).await, 401);
}
