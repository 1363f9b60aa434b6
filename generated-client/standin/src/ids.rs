//! Identifiers and tokens that look like the real service's.
//!
//! Randomness comes from the standard library's hasher keys rather than a
//! random-number crate: the values only need to differ between runs and be
//! hard to guess by accident, not to be secure. Every value also carries a
//! counter, so uniqueness never depends on the randomness.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// 64 bits that differ from call to call and from run to run.
///
/// Each `RandomState` gets fresh keys (per-process random, advanced on every
/// construction), so hashing the seed with a new one gives a new value.
pub(crate) fn random_u64(seed: u64) -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(seed);
    hasher.finish()
}

/// A 24-hex-digit identifier, shaped like the ObjectIds the real service uses
/// for push codes, QR codes and tickets; the last 8 digits are the counter.
pub(crate) fn object_id(counter: u64) -> String {
    format!("{:016x}{:08x}", random_u64(counter), counter & 0xffff_ffff)
}

/// A request ID in the UUID (version 4) form the real service returns; the
/// last 8 digits are the counter.
pub(crate) fn request_id(counter: u64) -> String {
    let high = random_u64(counter);
    let low = random_u64(!counter);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:04x}{:08x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0x0fff,
        0x8000 | (low >> 50),
        low & 0xffff,
        counter & 0xffff_ffff,
    )
}

/// A token such as `standin-refresh-3-9f2c…`: recognisably the stand-in's,
/// numbered so each issue differs, with random hex so none can be predicted.
pub(crate) fn token(kind: &str, counter: u64) -> String {
    format!(
        "standin-{kind}-{counter}-{:016x}{:016x}",
        random_u64(counter),
        random_u64(!counter)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_differ_and_have_their_shapes() {
        let a = object_id(1);
        let b = object_id(2);
        assert_ne!(a, b);
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));

        let id = request_id(7);
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(id.ends_with("00000007"));
        assert_ne!(request_id(7), request_id(7));

        assert!(token("access", 3).starts_with("standin-access-3-"));
        assert_ne!(token("access", 3), token("access", 3));
    }
}
