//! The CAS 2.0 `serviceValidate` response, in XML (as the protocol
//! defines it) or JSON (as GenAuth also offers it).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::envelope::json_response;
use crate::page::escape;

/// The format of a `serviceValidate` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `{"serviceResponse": …}`.
    Json,
    /// `<cas:serviceResponse>…`.
    Xml,
}

/// `authenticationSuccess` for `user` with `attributes`.
pub(crate) fn success(format: Format, user: &str, attributes: &Map<String, Value>) -> Response {
    match format {
        Format::Json => json_response(
            StatusCode::OK,
            &json!({
                "serviceResponse": {
                    "authenticationSuccess": { "user": user, "attributes": attributes },
                },
            }),
        ),
        Format::Xml => {
            let mut xml = format!(
                "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n\
                 <cas:authenticationSuccess>\n<cas:user>{}</cas:user>\n<cas:attributes>\n",
                escape(user)
            );
            for (name, value) in attributes {
                // XML has no null; absent attributes are how CAS says it.
                if let Some(text) = xml_text(value) {
                    xml.push_str(&format!("<cas:{name}>{}</cas:{name}>\n", escape(&text)));
                }
            }
            xml.push_str(
                "</cas:attributes>\n</cas:authenticationSuccess>\n</cas:serviceResponse>\n",
            );
            xml_response(xml)
        }
    }
}

/// `authenticationFailure` with a CAS error `code`.
pub(crate) fn failure(format: Format, code: &str, description: &str) -> Response {
    match format {
        Format::Json => json_response(
            StatusCode::OK,
            &json!({
                "serviceResponse": {
                    "authenticationFailure": { "code": code, "description": description },
                },
            }),
        ),
        Format::Xml => xml_response(format!(
            "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n\
             <cas:authenticationFailure code=\"{}\">{}</cas:authenticationFailure>\n\
             </cas:serviceResponse>\n",
            escape(code),
            escape(description)
        )),
    }
}

/// An attribute as element text; nested objects (the address) as JSON.
fn xml_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Object(fields) if fields.values().all(Value::is_null) => None,
        other => Some(other.to_string()),
    }
}

fn xml_response(xml: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}
