//! Query parameters: their style, and what the client sends where the style
//! leaves a value undefined.

use openapiv3::ParameterData;

use super::Lowering;
use crate::diagnostic::Pointer;
use crate::model::{QueryStyle, TypeKind, TypeRef};

/// A query parameter's style and whether it is exploded: `form` is
/// exploded unless the spec says otherwise, and so is `deepObject`, which
/// OpenAPI defines only exploded; the delimited styles are not.
pub(super) fn style(style: &openapiv3::QueryStyle, data: &ParameterData) -> (QueryStyle, bool) {
    let style = match style {
        openapiv3::QueryStyle::Form => QueryStyle::Form,
        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
    };
    let explode = data
        .explode
        .unwrap_or(matches!(style, QueryStyle::Form | QueryStyle::DeepObject));
    (style, explode)
}

/// What a value of a type is made of, as far as the query cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A string, number, boolean or enum.
    Primitive,
    /// An array or object.
    Container,
    /// Any value, or one of several types.
    Unknown,
}

impl Lowering<'_> {
    /// One warning for everything about the query parameter at `pointer`
    /// that is not sent as its spec describes.
    pub(super) fn check_query(
        &mut self,
        pointer: &Pointer,
        name: &str,
        allow_reserved: bool,
        (style, explode): (QueryStyle, bool),
        ty: &TypeRef,
    ) {
        let mut reasons = Vec::new();
        if allow_reserved {
            reasons.push(
                "`allowReserved` is not honoured: reserved characters in the value are sent \
                 percent-encoded"
                    .to_owned(),
            );
        }
        if style == QueryStyle::DeepObject && !explode {
            reasons.push(format!(
                "OpenAPI defines `deepObject` only with `explode: true`; the parameter is sent \
                 exploded all the same, as `{name}[key]=value`"
            ));
        }
        if style != QueryStyle::DeepObject && self.holds_containers(ty) {
            reasons.push(format!(
                "`{}` has no form for arrays and objects inside the value; those inside are \
                 sent as their JSON text",
                style.spec_name()
            ));
        }
        if !reasons.is_empty() {
            self.warning(pointer, reasons.join("; "));
        }
    }

    /// Whether `ty` is an array or object with arrays or objects among its
    /// items or properties.
    fn holds_containers(&self, ty: &TypeRef) -> bool {
        let Some(ty) = self.resolved(ty) else {
            return false;
        };
        match ty {
            TypeRef::Array(item) | TypeRef::Map(item) => self.shape(item) == Shape::Container,
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(fields)) => fields
                    .iter()
                    .any(|field| self.shape(&field.ty) == Shape::Container),
                _ => false,
            },
            _ => false,
        }
    }

    fn shape(&self, ty: &TypeRef) -> Shape {
        let Some(ty) = self.resolved(ty) else {
            return Shape::Unknown;
        };
        match ty {
            TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Object => Shape::Container,
            TypeRef::Any => Shape::Unknown,
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(_)) => Shape::Container,
                Some(TypeKind::Enum(_)) => Shape::Primitive,
                _ => Shape::Unknown,
            },
            _ => Shape::Primitive,
        }
    }

    /// `ty` with aliases followed; `None` for a loop of aliases.
    fn resolved<'t>(&'t self, mut ty: &'t TypeRef) -> Option<&'t TypeRef> {
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Alias(next)) => ty = next,
                    _ => return Some(ty),
                },
                other => return Some(other),
            }
        }
        None
    }
}
