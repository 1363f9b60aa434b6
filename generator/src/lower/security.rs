//! Security schemes and the requirements operations place on them.

use indexmap::IndexMap;
use openapiv3::{APIKeyLocation, SecurityRequirement};

use super::Lowering;
use crate::diagnostic::Pointer;
use crate::model::{ApiKeyLocation, SecurityKind, SecurityScheme};
use crate::names::{self, Scope};

impl Lowering<'_> {
    /// `#/components/securitySchemes`, sorted by Rust name.
    pub(super) fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.spec.components else {
            return Vec::new();
        };
        let mut scope = Scope::default();
        let mut schemes = Vec::new();
        for (spec_name, scheme) in &components.security_schemes {
            let pointer = Pointer::root()
                .push("components")
                .push("securitySchemes")
                .push(spec_name);
            let Some((scheme, _)) =
                self.resolve(scheme, "securitySchemes", |c| &c.security_schemes, &pointer)
            else {
                continue;
            };
            let (kind, doc) = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => {
                    let location = match location {
                        APIKeyLocation::Header => ApiKeyLocation::Header,
                        APIKeyLocation::Query => ApiKeyLocation::Query,
                        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    };
                    let kind = SecurityKind::ApiKey {
                        location,
                        name: name.clone(),
                    };
                    (kind, description)
                }
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } => {
                    let kind = match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => SecurityKind::Bearer,
                        "basic" => SecurityKind::Basic,
                        _ => SecurityKind::OtherToken,
                    };
                    (kind, description)
                }
                openapiv3::SecurityScheme::OAuth2 { description, .. }
                | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                    (SecurityKind::OtherToken, description)
                }
            };
            let name = names::type_name(spec_name);
            schemes.push(SecurityScheme {
                name: self.claim(&mut scope, name, "", "security scheme", &pointer),
                spec_name: spec_name.clone(),
                doc: description_or_none(doc),
                kind,
            });
        }
        schemes.sort_by(|a, b| a.name.cmp(&b.name));
        schemes
    }

    /// An operation's security alternatives as Rust scheme names. An
    /// alternative naming a scheme that is not defined cannot be satisfied, so
    /// it is dropped with a warning.
    pub(super) fn security_requirements(
        &mut self,
        requirements: &[SecurityRequirement],
        schemes: &[SecurityScheme],
        pointer: &Pointer,
    ) -> Vec<Vec<String>> {
        let mut alternatives = Vec::new();
        for (index, requirement) in requirements.iter().enumerate() {
            match self.requirement(requirement, schemes) {
                Ok(names) => alternatives.push(names),
                Err(missing) => self.warning(
                    &pointer.push(index),
                    format!("security scheme `{missing}` is not defined in `#/components/securitySchemes`; this alternative is ignored"),
                ),
            }
        }
        alternatives
    }

    fn requirement(
        &self,
        requirement: &IndexMap<String, Vec<String>>,
        schemes: &[SecurityScheme],
    ) -> Result<Vec<String>, String> {
        requirement
            .keys()
            .map(|spec_name| {
                schemes
                    .iter()
                    .find(|s| &s.spec_name == spec_name)
                    .map(|s| s.name.clone())
                    .ok_or_else(|| spec_name.clone())
            })
            .collect()
    }
}

fn description_or_none(description: &Option<String>) -> Option<String> {
    description.clone().filter(|d| !d.trim().is_empty())
}
