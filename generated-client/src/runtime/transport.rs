//! Sending a request: the URL, the exchange itself, and every transport
//! failure turned into an [`Error`]. What a client adds to every request
//! (its own headers and credentials) comes from its `prepare` method.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;

use super::decode::Reply;
use super::{Client, Request, ResponseFuture};
use crate::Error;

impl Client {
    /// Sends `request` and decodes the JSON result.
    #[allow(
        dead_code,
        reason = "emitted by the generator only for specs that need it"
    )]
    pub(crate) fn send<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
    ) -> ResponseFuture<'_, T> {
        Box::pin(async move { self.execute(request).await?.json() })
    }

    /// Sends `request` for an operation whose response has no body.
    #[allow(
        dead_code,
        reason = "emitted by the generator only for specs that need it"
    )]
    pub(crate) fn send_empty(&self, request: Request) -> ResponseFuture<'_, ()> {
        Box::pin(async move { self.execute(request).await?.empty() })
    }

    /// The exchange itself, the same for every operation (and so compiled once).
    async fn execute(&self, request: Request) -> Result<Reply, Error> {
        let operation = request.operation;
        if let Some((input, source)) = request.problem {
            return Err(Error::Encode {
                operation: operation.name,
                input,
                source,
            });
        }

        let base = self.base_url();
        let mut url = base.clone();
        url.set_path(&format!(
            "{}{}",
            base.path().trim_end_matches('/'),
            request.path
        ));
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }

        let mut http = self.http().request(operation.method.clone(), url);
        http = self.prepare(operation, http)?;
        for (name, value) in request.headers {
            http = http.header(name, value);
        }
        if let Some((body, content_type)) = request.body {
            http = http.header(CONTENT_TYPE, content_type).body(body);
        }

        let timeout = self.timeout();
        let failed = |source: reqwest::Error| {
            if source.is_timeout() {
                Error::Timeout {
                    operation: operation.name,
                    after: timeout,
                }
            } else {
                // The URL may carry query values; the operation name says enough.
                Error::Network {
                    operation: operation.name,
                    source: source.without_url(),
                }
            }
        };
        let response = http.send().await.map_err(failed)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.bytes().await.map_err(failed)?;
        Ok(Reply {
            operation,
            status,
            retry_after,
            body: body.to_vec(),
        })
    }
}
