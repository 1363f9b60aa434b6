//! Fields and inputs that hold secrets are kept out of `Debug` output: those
//! the spec marks `format: password`, and strings whose names say they are
//! secrets.

mod common;

use common::config;

const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /sign-in:
    post:
      operationId: signIn
      parameters:
        - {name: X-Mfa-Token, in: header, schema: {type: string}}
        - {name: X-Request-Id, in: header, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                account: {type: string}
                passCode: {type: string}
                pin: {type: string, format: password}
      responses:
        '200':
          description: Tokens.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Tokens'}
components:
  schemas:
    Tokens:
      type: object
      required: [access_token, token_type]
      properties:
        access_token: {type: string}
        id_token: {type: string}
        refreshToken: {type: string}
        mfaToken: {type: string}
        recoveryCodes: {type: array, items: {type: string}}
        token_type: {type: string}
        expire_in: {type: integer}
        tokenExpiresIn: {type: string}
        code: {type: integer}
        ticket: {$ref: '#/components/schemas/Ticket'}
    Ticket:
      type: object
      properties:
        ticket: {type: string}
";

fn generated() -> String {
    match genauth_codegen::generate(SPEC, &config()) {
        Ok(generated) => generated
            .files
            .iter()
            .map(|f| f.contents.as_str())
            .collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn strings_named_like_secrets_are_redacted() {
    let text = generated();
    for field in [
        "access_token",
        "id_token",
        "refresh_token",
        "mfa_token",
        "recovery_codes",
        "pass_code",
        "pin",
        "x_mfa_token",
    ] {
        assert!(
            text.contains(&format!(".field(\"{field}\", &\"<redacted>\")"))
                || text.contains(&format!(
                    ".field(\"{field}\", &self.{field}.as_ref().map(|_| \"<redacted>\"))"
                )),
            "`{field}` is not redacted:\n{text}"
        );
    }
}

#[test]
fn other_fields_are_shown() {
    let text = generated();
    // Names about a token, numbers, and an object (whose own fields say
    // what is secret) are shown as they are.
    for field in [
        "token_type",
        "expire_in",
        "token_expires_in",
        "code",
        "ticket",
        "x_request_id",
    ] {
        assert!(
            text.contains(&format!(".field(\"{field}\", &self.{field})")),
            "`{field}` is redacted:\n{text}"
        );
    }
    assert!(
        text.contains("impl std::fmt::Debug for Ticket"),
        "a string `ticket` in `Ticket` is a secret:\n{text}"
    );
}
