//! The document tree → catalog data: one [`Parsed`] API per operation, with the names of the
//! objects it refers to, or the reason it cannot be imported.
//!
//! Reads both dialects and both profiles of the export (the Strict profile's `operationId`
//! escapes, path-variable spellings and `x-apigateway-request-path` included), and the spellings
//! APIG's importer tolerates: `in` and `origin` in any case, `request` for `param`, `equal` for
//! `exact`, numbers where text is expected, `basePath` joined to the paths.

use std::borrow::Cow;

use super::tree::{Map, Value};
use indexmap::IndexMap;

use super::yaml::number_text;
use crate::model::*;
use crate::quote::{Cut, Quoted};
use crate::Dialect;

/// Why one operation is not imported: APIG's code and a located message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl Fail {
    pub(crate) fn new(code: &'static str, message: String) -> Fail {
        Fail { code, message: crate::quote::truncate(message, 1024) }
    }

    /// APIG.2012 for a value that is wrong, naming the parameter and where it is.
    fn invalid(at: &At<'_>, name: &str, why: impl std::fmt::Display) -> Fail {
        Fail::new("APIG.2012", format!("Invalid parameter value,parameterName:{name}. {at}: {why}", name = Cut(name)))
    }
}

type Result<T> = std::result::Result<T, Fail>;

/// A value as text: strings as they are, numbers as JavaScript prints them, booleans as words.
pub(crate) fn text<'a>(v: &'a Value<'_>) -> Option<Cow<'a, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(number_text(n))),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
}

/// A member, `null` read as absent.
pub(crate) fn get<'v>(m: &'v Map<'v>, key: &str) -> Option<&'v Value<'v>> {
    m.get(key).filter(|v| !v.is_null())
}

/// Where something is in the document, for messages: `paths./a.get.parameters[1]`. A chain of
/// borrowed steps, so that reading a document costs no text for the locations; the text is
/// written only into a message.
#[derive(Clone, Copy, Debug)]
pub(crate) struct At<'a> {
    parent: Option<&'a At<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    /// The start, written as it is (`paths`, `x-apigateway-ratelimits`).
    Text(&'a str),
    /// A security scheme, by its name.
    Scheme(&'a str),
    /// A member: `.key`, the key cut for messages.
    Key(&'a str),
    /// An item of a list: `[i]`.
    Index(usize),
}

impl<'a> At<'a> {
    pub(crate) fn text(text: &'a str) -> At<'a> {
        At { parent: None, step: Step::Text(text) }
    }
    fn scheme(name: &'a str) -> At<'a> {
        At { parent: None, step: Step::Scheme(name) }
    }
    pub(crate) fn key<'b>(&'b self, key: &'b str) -> At<'b> {
        At { parent: Some(self), step: Step::Key(key) }
    }
    pub(crate) fn index(&self, i: usize) -> At<'_> {
        At { parent: Some(self), step: Step::Index(i) }
    }
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.step {
            Step::Text(text) => f.write_str(text),
            Step::Scheme(name) => write!(f, "security scheme {}", Cut(name)),
            Step::Key(key) => write!(f, ".{}", Cut(key)),
            Step::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// Reads the members of one object, each with its location.
struct Obj<'v, 'a> {
    map: &'v Map<'v>,
    at: At<'a>,
}

impl<'v, 'a> Obj<'v, 'a> {
    fn of(v: &'v Value<'v>, at: At<'a>, name: &str) -> Result<Obj<'v, 'a>> {
        match v {
            Value::Object(map) => Ok(Obj { map, at }),
            other => Err(Fail::invalid(&at, name, format!("expected an object, got {}", kind(other)))),
        }
    }

    fn get(&self, key: &str) -> Option<&'v Value<'v>> {
        get(self.map, key)
    }

    fn string(&self, key: &str) -> Result<Option<String>> {
        Ok(self.text(key)?.map(Cow::into_owned))
    }

    /// The member as text, borrowed where the document has it as text.
    fn text(&self, key: &str) -> Result<Option<Cow<'v, str>>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match text(v) {
                Some(t) => Ok(Some(t)),
                None => Err(Fail::invalid(&self.at.key(key), key, format!("expected text, got {}", kind(v)))),
            },
        }
    }

    /// The member as catalog text, empty when absent.
    fn string_or_empty(&self, key: &str) -> Result<Text> {
        Ok(match self.text(key)? {
            None => Text::default(),
            Some(Cow::Borrowed(t)) => t.into(),
            Some(Cow::Owned(t)) => t.into(),
        })
    }

    fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(Fail::invalid(&self.at.key(key), key, format!("expected a boolean, got {}", kind(v)))),
        }
    }

    /// A whole number ≥ 0 (a number or its text).
    fn unsigned(&self, key: &str) -> Result<Option<u64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => {
                let n = match v {
                    Value::Number(n) => n.as_u64().or_else(|| {
                        n.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f < 1.8e19).map(|f| f as u64)
                    }),
                    Value::String(s) => s.trim().parse::<u64>().ok(),
                    _ => None,
                };
                n.map(Some).ok_or_else(|| {
                    Fail::invalid(&self.at.key(key), key, format!("expected a whole number ≥ 0, got {}", shown(v)))
                })
            }
        }
    }

    /// A whole number (fractions cut towards zero).
    fn signed(&self, key: &str) -> Result<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => {
                #[allow(clippy::cast_possible_truncation)]
                let n = match v {
                    Value::Number(n) => {
                        n.as_i64().or_else(|| n.as_f64().filter(|f| f.abs() < 9.2e18).map(|f| f as i64))
                    }
                    Value::String(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                };
                n.map(Some).ok_or_else(|| {
                    Fail::invalid(&self.at.key(key), key, format!("expected a whole number, got {}", shown(v)))
                })
            }
        }
    }

    fn list(&self, key: &str) -> Result<&'v [Value<'v>]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(v) => Err(Fail::invalid(&self.at.key(key), key, format!("expected a list, got {}", kind(v)))),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>> {
        self.list(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                text(v).map(Cow::into_owned).ok_or_else(|| {
                    Fail::invalid(&self.at.key(key).index(i), key, format!("expected text, got {}", kind(v)))
                })
            })
            .collect()
    }

    fn obj<'s>(&'s self, key: &'s str) -> Result<Option<Obj<'v, 's>>> {
        self.get(key).map(|v| Obj::of(v, self.at.key(key), key)).transpose()
    }

    /// An enumerated value, matched without regard to case; `None` when absent or empty.
    fn choice<T: Copy>(&self, key: &str, values: &[(&str, T)]) -> Result<Option<T>> {
        let Some(t) = self.text(key)? else { return Ok(None) };
        if t.is_empty() {
            return Ok(None);
        }
        values.iter().find(|(name, _)| name.eq_ignore_ascii_case(&t)).map(|(_, v)| Some(*v)).ok_or_else(|| {
            let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
            Fail::invalid(&self.at.key(key), key, format!("{} is not one of {}", Quoted(&t), names.join(", ")))
        })
    }
}

pub(crate) fn kind(v: &Value<'_>) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn shown(v: &Value<'_>) -> String {
    match text(v) {
        Some(t) => Quoted(&t).to_string(),
        None => kind(v).to_owned(),
    }
}

/// The security scheme an operation names, as the document defines it.
#[derive(Debug, Clone)]
pub(crate) enum Scheme<'v> {
    App {
        header: bool,
    },
    Iam,
    /// A custom authorizer: the scheme's name and, in `proxy`/`all`, its details.
    Authorizer(String, Option<&'v Map<'v>>),
}

/// What the root of the document offers every operation.
pub(crate) struct Root<'v> {
    pub(crate) dialect: Dialect,
    pub(crate) base_path: String,
    pub(crate) schemes: IndexMap<String, Scheme<'v>>,
    pub(crate) ratelimits: Option<&'v Map<'v>>,
    pub(crate) access_controls: Option<&'v Map<'v>>,
    pub(crate) responses: Option<&'v Map<'v>>,
    pub(crate) security: Option<&'v Value<'v>>,
    pub(crate) servers: Option<&'v Value<'v>>,
}

/// An operation of the document: where it is and its method.
pub(crate) struct OpRef<'v> {
    pub(crate) path: &'v str,
    pub(crate) method: Option<Method>,
    pub(crate) op: &'v Value<'v>,
    pub(crate) item: &'v Map<'v>,
}

/// One operation read into an API draft, with the names of what it refers to.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub(crate) api: Api,
    /// `AUTHORIZER`: the scheme's name and details.
    pub(crate) authorizer: Option<(String, Option<Authorizer>)>,
    pub(crate) vpc_channels: Vec<(Place, String)>,
    /// Per request parameter (index), orchestration rule names.
    pub(crate) orchestrations: Vec<(usize, Vec<String>)>,
    pub(crate) throttle: Option<String>,
    pub(crate) acl: Option<String>,
    pub(crate) plugins: Vec<String>,
    pub(crate) response: Option<String>,
}

/// Which backend a VPC channel name belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place {
    Default,
    Policy(usize),
}

pub(crate) const METHOD_KEYS: [(&str, Method); 8] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("x-apigateway-any-method", Method::Any),
];

/// The operations of `paths`, in document order: `method` is `None` for an operation APIG has
/// no method for (`trace`), which is ignored.
pub(crate) fn operations<'v>(paths: &'v Map<'v>) -> std::result::Result<Vec<OpRef<'v>>, (String, String)> {
    let mut ops = Vec::new();
    for (path, item) in paths {
        let Value::Object(map) = item else {
            if item.is_null() {
                continue;
            }
            return Err((format!("paths.{}", Cut(path)), format!("expected an object, got {}", kind(item))));
        };
        for (key, op) in map {
            let method = METHOD_KEYS.iter().find(|(k, _)| *k == key).map(|(_, m)| *m);
            if method.is_some() || key == "trace" {
                if op.is_null() {
                    continue;
                }
                ops.push(OpRef { path, method, op, item: map });
            }
        }
    }
    Ok(ops)
}

impl<'v> Root<'v> {
    /// Reads what the root offers; `Err` locates a root member that is malformed.
    pub(crate) fn read(doc: &'v Map<'v>, dialect: Dialect) -> std::result::Result<Root<'v>, (String, String)> {
        let object =
            |v: Option<&'v Value<'v>>, at: &str| -> std::result::Result<Option<&'v Map<'v>>, (String, String)> {
                match v {
                    None => Ok(None),
                    Some(Value::Object(m)) => Ok(Some(m)),
                    Some(other) => Err((at.to_owned(), format!("expected an object, got {}", kind(other)))),
                }
            };
        let components = object(get(doc, "components"), "components")?;
        let (schemes_at, schemes, ext) = match dialect {
            Dialect::Swagger2 => {
                ("securityDefinitions", object(get(doc, "securityDefinitions"), "securityDefinitions")?, Some(doc))
            }
            _ => (
                "components.securitySchemes",
                match components {
                    Some(c) => object(get(c, "securitySchemes"), "components.securitySchemes")?,
                    None => None,
                },
                components,
            ),
        };
        let prefix = if dialect == Dialect::Swagger2 { "" } else { "components." };
        let ext_map = |key: &str| -> std::result::Result<Option<&'v Map<'v>>, (String, String)> {
            match ext {
                Some(e) => object(get(e, key), &format!("{prefix}{key}")),
                None => Ok(None),
            }
        };
        let mut root = Root {
            dialect,
            base_path: String::new(),
            schemes: IndexMap::new(),
            ratelimits: ext_map("x-apigateway-ratelimits")?,
            access_controls: ext_map("x-apigateway-access-controls")?,
            // 2.0 puts it at the root (appended), 3.0 in components; read either.
            responses: match ext_map("x-apigateway-responses")? {
                Some(r) => Some(r),
                None => object(get(doc, "x-apigateway-responses"), "x-apigateway-responses")?,
            },
            security: get(doc, "security"),
            servers: get(doc, "servers"),
        };
        if dialect == Dialect::Swagger2 {
            if let Some(b) = get(doc, "basePath") {
                let b = text(b).ok_or(("basePath".to_owned(), format!("expected text, got {}", kind(b))))?;
                let b = b.trim_end_matches('/');
                root.base_path = if b.is_empty() || b.starts_with('/') { b.to_owned() } else { format!("/{b}") };
            }
        }
        for (name, scheme) in schemes.into_iter().flatten() {
            let at = format!("{schemes_at}.{}", Cut(name));
            let Value::Object(s) = scheme else {
                return Err((at, format!("expected an object, got {}", kind(scheme))));
            };
            let auth_type = get(s, "x-apigateway-auth-type").and_then(text).unwrap_or_default();
            let header = get(s, "x-apigateway-auth-opt")
                .and_then(|o| o.as_object())
                .and_then(|o| get(o, "appcode-auth-type"))
                .and_then(text)
                .is_some_and(|t| t.eq_ignore_ascii_case("header"));
            let parsed = if auth_type.eq_ignore_ascii_case("AppSigv1") || auth_type.eq_ignore_ascii_case("APP") {
                Scheme::App { header }
            } else if auth_type.eq_ignore_ascii_case("IAM") || auth_type.eq_ignore_ascii_case("IAM_NONE") {
                Scheme::Iam
            } else if auth_type.eq_ignore_ascii_case("AUTHORIZER") {
                let details = match get(s, "x-apigateway-authorizer") {
                    None => None,
                    Some(Value::Object(m)) => Some(m),
                    Some(other) => {
                        return Err((
                            format!("{at}.x-apigateway-authorizer"),
                            format!("expected an object, got {}", kind(other)),
                        ))
                    }
                };
                Scheme::Authorizer(name.to_owned(), details)
            } else {
                // A scheme APIG does not know (OAuth, basic, …): an operation naming it fails.
                continue;
            };
            root.schemes.insert(name.to_owned(), parsed);
        }
        Ok(root)
    }

    /// The fixed schemes every export defines, known even when a document leaves them out.
    fn scheme(&self, name: &str) -> Option<Scheme<'v>> {
        if let Some(s) = self.schemes.get(name) {
            return Some(s.clone());
        }
        match name {
            "apig-auth-app" => Some(Scheme::App { header: false }),
            "apig-auth-app-header" => Some(Scheme::App { header: true }),
            "apig-auth-iam" => Some(Scheme::Iam),
            _ => None,
        }
    }
}

/// Reads one operation. `mock` replaces its backend with a mock one (the `mock_mode` option).
pub(crate) fn operation(root: &Root<'_>, op: &OpRef<'_>, method: Method, mock: bool) -> Result<Parsed> {
    let method_key = METHOD_KEYS.iter().find(|(_, m)| *m == method).map_or("get", |(k, _)| *k);
    let paths_at = At::text("paths");
    let path_at = paths_at.key(op.path);
    let at = path_at.key(method_key);
    let o = Obj::of(op.op, at, method_key)?;
    let mut api = Api { req_method: method, ..Api::default() };

    // Name: the operationId, or the Strict profile's summary it escapes.
    let operation_id = o.string("operationId")?.filter(|s| !s.is_empty()).ok_or_else(|| {
        Fail::new(
            "APIG.2001",
            format!(
                "The request parameters must be specified,parameterName:operationId. {}: the API name is its operationId",
                at
            ),
        )
    })?;
    api.name = match o.string("summary")? {
        Some(summary) if summary != operation_id && crate::render::strict_operation_id(&summary) == operation_id => {
            summary.into()
        }
        _ => operation_id.into(),
    };
    api.remark = o.string_or_empty("description")?;
    api.tags = o.strings("tags")?.into_iter().map(Text::from).collect();
    api.api_type =
        match o.choice("x-apigateway-request-type", &[("public", ApiType::Public), ("private", ApiType::Private)])? {
            Some(t) => t,
            None => ApiType::Public,
        };
    api.cors = o.bool("x-apigateway-cors")?.unwrap_or(false);
    api.match_mode = o
        .choice("x-apigateway-match-mode", &[("NORMAL", MatchMode::Normal), ("SWA", MatchMode::Swa)])?
        .unwrap_or_default();
    api.is_send_fg_body_base64 = o.bool("x-apigateway-is-send-fg-body-base64")?;
    api.req_protocol = protocol(root, &o)?;
    const CONTENT_TYPES: [(&str, ContentType); 4] = [
        ("application/json", ContentType::Json),
        ("application/xml", ContentType::Xml),
        ("multipart/form-data", ContentType::FormData),
        ("text/plain", ContentType::Text),
    ];
    api.content_type = o.choice("x-apigateway-content-type", &CONTENT_TYPES)?;
    if root.dialect == Dialect::OpenApi3 {
        if let Some(body) = o.obj("requestBody")? {
            if let Some(content) = body.obj("content")? {
                if let Some((media, value)) = content.map.iter().next() {
                    if let Some((_, t)) = CONTENT_TYPES.iter().find(|(n, _)| n.eq_ignore_ascii_case(media)) {
                        api.content_type = Some(*t);
                    }
                    let media_at = content.at.key(media);
                    let media_obj = Obj::of(value, media_at, "content")?;
                    let schema = media_obj.obj("schema")?;
                    if let Some(example) = schema.as_ref().and_then(|s| s.get("example")) {
                        api.body_remark = match text(example) {
                            Some(t) => t.into_owned().into(),
                            None => example.to_string().into(),
                        };
                    }
                }
            }
        }
    }
    samples(&o, &mut api)?;

    // Security.
    let security = o.get("security").or(root.security);
    let scheme_name = match security {
        None => None,
        Some(Value::Array(reqs)) => match reqs.first() {
            None => None,
            Some(Value::Object(req)) => req.keys().next().map(str::to_owned),
            Some(other) => {
                return Err(Fail::invalid(
                    &at.key("security"),
                    "security",
                    format!("expected an object, got {}", kind(other)),
                ))
            }
        },
        Some(other) => {
            return Err(Fail::invalid(&at.key("security"), "security", format!("expected a list, got {}", kind(other))))
        }
    };
    let mut authorizer = None;
    if let Some(name) = scheme_name {
        match root.scheme(&name) {
            Some(Scheme::App { header }) => {
                api.auth_type = AuthType::App;
                if header {
                    api.auth_opt.app_code_auth_type = AppCodeAuthType::Header;
                }
            }
            Some(Scheme::Iam) => api.auth_type = AuthType::Iam,
            Some(Scheme::Authorizer(name, details)) => {
                api.auth_type = AuthType::Authorizer;
                let details = details.map(|d| authorizer_doc(&Obj { map: d, at: At::scheme(&name) })).transpose()?;
                authorizer = Some((name, details));
            }
            None => {
                return Err(Fail::new(
                    "APIG.3081",
                    format!(
                        "The custom authorizer does not exist. {}: security scheme {} is not defined",
                        at.key("security"),
                        Quoted(&name)
                    ),
                ))
            }
        }
    }

    // Path, and the Strict profile's spellings of its variables.
    let path = format!("{}{}", root.base_path, op.path);
    let request_path = o.string("x-apigateway-request-path")?.filter(|p| !p.is_empty());
    let renamed = match &request_path {
        Some(original) => {
            let written = crate::model::path_variables(&path).unwrap_or_default();
            let stored = crate::model::path_variables(original).unwrap_or_default();
            if written.len() != stored.len() {
                return Err(Fail::new(
                    "APIG.2026",
                    format!(
                        "The path parameters do not match the path. {}: {} and path {} have different variables",
                        at.key("x-apigateway-request-path"),
                        Quoted(original),
                        Quoted(&path)
                    ),
                ));
            }
            written
                .into_iter()
                .map(str::to_owned)
                .zip(stored.into_iter().map(Text::from))
                .collect::<IndexMap<String, Text>>()
        }
        None => IndexMap::new(),
    };
    api.req_uri = request_path.unwrap_or(path).into();

    // Request parameters: the path item's, then the operation's (which win).
    let mut params: IndexMap<(Text, ParamLocation), (ReqParam, Vec<String>)> = IndexMap::new();
    let item = Obj { map: op.item, at: path_at };
    for (list, list_at) in
        [(item.list("parameters")?, item.at.key("parameters")), (o.list("parameters")?, at.key("parameters"))]
    {
        for (i, p) in list.iter().enumerate() {
            let p_at = list_at.index(i);
            let Some((mut param, orchestrations)) = parameter(root, p, &p_at)? else { continue };
            if param.location == ParamLocation::Path {
                if let Some(original) = renamed.get(param.name.as_str()) {
                    param.name.clone_from(original);
                }
            }
            params.insert((param.name.clone(), param.location), (param, orchestrations));
        }
    }
    let mut orchestrations = Vec::new();
    for (i, (_, (param, names))) in params.into_iter().enumerate() {
        if !names.is_empty() {
            orchestrations.push((i, names));
        }
        api.req_params.push(param);
    }
    check_path(&api, &at)?;

    // Backend.
    let mut vpc_channels = Vec::new();
    match (mock, o.obj("x-apigateway-backend")?) {
        (false, Some(b)) => {
            let (kind, vpc) = backend(&b, &mut api)?;
            api.backend_type = kind;
            if let Some(name) = vpc {
                vpc_channels.push((Place::Default, name));
            }
            api.backend_params = backend_params(&b)?;
            let policies_at = at.key("x-apigateway-backend-policies");
            for (i, p) in o.list("x-apigateway-backend-policies")?.iter().enumerate() {
                let p = Obj::of(p, policies_at.index(i), "x-apigateway-backend-policies")?;
                if let Some(name) = policy(&p, &mut api)? {
                    vpc_channels.push((Place::Policy(api.policy_https.len() - 1), name));
                }
            }
        }
        _ => {
            // No backend in the document (`spec`), or mock mode: a mock backend.
            api.backend_type = BackendType::Mock;
            api.mock_info = Some(MockInfo::default());
        }
    }
    restore_references(&mut api, &renamed);
    check_references(&api, &at)?;

    let plugins = o.strings("x-apigateway-plugins")?;
    Ok(Parsed {
        throttle: o.string("x-apigateway-ratelimit")?.filter(|s| !s.is_empty()),
        acl: o.string("x-apigateway-access-control")?.filter(|s| !s.is_empty()),
        response: o.string("x-apigateway-response")?.filter(|s| !s.is_empty()),
        plugins,
        api,
        authorizer,
        vpc_channels,
        orchestrations,
    })
}

/// The frontend protocol: 2.0 `schemes`, 3.0 the operation's `servers` (else the root's).
fn protocol(root: &Root<'_>, o: &Obj<'_, '_>) -> Result<ReqProtocol> {
    let names: Vec<String> = match root.dialect {
        Dialect::Swagger2 => o.strings("schemes")?,
        _ => {
            let servers = match o.get("servers").or(root.servers) {
                Some(Value::Array(list)) => list.as_slice(),
                _ => &[],
            };
            servers
                .iter()
                .filter_map(|s| s.as_object().and_then(|s| get(s, "url")).and_then(text))
                .filter_map(|url| url.split_once("://").map(|(scheme, _)| scheme.to_owned()))
                .collect()
        }
    };
    let http = names.iter().any(|n| n.eq_ignore_ascii_case("http"));
    let https = names.iter().any(|n| n.eq_ignore_ascii_case("https"));
    Ok(match (http, https) {
        (true, true) => ReqProtocol::Both,
        (true, false) => ReqProtocol::Http,
        _ => ReqProtocol::Https,
    })
}

fn samples(o: &Obj<'_, '_>, api: &mut Api) -> Result<()> {
    let Some(responses) = o.obj("responses")? else { return Ok(()) };
    let read = |r: &Obj<'_, '_>, api: &mut Api| -> Result<bool> {
        let normal = r.string("x-apigateway-result-normal-sample")?;
        let failure = r.string("x-apigateway-result-failure-sample")?;
        let found = normal.is_some() || failure.is_some();
        api.result_normal_sample = normal.unwrap_or_default().into();
        api.result_failure_sample = failure.unwrap_or_default().into();
        Ok(found)
    };
    if read(&responses, api)? {
        return Ok(());
    }
    for (key, response) in responses.map {
        if let Value::Object(_) = response {
            let r = Obj::of(response, responses.at.key(key), key)?;
            if read(&r, api)? {
                return Ok(());
            }
        }
    }
    Ok(())
}

const LOCATIONS: [(&str, ParamLocation); 4] = [
    ("header", ParamLocation::Header),
    ("path", ParamLocation::Path),
    ("query", ParamLocation::Query),
    ("cookie", ParamLocation::Cookie),
];

/// One request parameter and its orchestration rule names; `None` for the locations APIG does
/// not import (`body`, `formData`).
fn parameter(root: &Root<'_>, v: &Value<'_>, at: &At<'_>) -> Result<Option<(ReqParam, Vec<String>)>> {
    let p = Obj::of(v, *at, "parameters")?;
    if p.get("$ref").is_some() {
        return Err(Fail::invalid(at, "parameters", "$ref parameters are not supported: write the parameter out"));
    }
    let location = p.text("in")?.unwrap_or_default();
    if location.eq_ignore_ascii_case("body") || location.eq_ignore_ascii_case("formData") {
        return Ok(None);
    }
    let location = p.choice("in", &LOCATIONS)?.ok_or_else(|| Fail::invalid(&at.key("in"), "in", "must be set"))?;
    let name = p
        .string("name")?
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Fail::invalid(&at.key("name"), "name", "must be set"))?;
    // 2.0 keeps the schema on the parameter, 3.0 in `schema`.
    let schema = match root.dialect {
        Dialect::Swagger2 => Obj { map: p.map, at: *at },
        _ => p.obj("schema")?.unwrap_or(Obj { map: p.map, at: *at }),
    };
    let kind = schema.text("type")?.unwrap_or_default();
    let param_type = if ["integer", "long", "float", "double", "number"].iter().any(|n| n.eq_ignore_ascii_case(&kind)) {
        ParamType::Number
    } else {
        ParamType::String
    };
    let default_value = schema.get("default").and_then(text).map(Cow::into_owned).unwrap_or_default();
    let enumerations = schema.list("enum")?.iter().filter_map(text).collect::<Vec<_>>().join(",");
    let sample = match root.dialect {
        Dialect::Swagger2 => p.string("x-apigateway-sample")?,
        _ => p.get("example").and_then(text).map(Cow::into_owned),
    };
    let required = p.bool("required")?.unwrap_or(false) || location == ParamLocation::Path;
    let param = ReqParam {
        name: name.into(),
        param_type,
        location,
        default_value: default_value.into(),
        sample_value: sample.unwrap_or_default().into(),
        required: if required { Requirement::Required } else { Requirement::Optional },
        remark: p.string_or_empty("description")?,
        enumerations: enumerations.into(),
        max_num: schema.signed("maximum")?.unwrap_or(0),
        min_num: schema.signed("minimum")?.unwrap_or(0),
        max_size: schema.unsigned("maxLength")?.unwrap_or(0),
        min_size: schema.unsigned("minLength")?.unwrap_or(0),
        pass_through: match p
            .choice("x-apigateway-pass-through", &[("always", PassThrough::Always), ("never", PassThrough::Never)])?
        {
            Some(v) => v,
            None => PassThrough::Always,
        },
        ..ReqParam::default()
    };
    Ok(Some((param, p.strings("x-apigateway-orchestrations")?)))
}

/// Every `{variable}` of the path is a PATH parameter, and the other way round (APIG.2026).
fn check_path(api: &Api, at: &At<'_>) -> Result<()> {
    let vars = crate::model::path_variables(&api.req_uri)
        .map_err(|e| Fail::new("APIG.2012", format!("Invalid parameter value,parameterName:req_uri. {at}: {e}")))?;
    let declared: indexmap::IndexSet<&str> =
        api.req_params.iter().filter(|p| p.location == ParamLocation::Path).map(|p| p.name.as_str()).collect();
    let used: indexmap::IndexSet<&str> = vars.iter().copied().collect();
    let mismatch =
        |what: String| Fail::new("APIG.2026", format!("The path parameters do not match the path. {at}: {what}"));
    if let Some(v) = used.iter().find(|v| !declared.contains(*v)) {
        return Err(mismatch(format!("variable {} of {} is not a path parameter", Quoted(v), Quoted(&api.req_uri))));
    }
    if let Some(p) = declared.iter().find(|p| !used.contains(*p)) {
        return Err(mismatch(format!("path parameter {} is not in {}", Quoted(p), Quoted(&api.req_uri))));
    }
    Ok(())
}

/// Backend parameters and conditions name request parameters of the API (APIG.2028, 2027).
fn check_references(api: &Api, at: &At<'_>) -> Result<()> {
    let names: indexmap::IndexSet<&str> = api.req_params.iter().map(|p| p.name.as_str()).collect();
    let params = api.backend_params.iter().chain(
        api.policy_https
            .iter()
            .map(|p| &p.policy)
            .chain(api.policy_functions.iter().map(|p| &p.policy))
            .chain(api.policy_mocks.iter().map(|p| &p.policy))
            .flat_map(|p| &p.backend_params),
    );
    for p in params {
        if p.origin == BackendParamOrigin::Request && !names.contains(p.value.as_str()) {
            return Err(Fail::new(
                "APIG.2028",
                format!(
                    "The backend parameter is not mapped to a request parameter. {at}: backend parameter {} takes {}, which is not a request parameter",
                    Quoted(&p.name),
                    Quoted(&p.value)
                ),
            ));
        }
    }
    let conditions = api
        .policy_https
        .iter()
        .map(|p| &p.policy)
        .chain(api.policy_functions.iter().map(|p| &p.policy))
        .chain(api.policy_mocks.iter().map(|p| &p.policy))
        .flat_map(|p| &p.conditions);
    for c in conditions {
        if c.condition_origin == ConditionOrigin::Param && !names.contains(c.req_param_name.as_str()) {
            return Err(Fail::new(
                "APIG.2027",
                format!(
                    "The policy condition does not name a request parameter. {at}: condition on {} is not a request parameter",
                    Quoted(&c.req_param_name)
                ),
            ));
        }
    }
    Ok(())
}

/// References to path parameters the Strict profile renamed (a `REQUEST` backend parameter's
/// `value`, a `param` condition's `parameter`, in the backend and every backend policy) are
/// written under the written path's variable names: each is read back as the variable of
/// `x-apigateway-request-path` in the same place (`renamed`, written → APIG's).
fn restore_references(api: &mut Api, renamed: &IndexMap<String, Text>) {
    if renamed.iter().all(|(written, stored)| written == stored.as_str()) {
        return;
    }
    let back = |name: &mut Text| {
        if let Some(stored) = renamed.get(name.as_str()) {
            name.clone_from(stored);
        }
    };
    let policies = api
        .policy_https
        .iter_mut()
        .map(|p| &mut p.policy)
        .chain(api.policy_functions.iter_mut().map(|p| &mut p.policy))
        .chain(api.policy_mocks.iter_mut().map(|p| &mut p.policy));
    for policy in policies {
        for p in policy.backend_params.iter_mut().filter(|p| p.origin == BackendParamOrigin::Request) {
            back(&mut p.value);
        }
        for c in policy.conditions.iter_mut().filter(|c| c.condition_origin == ConditionOrigin::Param) {
            back(&mut c.req_param_name);
        }
    }
    for p in api.backend_params.iter_mut().filter(|p| p.origin == BackendParamOrigin::Request) {
        back(&mut p.value);
    }
}

const BACKEND_TYPES: [(&str, u8); 4] = [("HTTP", 0), ("HTTP-VPC", 1), ("FUNCTION", 2), ("MOCK", 3)];

/// The default backend into `api`; returns its kind and the VPC channel it names.
fn backend(b: &Obj<'_, '_>, api: &mut Api) -> Result<(BackendType, Option<String>)> {
    let kind = b
        .choice("type", &BACKEND_TYPES)?
        .ok_or_else(|| Fail::invalid(&b.at.key("type"), "backend_type", "must be set"))?;
    Ok(match kind {
        0 | 1 => {
            let (backend, vpc) = http(b, kind == 1, api.req_method)?;
            api.backend_api = Some(backend);
            (BackendType::Http, vpc)
        }
        2 => {
            api.func_info = Some(function(b)?);
            (BackendType::Function, None)
        }
        _ => {
            api.mock_info = Some(mock(b)?);
            (BackendType::Mock, None)
        }
    })
}

fn endpoints<'v, 'b>(b: &'b Obj<'v, '_>, key: &'b str) -> Result<Obj<'v, 'b>> {
    b.obj(key)?.ok_or_else(|| Fail::invalid(&b.at.key(key), key, "must be set for the backend's type"))
}

const METHOD_NAMES: [(&str, Method); 8] = [
    ("GET", Method::Get),
    ("POST", Method::Post),
    ("PUT", Method::Put),
    ("DELETE", Method::Delete),
    ("HEAD", Method::Head),
    ("PATCH", Method::Patch),
    ("OPTIONS", Method::Options),
    ("ANY", Method::Any),
];

fn http(b: &Obj<'_, '_>, vpc: bool, method: Method) -> Result<(BackendApi, Option<String>)> {
    let e = endpoints(b, if vpc { "httpVpcEndpoints" } else { "httpEndpoints" })?;
    let mut backend = BackendApi {
        req_protocol: e
            .choice(
                "scheme",
                &[
                    ("http", BackendProtocol::Http),
                    ("https", BackendProtocol::Https),
                    ("grpcs", BackendProtocol::Grpcs),
                ],
            )?
            .unwrap_or(BackendProtocol::Https),
        remark: e.string_or_empty("description")?,
        req_method: e.choice("method", &METHOD_NAMES)?.unwrap_or(method),
        req_uri: e.string_or_empty("path")?,
        timeout: e.unsigned("timeout")?.unwrap_or(5000),
        enable_client_ssl: e.bool("enableClientSsl")?.unwrap_or(false),
        retry_count: e.string("retryCount")?.map(Text::from),
        ..BackendApi::default()
    };
    if vpc {
        let name = e.string("name")?.filter(|n| !n.is_empty()).ok_or_else(|| {
            Fail::invalid(&e.at.key("name"), "vpc_channel_info", "the VPC channel's name must be set")
        })?;
        backend.vpc_channel_status = VpcChannelUse::Channel;
        backend.vpc_channel_info = Some(VpcChannelInfo {
            vpc_channel_id: Text::default(),
            vpc_channel_proxy_host: e.string_or_empty("host")?,
            cascade_flag: e.bool("cascade_flag")?.unwrap_or(false),
        });
        Ok((backend, Some(name)))
    } else {
        backend.url_domain = e.string_or_empty("address")?;
        Ok((backend, None))
    }
}

fn function(b: &Obj<'_, '_>) -> Result<FuncInfo> {
    let e = endpoints(b, "functionEndpoints")?;
    let urn = e.string("function-urn")?.filter(|u| !u.is_empty()).ok_or_else(|| {
        Fail::new(
            "APIG.3019",
            format!("The function URN does not exist. {}: function-urn must be set", e.at.key("function-urn")),
        )
    })?;
    Ok(FuncInfo {
        function_urn: urn.into(),
        remark: e.string_or_empty("description")?,
        invocation_type: e
            .choice("invocation-type", &[("sync", InvocationType::Sync), ("async", InvocationType::Async)])?
            .unwrap_or_default(),
        network_type: e
            .choice("network-type", &[("V1", NetworkType::V1), ("V2", NetworkType::V2)])?
            .unwrap_or_default(),
        version: e.string_or_empty("version")?,
        alias_urn: e.string_or_empty("alias-urn")?,
        timeout: e.unsigned("timeout")?.unwrap_or(5000),
        authorizer_id: None,
        req_protocol: e
            .choice("req_protocol", &[("HTTPS", FuncProtocol::Https), ("GRPCS", FuncProtocol::Grpcs)])?
            .unwrap_or_default(),
    })
}

fn mock(b: &Obj<'_, '_>) -> Result<MockInfo> {
    let e = endpoints(b, "mockEndpoints")?;
    let mut headers = Vec::new();
    let list_at = e.at.key("headers");
    for (i, h) in e.list("headers")?.iter().enumerate() {
        let h = Obj::of(h, list_at.index(i), "headers")?;
        headers.push(KeyValue { key: h.string_or_empty("key")?, value: h.string_or_empty("value")? });
    }
    let status_code = match e.unsigned("status-code")? {
        None => None,
        Some(s) => Some(
            u16::try_from(s)
                .map_err(|_| Fail::invalid(&e.at.key("status-code"), "status_code", "must be an HTTP status"))?,
        ),
    };
    Ok(MockInfo {
        remark: e.string_or_empty("description")?,
        result_content: e.string_or_empty("result-content")?,
        status_code,
        headers,
        authorizer_id: None,
    })
}

fn backend_params(b: &Obj<'_, '_>) -> Result<Vec<BackendParam>> {
    let mut out = Vec::new();
    let list_at = b.at.key("parameters");
    for (i, p) in b.list("parameters")?.iter().enumerate() {
        let p = Obj::of(p, list_at.index(i), "parameters")?;
        out.push(BackendParam {
            origin: p
                .choice(
                    "origin",
                    &[
                        ("REQUEST", BackendParamOrigin::Request),
                        ("CONSTANT", BackendParamOrigin::Constant),
                        ("SYSTEM", BackendParamOrigin::System),
                    ],
                )?
                .unwrap_or_default(),
            name: p.string_or_empty("name")?,
            remark: p.string_or_empty("description")?,
            location: p
                .choice(
                    "in",
                    &[
                        ("HEADER", BackendParamLocation::Header),
                        ("PATH", BackendParamLocation::Path),
                        ("QUERY", BackendParamLocation::Query),
                    ],
                )?
                .ok_or_else(|| Fail::invalid(&p.at.key("in"), "location", "must be set"))?,
            value: p.string_or_empty("value")?,
        });
    }
    Ok(out)
}

/// One backend policy into `api`; returns the VPC channel an HTTP-VPC policy names.
fn policy(p: &Obj<'_, '_>, api: &mut Api) -> Result<Option<String>> {
    let kind = p
        .choice("type", &BACKEND_TYPES)?
        .ok_or_else(|| Fail::invalid(&p.at.key("type"), "backend_type", "must be set"))?;
    let mut conditions = Vec::new();
    let list_at = p.at.key("conditions");
    for (i, c) in p.list("conditions")?.iter().enumerate() {
        let c = Obj::of(c, list_at.index(i), "conditions")?;
        conditions.push(condition(&c)?);
    }
    let common = PolicyCommon {
        name: p.string_or_empty("name")?,
        effect_mode: p.choice("effectMode", &[("ALL", EffectMode::All), ("ANY", EffectMode::Any)])?.unwrap_or_default(),
        backend_params: backend_params(p)?,
        conditions,
    };
    match kind {
        0 | 1 => {
            let (backend, vpc) = http(p, kind == 1, api.req_method)?;
            api.policy_https.push(PolicyHttp { policy: common, backend });
            Ok(vpc)
        }
        2 => {
            api.policy_functions.push(PolicyFunction { policy: common, function: function(p)? });
            Ok(None)
        }
        _ => {
            api.policy_mocks.push(PolicyMock { policy: common, mock: mock(p)? });
            Ok(None)
        }
    }
}

fn condition(c: &Obj<'_, '_>) -> Result<Condition> {
    const ORIGINS: [(&str, ConditionOrigin); 7] = [
        ("param", ConditionOrigin::Param),
        ("request", ConditionOrigin::Param),
        ("source", ConditionOrigin::Source),
        ("system", ConditionOrigin::System),
        ("cookie", ConditionOrigin::Cookie),
        ("frontend_authorizer", ConditionOrigin::FrontendAuthorizer),
        ("orchestration", ConditionOrigin::Orchestration),
    ];
    let origin = c.choice("origin", &ORIGINS)?.unwrap_or_default();
    let parameter = c.string_or_empty("parameter")?;
    let mut cond = Condition {
        condition_origin: origin,
        condition_type: c.choice(
            "type",
            &[
                ("exact", ConditionType::Exact),
                ("equal", ConditionType::Exact),
                ("enum", ConditionType::Enum),
                ("pattern", ConditionType::Pattern),
            ],
        )?,
        condition_value: c.string_or_empty("value")?,
        ..Condition::default()
    };
    match origin {
        ConditionOrigin::Param => cond.req_param_name = parameter,
        ConditionOrigin::System => cond.sys_param_name = parameter,
        ConditionOrigin::Cookie => cond.cookie_param_name = parameter,
        ConditionOrigin::FrontendAuthorizer => cond.frontend_authorizer_param_name = parameter,
        ConditionOrigin::Orchestration => {
            cond.mapped_param_name = c.string("mapped_param_name")?.map_or(parameter, Text::from);
            cond.mapped_param_location = c.string_or_empty("mapped_param_location")?;
        }
        ConditionOrigin::Source => cond.condition_type = None,
    }
    Ok(cond)
}

/// A custom authorizer from `x-apigateway-authorizer` (its name is the scheme's).
fn authorizer_doc(a: &Obj<'_, '_>) -> Result<Authorizer> {
    let mut identities = Vec::new();
    let list_at = a.at.key("identities");
    for (i, id) in a.list("identities")?.iter().enumerate() {
        let id = Obj::of(id, list_at.index(i), "identities")?;
        identities.push(Identity {
            name: id.string_or_empty("name")?,
            location: id
                .choice("location", &[("HEADER", IdentityLocation::Header), ("QUERY", IdentityLocation::Query)])?
                .unwrap_or_default(),
            validation: id.string_or_empty("validation")?,
        });
    }
    Ok(Authorizer {
        authorizer_kind: a
            .choice("type", &[("FRONTEND", AuthorizerKind::Frontend), ("BACKEND", AuthorizerKind::Backend)])?
            .unwrap_or_default(),
        authorizer_type: AuthorizerType::Func,
        authorizer_uri: a.string_or_empty("authorizer_uri")?,
        network_type: a
            .choice("network_type", &[("V1", NetworkType::V1), ("V2", NetworkType::V2)])?
            .unwrap_or_default(),
        authorizer_version: a.string_or_empty("authorizer_version")?,
        authorizer_alias_uri: a.string_or_empty("authorizer_alias_uri")?,
        identities,
        ttl: a.unsigned("ttl")?.unwrap_or(0),
        need_body: a.bool("need_body")?.unwrap_or(false),
        auth_downgrade_enabled: a.bool("auth_downgrade_enabled")?.unwrap_or(false),
        retry_attempts: a.unsigned("retry_attempts")?.unwrap_or(0),
        timeout: a.unsigned("timeout")?.unwrap_or(0),
        ..Authorizer::default()
    })
}

/// A throttling policy from an entry of `x-apigateway-ratelimits`.
pub(crate) fn throttle(name: &str, v: &Value<'_>, at: At<'_>) -> Result<Throttle> {
    let t = Obj::of(v, at, "x-apigateway-ratelimits")?;
    let mut specials = Vec::new();
    let list_at = t.at.key("special");
    for (i, s) in t.list("special")?.iter().enumerate() {
        let s = Obj::of(s, list_at.index(i), "special")?;
        specials.push(ThrottleSpecial {
            object_type: s
                .choice("type", &[("APP", SpecialType::App), ("USER", SpecialType::User)])?
                .unwrap_or_default(),
            object_id: s.string_or_empty("instance")?,
            call_limits: s.unsigned("limit")?.unwrap_or(0),
        });
    }
    Ok(Throttle {
        name: name.into(),
        throttle_type: if t.bool("shared")?.unwrap_or(false) { ThrottleType::Shared } else { ThrottleType::PerApi },
        api_call_limits: t.unsigned("api-limit")?.unwrap_or(0),
        user_call_limits: t.unsigned("user-limit")?,
        app_call_limits: t.unsigned("app-limit")?,
        ip_call_limits: t.unsigned("ip-limit")?,
        time_interval: t.unsigned("interval")?.unwrap_or(1),
        time_unit: t
            .choice(
                "unit",
                &[
                    ("SECOND", TimeUnit::Second),
                    ("MINUTE", TimeUnit::Minute),
                    ("HOUR", TimeUnit::Hour),
                    ("DAY", TimeUnit::Day),
                ],
            )?
            .unwrap_or_default(),
        specials,
        ..Throttle::default()
    })
}

/// An ACL policy from an entry of `x-apigateway-access-controls`.
pub(crate) fn acl(name: &str, v: &Value<'_>, at: At<'_>) -> Result<Acl> {
    let a = Obj::of(v, at, "x-apigateway-access-controls")?;
    Ok(Acl {
        id: Text::default(),
        acl_name: name.into(),
        acl_type: a.choice("acl-type", &[("PERMIT", AclType::Permit), ("DENY", AclType::Deny)])?.unwrap_or_default(),
        acl_value: a.string_or_empty("value")?,
        entity_type: a
            .choice(
                "entity-type",
                &[("IP", AclEntityType::Ip), ("DOMAIN", AclEntityType::Domain), ("DOMAIN_ID", AclEntityType::DomainId)],
            )?
            .unwrap_or_default(),
    })
}

/// The customised entries of a gateway response from an entry of `x-apigateway-responses`.
pub(crate) fn error_responses(v: &Value<'_>, at: At<'_>) -> Result<IndexMap<String, ErrorResponse>> {
    let r = Obj::of(v, at, "x-apigateway-responses")?;
    let mut out = IndexMap::new();
    for (kind, entry) in r.map {
        let e = Obj::of(entry, r.at.key(kind), kind)?;
        let body = match e.obj("body")? {
            Some(b) => match b.map.get("application/json").or_else(|| b.map.values().next()) {
                Some(v) => text(v).map(Cow::into_owned).unwrap_or_else(|| v.to_string()),
                None => String::new(),
            },
            None => String::new(),
        };
        let status = e.unsigned("status")?.unwrap_or(0);
        let status = u16::try_from(status)
            .map_err(|_| Fail::invalid(&e.at.key("status"), "status", "must be an HTTP status"))?;
        out.insert(kind.to_owned(), ErrorResponse { status, body: body.into(), headers: Vec::new(), default: false });
    }
    Ok(out)
}
