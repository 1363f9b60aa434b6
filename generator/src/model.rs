//! The generator's own model of an API: what the emitter needs, already named
//! for Rust and free of OpenAPI's indirections (`$ref`s are resolved, names
//! are unique, every type the operations use is listed).

/// An API ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// Security schemes, sorted by name.
    pub security_schemes: Vec<SecurityScheme>,
}

/// A named Rust type: a struct, an enum or an alias.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// Whether values of this type travel in requests, in responses, or both.
    pub usage: Usage,
    /// The cargo features that need this type, when operations are split
    /// into features by tag; empty when the type is always compiled.
    pub features: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string with a fixed set of values; unknown values are kept.
    Enum(Enum),
    /// One of several types (`oneOf`/`anyOf`); values of none of them are kept.
    Union(Union),
    /// Another name for a type.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The property whose value says which variant a value is, if the spec
    /// names one; otherwise a value is the first variant it fits.
    pub discriminator: Option<String>,
    /// Name of the variant that holds values that fit no other variant.
    pub unknown: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// The discriminator value that selects this variant.
    pub tag: Option<String>,
    /// Needs a `Box` to break a cycle of types containing each other.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub variants: Vec<Variant>,
    /// Name of the variant that holds values the spec does not list.
    pub unknown: String,
    /// Index of the variant the spec names as the default value.
    pub default: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    /// The value on the wire.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    /// May be `null` on the wire; with `required`, still always present.
    pub nullable: bool,
    /// Holds a secret, which `Debug` output must not show.
    pub sensitive: bool,
    /// Needs a `Box` to break a cycle of types containing each other.
    pub boxed: bool,
    /// The spec's `default`, shown in the documentation.
    pub default: Option<serde_json::Value>,
    /// A value the schema accepts: its `example`, or one made to fit its
    /// format and length (see [`Input::example`]).
    pub example: Option<serde_json::Value>,
    /// Holds the keys of the object that no other field names (its
    /// `additionalProperties` beside `properties`): a map, whose entries
    /// sit beside the other fields on the wire. It has no wire name.
    pub additional: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A reference to a type, as a field or parameter uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// Any JSON value.
    Any,
    /// A JSON object whose keys the spec does not list.
    Object,
    Array(Box<TypeRef>),
    /// A JSON object mapping arbitrary keys to values of one type.
    Map(Box<TypeRef>),
    /// A type from [`Api::types`].
    Named(String),
    /// A file sent as a part of a `multipart/form-data` body.
    File,
    /// A body of bytes, such as an image.
    Bytes,
}

/// Where a type is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub request: bool,
    pub response: bool,
}

/// One call of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId` (or one derived from the method and path).
    pub id: String,
    /// Name of the client method.
    pub method_name: String,
    /// Name of the request type the method returns.
    pub request_name: String,
    pub http_method: HttpMethod,
    /// Path template, such as `/api/v3/users/{userId}`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Safe to send again: an idempotent HTTP method, or marked
    /// `x-idempotent: true` in the spec.
    pub idempotent: bool,
    /// Parameters and body fields, in the order the method takes them.
    pub inputs: Vec<Input>,
    pub body: Option<Body>,
    /// What a successful call returns; `None` when the response has no body.
    pub response: Option<ResponseBody>,
    /// Alternatives, each a set of schemes used together (OpenAPI semantics).
    pub security: Vec<Vec<String>>,
    /// The spec's tags, which group operations.
    pub tags: Vec<String>,
    /// The cargo feature the operation is compiled under, when operations
    /// are split into features by tag.
    pub feature: Option<String>,
    /// How to walk its pages, for a list operation with paging inputs.
    pub paging: Option<Paging>,
}

/// The body of a successful response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// JSON, decoded as this type.
    Json(TypeRef),
    /// Text, of one of these media types.
    Text(Vec<String>),
    /// Bytes, of one of these media types.
    Binary(Vec<String>),
}

impl ResponseBody {
    /// The JSON type, if the body is JSON.
    pub fn json(&self) -> Option<&TypeRef> {
        match self {
            Self::Json(ty) => Some(ty),
            Self::Text(_) | Self::Binary(_) => None,
        }
    }
}

/// A list operation that takes a page number and a page size and answers
/// with a page of items and the total count.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// Where the page number and the page size go.
    pub inputs: PageInputs,
    /// The response field that holds the page (its Rust name, and whether
    /// it is an `Option`), or `None` when the page is the response itself.
    pub data: Option<(String, bool)>,
    /// The page's items and its total count: Rust name, `Option` or not.
    pub list: (String, bool),
    pub total: (String, bool),
    /// The type of one item.
    pub item: TypeRef,
}

/// Where a paged operation takes its page number and page size.
#[derive(Debug, Clone, PartialEq)]
pub enum PageInputs {
    /// Query parameters: the names of their inputs (and setters).
    Query { page: String, limit: String },
    /// Fields of the JSON body: the Rust names of the optional fields that
    /// lead from the body to the object holding them (each an `Option` of a
    /// type with a `Default`), and their own names in that object.
    Body {
        path: Vec<String>,
        page: String,
        limit: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }
}

/// Something the caller provides: a positional argument when required, a
/// setter on the request otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// Rust name of the argument and setter.
    pub name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub sensitive: bool,
    pub boxed: bool,
    pub source: InputSource,
    /// A value the parameter accepts: its `example`, or one made to fit
    /// its format and length; the contract test calls operations with it.
    pub example: Option<serde_json::Value>,
}

impl Input {
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    Path {
        wire_name: String,
    },
    Query {
        wire_name: String,
        style: QueryStyle,
        explode: bool,
    },
    Header {
        wire_name: String,
    },
    /// A field of the JSON body object.
    BodyField {
        field: String,
    },
    /// The whole body.
    Body,
    /// A part of a `multipart/form-data` body.
    Part {
        wire_name: String,
        kind: PartKind,
        /// The `contentType` the spec's `encoding` gives the part.
        content_type: Option<String>,
    },
}

/// How a query parameter's value is written: OpenAPI's `style`, which the
/// runtime's `QueryStyle` follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl QueryStyle {
    /// The style as the spec names it.
    pub fn spec_name(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::SpaceDelimited => "spaceDelimited",
            Self::PipeDelimited => "pipeDelimited",
            Self::DeepObject => "deepObject",
        }
    }

    /// The name of the runtime's `QueryStyle` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Form => "Form",
            Self::SpaceDelimited => "SpaceDelimited",
            Self::PipeDelimited => "PipeDelimited",
            Self::DeepObject => "DeepObject",
        }
    }
}

/// How a value becomes a part of a `multipart/form-data` body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A string, number or boolean, as text.
    Text,
    /// An object or array, as JSON.
    Json,
    /// A file, or files each sent as a part of the same name.
    Files,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The type of the body the request holds; for a `multipart/form-data`
    /// body, whose parts are inputs of their own, [`TypeRef::Any`].
    pub ty: TypeRef,
    /// The body is an object whose fields are inputs of their own.
    pub by_field: bool,
    pub encoding: BodyEncoding,
    /// The media type it is sent as.
    pub media_type: String,
    /// Other media types the spec offers that the same inputs can be sent
    /// as, if any.
    pub alternatives: Option<Alternatives>,
}

/// The media types a body can be sent as besides its default, each chosen
/// by a method of the request.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternatives {
    /// The request's field that holds the media type to send.
    pub field: String,
    pub offered: Vec<Alternative>,
}

/// A media type a body can be sent as instead of its default.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The request's method that chooses it.
    pub method: String,
    pub media_type: String,
    pub encoding: BodyEncoding,
    /// For `multipart/form-data`: the part each field of the body becomes.
    pub parts: Vec<BodyPart>,
}

/// A field of an object body sent as a part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyPart {
    /// Rust name of the body's field.
    pub field: String,
    pub wire_name: String,
    pub kind: PartKind,
    /// The `contentType` the spec's `encoding` gives the part.
    pub content_type: Option<String>,
}

/// How a request body is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json`
    Json,
    /// `application/x-www-form-urlencoded`
    Form,
    /// `multipart/form-data`, a part per input.
    Multipart,
    /// Bytes, such as `application/octet-stream` or `image/png`.
    Binary,
    /// Text, such as `text/plain`.
    Text,
}

/// A way the API authenticates calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Rust name of the variant.
    pub name: String,
    /// Name in the spec.
    pub spec_name: String,
    pub doc: Option<String>,
    pub kind: SecurityKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    ApiKey {
        location: ApiKeyLocation,
        name: String,
    },
    Bearer,
    Basic,
    /// OAuth 2, OpenID Connect or another HTTP scheme: a bearer token obtained elsewhere.
    OtherToken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}
