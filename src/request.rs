//! The export request: query `oas_version` plus the JSON body, parsed into a typed request.

use std::fmt;

use indexmap::IndexSet;
use serde_json::Value;

use crate::ApiError;

/// The document's dialect (query parameter `oas_version`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// Swagger 2.0 (`oas_version=2.0`, the default).
    #[default]
    Swagger2,
    /// OpenAPI 3.0 (`oas_version=3.0`).
    OpenApi3,
}

/// What the document contains (body field `define`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scope {
    /// The frontend definition (the default).
    #[default]
    Spec,
    /// Frontend plus backends.
    Proxy,
    /// Frontend, backends and the policies bound in the environment.
    All,
    /// Frontend plus backends of the draft definitions, published or not.
    Dev,
}

/// The file format (body field `type`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// JSON, file type `.json` (the default).
    #[default]
    Json,
    /// YAML, file type `.yaml`.
    Yaml,
    /// YAML, file type `.yml`.
    Yml,
}

/// Which output to produce for the same document: APIG's bytes, or the same document corrected
/// for validators.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// Byte for byte what APIG's current generator writes, quirks included (the default).
    #[default]
    Apig,
    /// The same document, corrected to pass OpenAPI validators with zero findings.
    Strict,
}

impl Profile {
    /// `apig` or `strict`.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Apig => "apig",
            Profile::Strict => "strict",
        }
    }

    /// Parses `apig` or `strict`.
    pub fn from_name(s: &str) -> Option<Profile> {
        match s {
            "apig" => Some(Profile::Apig),
            "strict" => Some(Profile::Strict),
            _ => None,
        }
    }
}

impl Dialect {
    /// The query value: `2.0` or `3.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Swagger2 => "2.0",
            Dialect::OpenApi3 => "3.0",
        }
    }

    /// Parses a query value (`2.0`, `3.0`).
    pub fn from_wire(s: &str) -> Option<Dialect> {
        match s {
            "2.0" => Some(Dialect::Swagger2),
            "3.0" => Some(Dialect::OpenApi3),
            _ => None,
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Scope {
    /// The body value: `spec`, `proxy`, `all` or `dev`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Spec => "spec",
            Scope::Proxy => "proxy",
            Scope::All => "all",
            Scope::Dev => "dev",
        }
    }

    /// Parses a body value.
    pub fn from_wire(s: &str) -> Option<Scope> {
        match s {
            "spec" => Some(Scope::Spec),
            "proxy" => Some(Scope::Proxy),
            "all" => Some(Scope::All),
            "dev" => Some(Scope::Dev),
            _ => None,
        }
    }

    /// Whether backends (`x-apigateway-backend`, `-backend-policies`, authorizer details) are in.
    pub(crate) fn has_backends(self) -> bool {
        self != Scope::Spec
    }

    /// Whether the policies bound in the environment are in.
    pub(crate) fn has_policies(self) -> bool {
        self == Scope::All
    }
}

impl Format {
    /// The body value: `json`, `yaml` or `yml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Yml => "yml",
        }
    }

    /// Parses a body value.
    pub fn from_wire(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "yaml" => Some(Format::Yaml),
            "yml" => Some(Format::Yml),
            _ => None,
        }
    }

    /// The file type APIG reports: `.json`, `.yaml` or `.yml`.
    pub fn file_type(self) -> &'static str {
        match self {
            Format::Json => ".json",
            Format::Yaml => ".yaml",
            Format::Yml => ".yml",
        }
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_str!(Dialect, Scope, Format);

/// Longest `version` accepted, in characters.
pub const MAX_VERSION_CHARS: usize = 64;

/// A validated export request.
///
/// Build one from the wire with [`ExportRequest::parse`], or in code with [`ExportRequest::new`]
/// and the `with_*` methods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRequest {
    dialect: Dialect,
    env_id: String,
    group_id: String,
    scope: Scope,
    format: Format,
    version: Option<String>,
    apis: Vec<String>,
}

impl ExportRequest {
    /// A request for every eligible API of `group_id` in `env_id`, with all defaults
    /// (Swagger 2.0, `spec`, JSON, the default version).
    pub fn new(group_id: impl Into<String>, env_id: impl Into<String>) -> ExportRequest {
        ExportRequest {
            dialect: Dialect::default(),
            env_id: env_id.into(),
            group_id: group_id.into(),
            scope: Scope::default(),
            format: Format::default(),
            version: None,
            apis: Vec::new(),
        }
    }

    /// Parses the query `oas_version` (`None` when absent) and the raw JSON body.
    ///
    /// Checks in this order and reports the first problem, as APIG does: the body is a JSON
    /// object (APIG.2000); `env_id`, then `group_id`, present and non-empty (APIG.2001; a
    /// non-string is APIG.2012); `define`, `type`, `version`, `apis` in the order they appear in
    /// the body (APIG.2012); then `oas_version` (APIG.2012). A member that is `null` counts as
    /// absent; unknown members are ignored. An empty `version` means the default.
    ///
    /// # Errors
    ///
    /// ```
    /// use apig_export::ExportRequest;
    ///
    /// let e = |q, b: &str| ExportRequest::parse(q, b.as_bytes()).unwrap_err().error_code().to_owned();
    /// assert_eq!(e(None, "[]"), "APIG.2000");
    /// assert_eq!(e(None, r#"{"env_id": "", "group_id": "g"}"#), "APIG.2001");
    /// assert_eq!(e(None, r#"{"env_id": "e", "group_id": "g", "define": "full"}"#), "APIG.2012");
    /// assert_eq!(e(Some("3.1"), r#"{"env_id": "e", "group_id": "g"}"#), "APIG.2012");
    /// ```
    pub fn parse(oas_version: Option<&str>, body: &[u8]) -> Result<ExportRequest, ApiError> {
        let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
            return Err(ApiError::parameter_error());
        };
        let mandatory = |name: &str| match body.get(name) {
            None | Some(Value::Null) => Err(ApiError::missing(name)),
            Some(Value::String(s)) if s.is_empty() => Err(ApiError::missing(name)),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(ApiError::invalid(name)),
        };
        let env_id = mandatory("env_id")?;
        let group_id = mandatory("group_id")?;
        let mut request = ExportRequest::new(group_id, env_id);
        for (name, value) in &body {
            if value.is_null() {
                continue;
            }
            let text = value.as_str();
            match name.as_str() {
                "define" => request.scope = text.and_then(Scope::from_wire).ok_or_else(|| ApiError::invalid(name))?,
                "type" => request.format = text.and_then(Format::from_wire).ok_or_else(|| ApiError::invalid(name))?,
                "version" => {
                    let version = text.ok_or_else(|| ApiError::invalid(name))?;
                    request = request.with_version(version)?;
                }
                "apis" => {
                    let ids = value
                        .as_array()
                        .and_then(|items| {
                            items.iter().map(|v| v.as_str().filter(|s| !s.is_empty())).collect::<Option<Vec<_>>>()
                        })
                        .ok_or_else(|| ApiError::invalid(name))?;
                    request = request.with_apis(ids);
                }
                _ => {}
            }
        }
        if let Some(q) = oas_version {
            request.dialect = Dialect::from_wire(q).ok_or_else(|| ApiError::invalid("oas_version"))?;
        }
        Ok(request)
    }

    /// Sets the dialect.
    pub fn with_dialect(mut self, dialect: Dialect) -> ExportRequest {
        self.dialect = dialect;
        self
    }

    /// Sets the scope.
    pub fn with_scope(mut self, scope: Scope) -> ExportRequest {
        self.scope = scope;
        self
    }

    /// Sets the format.
    pub fn with_format(mut self, format: Format) -> ExportRequest {
        self.format = format;
        self
    }

    /// Sets `info.version`; an empty string means the default (the export time).
    ///
    /// # Errors
    ///
    /// APIG.2012 (`parameterName:version`) when `version` has more than
    /// [`MAX_VERSION_CHARS`] characters or a control character.
    pub fn with_version(mut self, version: &str) -> Result<ExportRequest, ApiError> {
        if version.chars().count() > MAX_VERSION_CHARS || version.chars().any(char::is_control) {
            return Err(ApiError::invalid("version"));
        }
        self.version = (!version.is_empty()).then(|| version.to_owned());
        Ok(self)
    }

    /// Restricts the export to these API ids (duplicates count once; empty means every eligible API).
    pub fn with_apis<I, S>(mut self, ids: I) -> ExportRequest
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let unique: IndexSet<String> = ids.into_iter().map(Into::into).collect();
        self.apis = unique.into_iter().collect();
        self
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The environment id.
    pub fn env_id(&self) -> &str {
        &self.env_id
    }

    /// The group id.
    pub fn group_id(&self) -> &str {
        &self.group_id
    }

    /// The scope.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The requested `info.version`, if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The requested API ids, without duplicates, in request order (empty: every eligible API).
    pub fn apis(&self) -> &[String] {
        &self.apis
    }
}
