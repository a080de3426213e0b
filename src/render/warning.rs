//! What an export leaves out or changes, said once per loss and bounded by what caused it.
//!
//! A warning refers to its API through one shared record (the id, and the name cut to 80
//! characters) instead of copying it, and keeps the values it quotes cut to 80 characters with
//! their length in bytes, as catalog errors do; its text is written only when asked for ([`fmt::Display`]). An export
//! lists at most [`MAX_LISTED`] warnings, then one that counts the rest, so the warnings of any
//! catalog stay well under 1 MiB of text.

use std::fmt;
use std::sync::Arc;

use crate::model::Api;

/// Warnings an export lists; the rest are counted in one last warning.
pub(crate) const MAX_LISTED: usize = 1_000;

/// A value a warning quotes: at most 80 characters of it, and its length.
pub(crate) type Quoted = crate::quote::QuotedBuf;

/// The API a warning is about, shared by all its warnings.
#[derive(Debug, PartialEq, Eq)]
struct ApiRef {
    id: Box<str>,
    quoted_id: Quoted,
    name: Quoted,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum About {
    Api(Arc<ApiRef>),
    /// A named object of the catalog: `gateway response`, `custom authorizer`, …
    Object {
        kind: &'static str,
        name: Quoted,
        id: Quoted,
    },
    Export,
}

/// Why the Strict profile leaves a parameter's default out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Conflict {
    NotInEnumeration(Quoted),
    NotANumber,
    OutsideBounds { min: i64, max: i64 },
    Length { len: u64, min: u64, max: u64 },
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::NotInEnumeration(values) => write!(f, "not one of the enumeration {values}"),
            Conflict::NotANumber => f.write_str("not a number (the parameter is NUMBER)"),
            Conflict::OutsideBounds { min, max } => write!(f, "outside the bounds {min}..{max}"),
            Conflict::Length { len, min, max } => write!(f, "its length {len} is outside {min}..{max}"),
        }
    }
}

/// Why the Strict profile writes a path otherwise than APIG.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PathChange {
    /// It has a greedy `{name+}`.
    pub(crate) greedy: bool,
    /// A variable's name has characters outside `[A-Za-z0-9_-]`, or is taken.
    pub(crate) names: bool,
    /// Its variables take the names of this other path, which differs only in names.
    pub(crate) named_by: Option<Quoted>,
    /// It is too long for a key.
    pub(crate) long: bool,
    /// Some path parameter is written under another name.
    pub(crate) renamed: bool,
}

impl fmt::Display for PathChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        let mut say = |f: &mut fmt::Formatter<'_>, text: fmt::Arguments<'_>| {
            let out = write!(f, "{sep}{text}");
            sep = "; ";
            out
        };
        if self.greedy {
            say(f, format_args!("OpenAPI has no greedy path variables"))?;
        }
        if self.names {
            say(f, format_args!("validators know variable names of [A-Za-z0-9_-] only, each once"))?;
        }
        if let Some(other) = &self.named_by {
            say(f, format_args!("paths that differ only in variable names are one OpenAPI path, named as {other} is"))?;
        }
        if self.long {
            say(f, format_args!("YAML readers, which read JSON too, take no key over 1,024 characters"))?;
        }
        Ok(())
    }
}

/// What was left out or changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Message {
    Grpc,
    SwaRewrite {
        path: Quoted,
        uri: Quoted,
    },
    AclLeftOut {
        acl: Quoted,
        kept: Quoted,
    },
    RepeatedTag(Quoted),
    Cookie(Quoted),
    DefaultConflict {
        default: Quoted,
        param: Quoted,
        why: Conflict,
    },
    SampleConflict {
        sample: Quoted,
        param: Quoted,
        why: Conflict,
    },
    BodyExample(Quoted),
    OperationId(Quoted),
    LongKey(Quoted),
    SchemeName(Quoted),
    SameSlot,
    StrictSlot {
        path: Quoted,
        other_path: Quoted,
        other: Quoted,
    },
    StrictPath {
        path: Quoted,
        written: Quoted,
        why: PathChange,
    },
    PathTooLong(Quoted),
    Taken {
        what: &'static str,
        name: Quoted,
        written: Quoted,
        taken: Quoted,
    },
    ResponseHeaders {
        count: usize,
        kind: Quoted,
    },
    /// How many warnings were not listed, and how many an export lists.
    More(usize, usize),
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Grpc => f.write_str("left out: gRPC APIs cannot be exported"),
            Message::SwaRewrite { path, uri } => write!(
                f,
                "exported under {path} with match mode NORMAL: an exact-match API has the same method and path {uri}"
            ),
            Message::AclLeftOut { acl, kept } => {
                write!(f, "ACL policy {acl} left out: only one ACL per API can be exported ({kept} is)")
            }
            Message::RepeatedTag(tag) => {
                write!(f, "repeated tag {tag} left out of the Strict profile: tags must be unique")
            }
            Message::Cookie(name) => {
                write!(f, "COOKIE parameter {name} left out: Swagger 2.0 has no cookie parameters")
            }
            Message::DefaultConflict { default, param, why } => {
                write!(f, "default {default} of parameter {param} left out of the Strict profile: {why}")
            }
            Message::SampleConflict { sample, param, why } => {
                write!(f, "example {sample} of parameter {param} left out of the Strict profile: {why}")
            }
            Message::BodyExample(text) => write!(
                f,
                "request body example {text} left out of the Strict profile: the body schema is an object, the example text"
            ),
            Message::OperationId(id) => write!(
                f,
                "operationId written as {id} in the Strict profile: only URL-safe characters, the rest as ~hex~ \
                 (the summary keeps the name)"
            ),
            Message::SchemeName(written) => write!(
                f,
                "security scheme written as {written} in the Strict profile: OpenAPI 3.0 component names are \
                 [A-Za-z0-9._-] (other characters as _, and a hash of the name)"
            ),
            Message::LongKey(written) => write!(
                f,
                "name written as {written} where it is a key in the Strict profile: YAML readers, which read \
                 JSON too, take no key over 1,024 characters"
            ),
            Message::SameSlot => f.write_str("left out: another exported API has the same method and path"),
            Message::StrictSlot { path, other_path, other } => write!(
                f,
                "left out of the Strict profile: its path {path} and the path {other_path} of API {other}, which has \
                 the same method, are one OpenAPI path there (OpenAPI has no greedy path variables, and paths that \
                 differ only in variable names are the same path)"
            ),
            Message::StrictPath { path, written, why } => {
                write!(f, "path {path} written as {written} in the Strict profile ({why}); x-apigateway-request-path keeps it")?;
                if why.renamed {
                    f.write_str(
                        "; its path parameters, and the backend parameters and policy conditions that name them, \
                         take the names of the written path",
                    )?;
                }
                Ok(())
            }
            Message::PathTooLong(path) => write!(
                f,
                "left out of the Strict profile: its path {path} has too many variables to be written as a key \
                 YAML readers take (1,024 characters)"
            ),
            Message::Taken { what, name, written, taken } => write!(
                f,
                "{what} {name} written as {written} in the Strict profile: its short form {taken} is another \
                 name in the document"
            ),
            Message::ResponseHeaders { count, kind } => write!(
                f,
                "{count} custom header(s) of {} left out: the export has no place for response headers",
                kind.cut()
            ),
            Message::More(count, limit) => write!(f, "{count} more warning(s) not listed (this export lists {limit})"),
        }
    }
}

/// Something an export left out or changed, because the target dialect has no place for it.
/// Exports never drop anything silently: each loss is one warning, and past 1,000 of them one
/// last warning counts the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    about: About,
    message: Message,
}

impl Warning {
    /// The id of the API concerned, when the warning is about one API.
    pub fn api_id(&self) -> Option<&str> {
        match &self.about {
            About::Api(api) => Some(&api.id),
            _ => None,
        }
    }

    /// What the warning is about: `API "name" (id)`, `gateway response "name" (id)`, `custom
    /// authorizer "name" (id)`, or `export`
    /// for the count of warnings not listed. Names are cut at 80 characters.
    pub fn subject(&self) -> String {
        Subject(&self.about).to_string()
    }

    /// What was left out or changed, and why. Quoted values are cut at 80 characters.
    pub fn message(&self) -> String {
        self.message.to_string()
    }
}

struct Subject<'w>(&'w About);

impl fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            About::Api(api) => write!(f, "API {} ({})", api.name, api.quoted_id.cut()),
            About::Object { kind, name, id } => write!(f, "{kind} {name} ({})", id.cut()),
            About::Export => f.write_str("export"),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", Subject(&self.about), self.message)
    }
}

/// The warnings of one export as they are found: at most `limit` (at most [`MAX_LISTED`]), the
/// rest counted.
#[derive(Debug)]
pub(crate) struct Warnings {
    listed: Vec<Warning>,
    limit: usize,
    more: usize,
    /// The API of the last warning, shared by the next ones about it.
    last_api: Option<Arc<ApiRef>>,
}

impl Default for Warnings {
    fn default() -> Warnings {
        Warnings::listing(MAX_LISTED)
    }
}

impl Warnings {
    /// Lists at most `limit` warnings (at most [`MAX_LISTED`]); with 0, only counts them.
    pub(crate) fn listing(limit: usize) -> Warnings {
        Warnings { listed: Vec::new(), limit: limit.min(MAX_LISTED), more: 0, last_api: None }
    }

    /// Whether one more warning would still be listed: callers may skip the work of building it.
    fn room(&mut self) -> bool {
        if self.listed.len() < self.limit {
            true
        } else {
            self.more += 1;
            false
        }
    }

    /// A warning about `api`; `message` is built only if it is listed.
    pub(crate) fn api(&mut self, api: &Api, message: impl FnOnce() -> Message) {
        if !self.room() {
            return;
        }
        let shared = match &self.last_api {
            Some(last) if *last.id == *api.id => Arc::clone(last),
            _ => {
                let made = Arc::new(ApiRef {
                    id: api.id.as_str().into(),
                    quoted_id: Quoted::new(&api.id),
                    name: Quoted::new(&api.name),
                });
                self.last_api = Some(Arc::clone(&made));
                made
            }
        };
        self.listed.push(Warning { about: About::Api(shared), message: message() });
    }

    /// A warning about a named object of the catalog (`kind`: `gateway response`, `custom
    /// authorizer`, `throttling policy`, `ACL policy`).
    pub(crate) fn object(&mut self, kind: &'static str, name: &str, id: &str, message: impl FnOnce() -> Message) {
        if self.room() {
            let about = About::Object { kind, name: Quoted::new(name), id: Quoted::new(id) };
            self.listed.push(Warning { about, message: message() });
        }
    }

    /// The list, with the count of the rest as its last warning.
    pub(crate) fn finish(mut self) -> Vec<Warning> {
        if self.more > 0 {
            self.listed.push(Warning { about: About::Export, message: Message::More(self.more, self.limit) });
        }
        self.listed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_cut_at_80_characters_with_their_length() {
        assert_eq!(Quoted::new("a\"b").to_string(), r#""a\"b""#);
        assert_eq!(Quoted::new(&"x".repeat(80)).to_string(), format!("{:?}", "x".repeat(80)));
        assert_eq!(Quoted::new(&"é".repeat(20_000)).to_string(), format!("\"{}…\" (40000 bytes)", "é".repeat(80)));
    }

    #[test]
    fn past_the_limit_warnings_are_counted_not_built() {
        let api = Api { id: "a1".into(), name: "n".repeat(20_000).into(), ..Default::default() };
        let mut warnings = Warnings::default();
        let mut built = 0;
        for _ in 0..20_000 {
            warnings.api(&api, || {
                built += 1;
                Message::SameSlot
            });
        }
        assert_eq!(built, MAX_LISTED);
        let list = warnings.finish();
        assert_eq!(list.len(), MAX_LISTED + 1);
        let text: usize = list.iter().map(|w| w.to_string().len() + 1).sum();
        assert!(text < 200 * 1024, "{text} bytes");
        assert_eq!(list[MAX_LISTED].to_string(), "export: 19000 more warning(s) not listed (this export lists 1000)");
        assert_eq!(list[0].api_id(), Some("a1"));
        assert!(list[0].subject().ends_with("…\" (20000 bytes) (a1)"), "{}", list[0].subject());
    }
}
