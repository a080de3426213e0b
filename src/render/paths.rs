//! Paths as the Strict profile writes them.
//!
//! An APIG path is not always an OpenAPI path: a greedy `{name+}` matches the rest of the URL,
//! which OpenAPI cannot say; some validators know variable names of `[A-Za-z0-9_-]` only; two
//! paths that differ only in their variables' names (or a `+`) are one OpenAPI path, which may
//! hold one operation per method and must name its variables one way; and a path is a key, which
//! YAML readers refuse over 1,024 characters. [`plan`] settles all of it before anything is
//! written:
//!
//! 1. Operations whose paths have the same shape (the path with every variable's name left out)
//!    share one written path. The first of them (fewest greedy variables, then APIG's path in byte
//!    order, then method, then selection order) gives the variables their names: each as stored
//!    when it is plain, else its short form ([`super::names::variable_name`]), no two alike
//!    ([`super::names::spell`]); `{name+}` is written `{name}`.
//! 2. Of the operations of one shape and method, that first one is kept; the others are left out
//!    with a warning that names it.
//! 3. A written path too long for a key becomes `{its first 40 characters}-{hash}` followed by its
//!    variables (named `p1`, `p2`, … if their names make it too long again; left out with a
//!    warning if even that is too long), unlike any other path's shape.
//! 4. Every operation whose written path is not APIG's keeps APIG's in `x-apigateway-request-path`,
//!    with a warning. Its variables correspond one to one, in order, to the written path's; each
//!    path parameter is written under its variable's written name, and so is every reference to
//!    it: a `REQUEST` backend parameter's `value` and a `param` condition's `parameter` (unless the
//!    API also has a parameter of that name in another location, which the name then means).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::names::{fnv1a, spell, too_long_for_a_key, variable_name};
use super::warning::{Message, PathChange, Quoted, Warnings};
use super::Operation;
use crate::model::{Api, Method, ParamLocation};

/// A path parameter the Strict profile writes under another name, and whether references to
/// `stored` (backend parameters, policy conditions) mean it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Renamed {
    pub(crate) stored: String,
    pub(crate) written: String,
    pub(crate) referenced: bool,
}

/// An APIG path taken apart: its shape (`{}` for each variable) and its variables.
struct Parsed {
    shape: String,
    /// Byte ranges of the variables' names in the path, and whether each is greedy.
    vars: Vec<(Range<usize>, bool)>,
}

impl Parsed {
    fn of(path: &str) -> Parsed {
        let mut shape = String::with_capacity(path.len());
        let mut vars = Vec::new();
        let mut at = 0;
        for (i, segment) in path.split('/').enumerate() {
            if i > 0 {
                shape.push('/');
            }
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(inner) => {
                    let name = inner.strip_suffix('+').unwrap_or(inner);
                    vars.push((at + 1..at + 1 + name.len(), name.len() != inner.len()));
                    shape.push_str("{}");
                }
                None => shape.push_str(segment),
            }
            at += segment.len() + 1;
        }
        Parsed { shape, vars }
    }

    fn greedy(&self) -> usize {
        self.vars.iter().filter(|(_, greedy)| *greedy).count()
    }

    fn names<'p>(&self, path: &'p str) -> Vec<&'p str> {
        self.vars.iter().map(|(range, _)| path.get(range.clone()).unwrap_or_default()).collect()
    }
}

/// `shape` with its `{}` filled, in order, by `names`.
fn fill(shape: &str, names: &[String]) -> String {
    let mut out = String::with_capacity(shape.len() + names.iter().map(|n| n.len()).sum::<usize>());
    let mut names = names.iter();
    for (i, segment) in shape.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if segment == "{}" {
            out.push('{');
            out.push_str(names.next().map_or("", |n| n));
            out.push('}');
        } else {
            out.push_str(segment);
        }
    }
    out
}

/// What one group of operations (one shape) is written as.
struct Written {
    /// The path key, `None` when it cannot be a key at all.
    path: Option<String>,
    names: Vec<String>,
    long: bool,
    /// APIG's path of the operation that named the variables, when the group has others.
    named_by: Option<String>,
    /// Variables whose short form was taken: (stored name, written name, short form).
    taken: Vec<(String, String, String)>,
}

/// `base` followed by one `/{name}` per variable.
fn with_vars(base: &str, names: &[String]) -> String {
    let mut key = base.to_owned();
    for name in names {
        key.push_str("/{");
        key.push_str(name);
        key.push('}');
    }
    key
}

/// The long form of a path with these variables, from `base` ([`long_base`]): the variables as
/// named, or `p1`, `p2`, … when their names make it too long for a key; `None` when even that is.
fn long_form(base: &str, names: &[String]) -> Option<(String, Vec<String>)> {
    let key = with_vars(base, names);
    if !too_long_for_a_key(&key) {
        return Some((key, names.to_vec()));
    }
    let positional: Vec<String> = (1..=names.len()).map(|i| format!("p{i}")).collect();
    let key = with_vars(base, &positional);
    (!too_long_for_a_key(&key)).then_some((key, positional))
}

/// The first 40 characters of `shape` (characters outside `[A-Za-z0-9._~/-]` as `_`), `-` and 16
/// hex digits of its FNV-1a hash.
fn long_base(shape: &str) -> String {
    let head: String = shape
        .chars()
        .take(40)
        .map(|c| if c.is_ascii_alphanumeric() || "._~/-".contains(c) { c } else { '_' })
        .collect();
    format!("{head}-{:016x}", fnv1a(shape.as_bytes()))
}

/// The shape of a long form: its base and one `{}` per variable.
fn long_shape(base: &str, vars: usize) -> String {
    with_vars(base, &vec![String::new(); vars])
}

/// What [`plan`] reads of one operation.
struct Entry<'o> {
    index: usize,
    path: &'o str,
    method: Method,
    api: &'o Api,
    parsed: Parsed,
}

impl Entry<'_> {
    /// The order in which a group's operations are considered: fewest greedy variables, then
    /// APIG's path in byte order, then method, then selection order.
    fn order(&self, other: &Entry<'_>) -> std::cmp::Ordering {
        self.parsed
            .greedy()
            .cmp(&other.parsed.greedy())
            .then_with(|| self.path.as_bytes().cmp(other.path.as_bytes()))
            .then(self.method.cmp(&other.method))
            .then(self.index.cmp(&other.index))
    }
}

/// What [`plan`] decides for one operation.
enum Decision {
    /// Written under APIG's path.
    AsIs,
    Written {
        path: String,
        renamed: Vec<Renamed>,
        why: PathChange,
    },
    LeftOut,
}

/// Settles every operation's written path (see the module docs); returns the operations kept.
pub(crate) fn plan<'a>(ops: Vec<Operation<'a>>, warnings: &mut Warnings) -> Vec<Operation<'a>> {
    let decisions = decide(&ops, warnings);
    ops.into_iter()
        .zip(decisions)
        .filter_map(|(mut op, decision)| match decision {
            Decision::AsIs => Some(op),
            Decision::LeftOut => None,
            Decision::Written { path, renamed, why } => {
                let apig = std::mem::replace(&mut op.path, Cow::Owned(path));
                warnings.api(op.api, || Message::StrictPath {
                    path: Quoted::new(&apig),
                    written: Quoted::new(&op.path),
                    why,
                });
                op.request_path = Some(apig);
                op.renamed = renamed;
                Some(op)
            }
        })
        .collect()
}

fn decide(ops: &[Operation<'_>], warnings: &mut Warnings) -> Vec<Decision> {
    let entries: Vec<Entry<'_>> = ops
        .iter()
        .enumerate()
        .map(|(index, op)| Entry {
            index,
            path: &op.path,
            method: op.method,
            api: op.api,
            parsed: Parsed::of(&op.path),
        })
        .collect();
    let mut shapes: BTreeMap<&str, Vec<&Entry<'_>>> = BTreeMap::new();
    for e in &entries {
        crate::work::step();
        shapes.entry(e.parsed.shape.as_str()).or_default().push(e);
    }
    let mut decisions: Vec<Decision> = ops.iter().map(|_| Decision::AsIs).collect();
    // Each group: its members (first the one that names the variables) and how it is written.
    let mut groups: Vec<(Vec<&Entry<'_>>, Written)> = Vec::with_capacity(shapes.len());
    let mut long = Vec::new();
    for (shape, mut members) in shapes {
        crate::work::step();
        members.sort_by(|a, b| a.order(b));
        let Some(first) = members.first().copied() else { continue };
        let mut kept: Vec<&Entry<'_>> = Vec::with_capacity(members.len());
        for e in members {
            match kept.iter().find(|k| k.method == e.method) {
                Some(other) => {
                    if let Some(d) = decisions.get_mut(e.index) {
                        *d = Decision::LeftOut;
                    }
                    warnings.api(e.api, || {
                        if e.path == other.path {
                            Message::SameSlot
                        } else {
                            Message::StrictSlot {
                                path: Quoted::new(e.path),
                                other_path: Quoted::new(other.path),
                                other: Quoted::new(&other.api.name),
                            }
                        }
                    });
                }
                None => kept.push(e),
            }
        }
        let stored = first.parsed.names(first.path);
        let spelled = spell(stored.iter().copied(), &[], variable_name);
        let names: Vec<String> = stored.iter().map(|s| spelled.get(s).map_or(*s, |w| &*w.written).to_owned()).collect();
        let taken = spelled
            .iter()
            .filter_map(|(name, s)| Some(((*name).to_owned(), s.written.clone().into_owned(), s.taken.clone()?)))
            .collect();
        let path = fill(shape, &names);
        let is_long = too_long_for_a_key(&path);
        if is_long {
            long.push((groups.len(), shape));
        }
        let named_by = (kept.len() > 1).then(|| first.path.to_owned());
        groups.push((kept, Written { path: Some(path), names, long: is_long, named_by, taken }));
    }
    // A long form must not take another path's shape, nor another long form's.
    let mut shapes_taken: BTreeSet<String> = entries.iter().map(|e| e.parsed.shape.clone()).collect();
    for (at, shape) in long {
        crate::work::step();
        let Some((members, group)) = groups.get_mut(at) else { continue };
        let base = long_base(shape);
        let (mut candidate, mut n) = (base.clone(), 1u64);
        while shapes_taken.contains(&long_shape(&candidate, group.names.len())) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        if let Some(first) = members.first().filter(|_| n > 1) {
            warnings.api(first.api, || Message::Taken {
                what: "path",
                name: Quoted::new(first.path),
                written: Quoted::new(&candidate),
                taken: Quoted::new(&base),
            });
        }
        shapes_taken.insert(long_shape(&candidate, group.names.len()));
        match long_form(&candidate, &group.names) {
            Some((key, names)) => {
                if names != group.names {
                    group.taken.clear();
                }
                group.path = Some(key);
                group.names = names;
            }
            None => group.path = None,
        }
    }
    for (members, group) in &groups {
        let Some(first) = members.first().filter(|_| group.path.is_some()) else { continue };
        for (name, written, taken) in &group.taken {
            warnings.api(first.api, || Message::Taken {
                what: "path variable",
                name: Quoted::new(name),
                written: Quoted::new(written),
                taken: Quoted::new(taken),
            });
        }
    }
    for (members, group) in &groups {
        for (position, e) in members.iter().enumerate() {
            crate::work::step();
            let Some(decision) = decisions.get_mut(e.index) else { continue };
            let Some(path) = &group.path else {
                *decision = Decision::LeftOut;
                warnings.api(e.api, || Message::PathTooLong(Quoted::new(e.path)));
                continue;
            };
            if *path == *e.path {
                continue;
            }
            let mut renamed = Vec::new();
            for (stored, written) in e.parsed.names(e.path).into_iter().zip(&group.names) {
                if stored != written {
                    let elsewhere =
                        e.api.req_params.iter().any(|p| p.location != ParamLocation::Path && p.name == stored);
                    renamed.push(Renamed {
                        stored: stored.to_owned(),
                        written: written.clone(),
                        referenced: !elsewhere,
                    });
                }
            }
            let named_here = position == 0;
            let why = PathChange {
                greedy: e.parsed.greedy() > 0,
                names: named_here && !renamed.is_empty() && !group.long,
                named_by: group.named_by.as_deref().filter(|_| !named_here && !renamed.is_empty()).map(Quoted::new),
                long: group.long,
                renamed: !renamed.is_empty(),
            };
            *decision = Decision::Written { path: path.clone(), renamed, why };
        }
    }
    decisions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_taken_apart_into_its_shape_and_variables_and_filled_back() {
        let path = "/商品/{货号}/x/{rest+}";
        let parsed = Parsed::of(path);
        assert_eq!(parsed.shape, "/商品/{}/x/{}");
        assert_eq!(parsed.names(path), ["货号", "rest"]);
        assert_eq!(parsed.greedy(), 1);
        assert_eq!(fill(&parsed.shape, &["a".to_owned(), "b".to_owned()]), "/商品/{a}/x/{b}");
        let plain = Parsed::of("/a/b");
        assert_eq!((plain.shape.as_str(), plain.vars.len()), ("/a/b", 0));
    }

    #[test]
    fn a_long_form_keeps_the_variables_or_numbers_them_or_gives_up() {
        let base = long_base(&format!("/{}/{{}}", "x".repeat(2_000)));
        assert!(base.starts_with(&format!("/{}-", "x".repeat(39))) && base.len() == 40 + 17, "{base}");
        let short = ["id".to_owned()];
        assert_eq!(long_form(&base, &short), Some((format!("{base}/{{id}}"), short.to_vec())));
        let wide = ["a".repeat(600), "b".repeat(600)];
        assert_eq!(long_form(&base, &wide), Some((format!("{base}/{{p1}}/{{p2}}"), vec!["p1".into(), "p2".into()])));
        let many: Vec<String> = (0..300).map(|i| format!("v{i}")).collect();
        assert_eq!(long_form(&base, &many), None);
        assert_eq!(long_shape(&base, 2), format!("{base}/{{}}/{{}}"));
    }
}
