//! The catalog: groups, environments, APIs, publications and policies, validated once.
//!
//! Build one with [`Catalog::from_json`] (the documented file format, APIG's own field names) or
//! [`Catalog::new`] from [`CatalogData`] assembled in code. Either way the catalog is checked as a
//! whole and every problem is reported with its location; a [`Catalog`] that exists is consistent,
//! and nothing after it checks again.
//!
//! # Representation
//!
//! A loaded catalog takes less memory than its compact JSON (0.85× for the 10,000-API synthetic
//! catalog, counted in requested heap bytes; see `BENCHMARKS.md`), and rendering walks it in the
//! order it writes:
//!
//! - **Coded fields are enums**, decoded once while reading (`required: 1` is
//!   [`Requirement::Required`]) and written back with the wire spelling; render compares
//!   variants, never integers.
//! - **Every string is a [`Text`]**: an immutable string in an allocation of exactly its length
//!   behind a 16-byte handle (a `String` takes 24 bytes and may carry spare capacity); empty
//!   strings, most of a catalog's optional fields, allocate nothing.
//! - **Every list is cut to its length** when the catalog is built: lists read from JSON grow by
//!   doubling, so up to half of each was spare.
//! - **A publication shares its draft** (`Arc<Api>`) unless it carries a definition of its own.
//! - **Export order is settled once.** For every environment and group, the published
//!   definitions are kept sorted by path, method and stored order, each with the indices of the
//!   policies bound to it; each group's drafts likewise. An export walks that list; only paths
//!   the export itself rewrites are sorted then, among themselves, and merged in.
//! - **Definitions lie in memory in that order.** Once the checks pass, [`Catalog::new`] copies
//!   every definition into fresh allocations made one after the other in the order exports read
//!   them (each environment's published definitions group by group in path order, then the
//!   drafts no publication shares), so that an export of a group larger than the processor's
//!   caches reads memory in order instead of jumping across the heap for each API. The lists
//!   keep their order, and a publication still shares its draft. The copy costs about a tenth
//!   of [`Catalog::from_json`]'s time, and holds the catalog twice while it runs; per API, an
//!   export of 100,000 APIs then costs about what one of 1,000 does (`BENCHMARKS.md`).

mod data;
mod index;
mod text;
mod validate;

use std::fmt;

use indexmap::IndexMap;

use crate::quote::Quoted;

pub use data::*;
pub(crate) use validate::{parse_number, split_enumerations};

/// A validated catalog.
///
/// Invariants (checked by [`Catalog::new`]): ids are unique and non-empty, every reference
/// resolves, every `{param}` of a `req_uri` is declared as a PATH parameter and the other way
/// round, enumerated fields hold allowed values, NUMBER defaults and enumerations are numbers, and
/// no group has two APIs with the same method, path and match mode (among drafts, and among the
/// definitions published in one environment).
#[derive(Clone, Debug)]
pub struct Catalog {
    data: CatalogData,
    index: index::Index,
}

impl Catalog {
    /// Validates `data` into a catalog.
    ///
    /// # Errors
    ///
    /// Returns every problem found, each with its location, e.g.
    /// `apis[3].req_params[1].default_value: "abc" is not a number (the parameter is NUMBER)`.
    pub fn new(data: CatalogData) -> Result<Catalog, CatalogError> {
        let (data, index) = validate::validate(data)?;
        Ok(Catalog { data, index })
    }

    /// Parses and validates a catalog from JSON (see `docs/catalog.md` for the format).
    ///
    /// `null` members are treated as absent; unknown members are ignored.
    ///
    /// # Errors
    ///
    /// Invalid JSON (`line 1 column 7: expected value`), a value of the wrong type
    /// (`apis[0].cors: invalid type: string "yes", expected a boolean`), a value outside its
    /// enumeration, and every problem [`Catalog::new`] reports.
    ///
    /// ```
    /// let err = apig_export::Catalog::from_json(br#"{"apis": [{"req_method": "FETCH"}]}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("apis[0].req_method: unknown variant `FETCH`"));
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Catalog, CatalogError> {
        // One pass straight into the model: the model's types read `null` as absent and skip
        // unknown members themselves. (A struct also reads from an array, so the top level is
        // checked to be an object first.)
        let object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        match serde_json::from_slice::<CatalogData>(bytes) {
            Ok(data) if object => Catalog::new(data),
            // The second pass, only taken when the first failed: it locates what is wrong
            // (`apis[3].req_params[1].location`), and reads the rare input the first pass does
            // not (a member given twice, a `null` entry of a map).
            _ => Catalog::new(Catalog::located(bytes)?),
        }
    }

    /// Reads `bytes` through a `serde_json::Value` whose `null` members are removed, then
    /// deserializes that tracking the path, so an error names where it is.
    #[cold]
    fn located(bytes: &[u8]) -> Result<CatalogData, CatalogError> {
        let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
            let location = format!("line {} column {}", e.line(), e.column());
            let mut message = e.to_string();
            if let Some(cut) = message.rfind(" at line ") {
                message.truncate(cut);
            }
            CatalogError::single(location, format!("invalid JSON: {message}"))
        })?;
        if !value.is_object() {
            return Err(CatalogError::single(String::new(), "a catalog must be a JSON object".to_owned()));
        }
        strip_nulls(&mut value);
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let location = if path == "." { String::new() } else { path };
            CatalogError::single(location, crate::quote::cut_quoted_runs(&e.into_inner().to_string()))
        })
    }

    /// The catalog's data.
    pub fn data(&self) -> &CatalogData {
        &self.data
    }

    /// Gives the data back (to edit it and validate again).
    pub fn into_data(self) -> CatalogData {
        self.data
    }

    pub(crate) fn group(&self, id: &str) -> Option<&Group> {
        self.index.groups.get(id).and_then(|&i| self.data.groups.get(i))
    }

    /// The gateway response `id` of group `group_id`.
    pub(crate) fn gateway_response(&self, group_id: &str, id: &str) -> Option<&GatewayResponse> {
        let g = *self.index.groups.get(group_id)?;
        let r = *self.index.responses.get(g)?.get(id)?;
        self.data.groups.get(g)?.gateway_responses.get(r)
    }

    pub(crate) fn environment(&self, id: &str) -> Option<&Environment> {
        self.index.environments.get(id).and_then(|&i| self.data.environments.get(i))
    }

    pub(crate) fn api(&self, id: &str) -> Option<&Api> {
        self.index.apis.get(id).and_then(|&i| self.data.apis.get(i)).map(|a| &**a)
    }

    /// The definition of `api_id` as published in `env_id`.
    pub(crate) fn published(&self, api_id: &str, env_id: &str) -> Option<&Api> {
        self.index
            .publication(api_id, env_id)
            .and_then(|i| self.data.publications.get(i))
            .and_then(|p| p.definition.as_deref())
    }

    /// The definitions of a group published in an environment, in path order (by path, method,
    /// then stored order), each with the policies bound to it there and its position in stored
    /// order (all settled when the catalog was built).
    pub(crate) fn published_in<'a>(
        &'a self,
        env_id: &str,
        group_id: &str,
    ) -> impl Iterator<Item = (&'a Api, Bound<'a>, usize)> + 'a {
        let list = self.index.published.get(env_id).and_then(|g| g.get(group_id));
        let d = &self.data;
        list.into_iter().flat_map(move |list| {
            list.apis.iter().filter_map(move |entry| {
                let api = d.publications.get(entry.publication)?.definition.as_deref()?;
                let refs =
                    |all: &'a [usize], range: &std::ops::Range<usize>| all.get(range.clone()).unwrap_or_default();
                Some((
                    api,
                    Bound {
                        throttle: entry.throttle.and_then(|i| d.throttles.get(i)),
                        acls: Refs { indices: refs(&list.acls, &entry.acls), items: &d.acls },
                        plugins: Refs { indices: refs(&list.plugins, &entry.plugins), items: &d.plugins },
                    },
                    entry.seq,
                ))
            })
        })
    }

    /// The drafts of a group, in path order, each with its position in the catalog's `apis`.
    pub(crate) fn drafts_of<'a>(&'a self, group_id: &str) -> impl Iterator<Item = (&'a Api, usize)> + 'a {
        let list = self.index.groups.get(group_id).and_then(|&g| self.index.drafts.get(g));
        list.into_iter().flatten().filter_map(|&i| self.data.apis.get(i).map(|a| (&**a, i)))
    }

    pub(crate) fn authorizer(&self, id: &str) -> Option<&Authorizer> {
        self.index.authorizers.get(id).and_then(|&i| self.data.authorizers.get(i))
    }

    pub(crate) fn vpc_channel(&self, id: &str) -> Option<&VpcChannel> {
        self.index.vpc_channels.get(id).and_then(|&i| self.data.vpc_channels.get(i))
    }

    pub(crate) fn orchestration(&self, id: &str) -> Option<&Orchestration> {
        self.index.orchestrations.get(id).and_then(|&i| self.data.orchestrations.get(i))
    }
}

fn strip_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Why a catalog was rejected: the problems found, in catalog order, each with its location.
///
/// Bounded whatever the input: at most [`CatalogError::MAX_ISSUES`] issues are kept (the others
/// are only counted, see [`CatalogError::omitted`]), a value longer than 80 characters is quoted
/// cut with its length stated, a location is at most 160 bytes and a message at most 440, so the
/// whole report (`{:#}` or `{:?}`) stays under 64 KiB.
#[derive(Clone, PartialEq, Eq)]
pub struct CatalogError {
    issues: Vec<CatalogIssue>,
    omitted: usize,
}

/// One problem in a catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogIssue {
    location: String,
    message: String,
}

/// The longest location an issue keeps, in bytes.
const MAX_LOCATION: usize = 160;
/// The longest message an issue keeps, in bytes.
const MAX_MESSAGE: usize = 440;

impl CatalogIssue {
    /// An issue, each part cut to its bound.
    pub(crate) fn new(location: String, message: String) -> CatalogIssue {
        CatalogIssue {
            location: crate::quote::truncate(location, MAX_LOCATION),
            message: crate::quote::truncate(message, MAX_MESSAGE),
        }
    }

    /// Where the problem is: `apis[3].req_params[1].location`, or `line 2 column 5` for JSON
    /// syntax errors; empty for the catalog as a whole.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// What is wrong, naming the offending value.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CatalogIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

impl CatalogError {
    /// How many issues a report lists at most.
    pub const MAX_ISSUES: usize = 100;

    fn single(location: String, message: String) -> CatalogError {
        CatalogError { issues: vec![CatalogIssue::new(location, message)], omitted: 0 }
    }

    /// The first problems found (at least one, at most [`CatalogError::MAX_ISSUES`]).
    pub fn issues(&self) -> &[CatalogIssue] {
        &self.issues
    }

    /// How many more problems were found than [`CatalogError::issues`] lists.
    pub fn omitted(&self) -> usize {
        self.omitted
    }
}

/// Collects issues up to [`CatalogError::MAX_ISSUES`], counting the rest.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    kept: Vec<CatalogIssue>,
    omitted: usize,
}

impl Issues {
    /// Whether another issue would be kept (when not, there is no need to write its message).
    pub(crate) fn has_room(&self) -> bool {
        self.kept.len() < CatalogError::MAX_ISSUES
    }

    pub(crate) fn push(&mut self, location: String, message: String) {
        if self.has_room() {
            self.kept.push(CatalogIssue::new(location, message));
        } else {
            self.omitted += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.kept.is_empty() && self.omitted == 0
    }

    pub(crate) fn into_error(self) -> CatalogError {
        CatalogError { issues: self.kept, omitted: self.omitted }
    }
}

impl fmt::Display for CatalogError {
    /// The first problem, and how many more there are; with `{:#}`, the report: every listed
    /// problem on a line of its own, then `… and N more` when some were not listed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            let mut lines = self.issues.iter();
            if let Some(first) = lines.next() {
                write!(f, "{first}")?;
            }
            for issue in lines {
                write!(f, "\n{issue}")?;
            }
            if self.omitted > 0 {
                write!(f, "\n… and {} more", self.omitted)?;
            }
            return Ok(());
        }
        let more = self.issues.len().saturating_sub(1) + self.omitted;
        match self.issues.first() {
            None => f.write_str("invalid catalog"),
            Some(first) if more == 0 => write!(f, "{first}"),
            Some(first) => write!(f, "{first} (and {more} more)"),
        }
    }
}

impl fmt::Debug for CatalogError {
    /// The listed problems, then `… and N more` when some were not listed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Writes its text as it is (the issues already escape what they quote).
        struct Line(String);
        impl fmt::Debug for Line {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        let more = (self.omitted > 0).then(|| Line(format!("… and {} more", self.omitted)));
        f.debug_list().entries(self.issues.iter().map(|i| Line(i.to_string())).chain(more)).finish()
    }
}

impl std::error::Error for CatalogError {}

/// Variables of a path template (`/a/{id}/{rest+}` → `id`, `rest`), in order.
///
/// # Errors
///
/// A path that does not start with `/`, an unbalanced or nested brace, an empty name, or a
/// variable that is not a whole segment.
pub(crate) fn path_variables(uri: &str) -> Result<Vec<&str>, String> {
    if !uri.starts_with('/') {
        return Err(format!("{uri:?} does not start with \"/\"", uri = Quoted(uri)));
    }
    let mut vars = Vec::new();
    for segment in uri.split('/').skip(1) {
        let open = segment.contains('{');
        let close = segment.contains('}');
        if !open && !close {
            continue;
        }
        let inner = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|s| !s.contains(['{', '}']))
            .ok_or_else(|| {
                format!(
                    "{uri:?}: segment {segment:?} must be a whole {{name}} or {{name+}}",
                    uri = Quoted(uri),
                    segment = Quoted(segment)
                )
            })?;
        let name = inner.strip_suffix('+').unwrap_or(inner);
        if name.is_empty() || name.contains('+') {
            return Err(format!(
                "{uri:?}: segment {segment:?} has no variable name",
                uri = Quoted(uri),
                segment = Quoted(segment)
            ));
        }
        vars.push(name);
    }
    Ok(vars)
}

/// The policies bound to one published API in one environment.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bound<'c> {
    pub(crate) throttle: Option<&'c Throttle>,
    /// Sorted by ACL name.
    pub(crate) acls: Refs<'c, Acl>,
    /// In binding order.
    pub(crate) plugins: Refs<'c, Plugin>,
}

impl Bound<'_> {
    /// No policies.
    pub(crate) fn none() -> Self {
        Bound { throttle: None, acls: Refs::none(), plugins: Refs::none() }
    }
}

/// Catalog items named by their indices, in the order of the indices.
#[derive(Debug)]
pub(crate) struct Refs<'c, T> {
    indices: &'c [usize],
    items: &'c [T],
}

impl<T> Clone for Refs<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Refs<'_, T> {}

impl<'c, T> Refs<'c, T> {
    fn none() -> Self {
        Refs { indices: &[], items: &[] }
    }

    pub(crate) fn iter(self) -> impl Iterator<Item = &'c T> {
        self.indices.iter().filter_map(move |&i| self.items.get(i))
    }

    pub(crate) fn first(self) -> Option<&'c T> {
        self.iter().next()
    }
}

/// Index of lookups by id, built once by validation.
type Lookup = IndexMap<Text, usize>;
