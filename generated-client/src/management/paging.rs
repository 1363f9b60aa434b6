//! Paged list operations as streams of their items: the next page is
//! fetched when the consumer has read the items of the last one.

use std::future::Future;
use std::pin::Pin;

use futures_core::Stream;

use crate::Error;

/// The items of a paged list operation, fetched page by page as the stream
/// is read; see the `items()` method of its request.
pub type Items<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// Where a walk through the pages stands.
struct Walk<R, T, F> {
    request: R,
    fetch: F,
    /// The next page to fetch.
    page: i64,
    /// Items received so far, against the total the server reports.
    seen: i64,
    /// The items of the last page not read yet.
    buffer: std::vec::IntoIter<T>,
    done: bool,
}

/// The items of `request`'s pages from `first` on; `fetch` gets one page
/// and answers with its items and the total count. The walk ends after a
/// page that is empty or brings the count to the total, or after an error.
pub(crate) fn items<'a, R, T, F, Fut>(request: R, first: i64, fetch: F) -> Items<'a, T>
where
    R: Clone + Send + 'a,
    T: Send + 'a,
    F: Fn(R, i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, i64), Error>> + Send + 'a,
{
    let walk = Walk {
        request,
        fetch,
        page: first.max(1),
        seen: 0,
        buffer: Vec::new().into_iter(),
        done: false,
    };
    Box::pin(futures_util::stream::unfold(walk, |mut walk| async move {
        loop {
            if let Some(item) = walk.buffer.next() {
                return Some((Ok(item), walk));
            }
            if walk.done {
                return None;
            }
            match (walk.fetch)(walk.request.clone(), walk.page).await {
                Ok((list, total)) => {
                    walk.page = walk.page.saturating_add(1);
                    walk.seen = walk
                        .seen
                        .saturating_add(i64::try_from(list.len()).unwrap_or(i64::MAX));
                    walk.done = list.is_empty() || walk.seen >= total;
                    walk.buffer = list.into_iter();
                }
                Err(error) => {
                    walk.done = true;
                    return Some((Err(error), walk));
                }
            }
        }
    }))
}
