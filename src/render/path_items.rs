//! The `paths` map written in path order, one path item rendered at a time, and the order
//! itself: the catalog's, with only the paths an export rewrote merged in.

use super::*;

/// The `paths` map, in path order: the operations that get a slot, each path item rendered while
/// it is written. Its keys are request paths, which start with `/`, so no JavaScript engine
/// reorders them: the YAML emitter may stream its entries as they come.
pub(crate) struct Paths<'a, I: PathItem<'a>> {
    /// Sorted by path, then method; no two share both.
    ops: Vec<Operation<'a>>,
    /// Distinct paths among `ops`.
    len: usize,
    state: I::State,
    /// Stops the writing before the next path item once cancelled.
    pub(super) cancel: Option<CancelToken>,
}

impl<'a, I: PathItem<'a>> Paths<'a, I> {
    pub(crate) fn new(ops: Vec<Operation<'a>>, state: I::State) -> Paths<'a, I> {
        let len = ops.iter().filter(|op| !op.same_path).count();
        Paths { ops, len, state, cancel: None }
    }
}

impl<'a, I: PathItem<'a>> fmt::Debug for Paths<'a, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paths").field("paths", &self.len).field("operations", &self.ops.len()).finish()
    }
}

impl<'a, I: PathItem<'a>> Serialize for Paths<'a, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(PLAIN_KEYS, &Rendered(self))
    }
}

/// The path items of [`Paths`], rendered one at a time.
struct Rendered<'p, 'a, I: PathItem<'a>>(&'p Paths<'a, I>);

impl<'a, I: PathItem<'a>> Serialize for Rendered<'_, 'a, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let paths = self.0;
        let mut map = serializer.serialize_map(Some(paths.len))?;
        for ops in paths.ops.chunk_by(|_, next| next.same_path) {
            if paths.cancel.as_ref().is_some_and(CancelToken::is_cancelled) {
                return Err(serde::ser::Error::custom("export cancelled"));
            }
            let mut item = I::default();
            for op in ops {
                *item.slot(op.api.req_method) = Some(I::render(&paths.state, op));
            }
            if let Some(op) = ops.first() {
                map.serialize_entry(&op.path, &item)?;
            }
        }
        map.end()
    }
}

/// A dialect's path item: one operation slot per method, and how an operation is rendered.
pub(crate) trait PathItem<'a>: Default + Serialize {
    type Op;
    /// What rendering an operation needs besides the operation.
    type State;
    fn slot(&mut self, method: Method) -> &mut Option<Self::Op>;
    fn render(state: &Self::State, op: &Operation<'a>) -> Self::Op;
}

/// Puts the operations in path order and marks those that share the path of the one before.
///
/// They arrive in the order the catalog settled when it was built (by path, method, then stored
/// order). Only an operation whose path the export itself rewrote (a prefix-match API moved under
/// `{default_swa_path+}`, a Strict greedy path written plain) may belong elsewhere: those few are
/// sorted among themselves and merged into the others, one pass.
pub(super) fn in_path_order(ops: Vec<Operation<'_>>) -> Vec<Operation<'_>> {
    let rewritten = |op: &Operation<'_>| matches!(op.path, Cow::Owned(_));
    let mut ops = if ops.iter().any(rewritten) {
        let (kept, mut moved): (Vec<_>, Vec<_>) = ops.into_iter().partition(|op| !rewritten(op));
        moved.sort_by(|a, b| path_order(a, b));
        merge(kept, moved)
    } else {
        ops
    };
    let mut previous: Option<&str> = None;
    let mut same: Vec<bool> = Vec::with_capacity(ops.len());
    for op in &ops {
        crate::work::step();
        same.push(previous == Some(&*op.path));
        previous = Some(&op.path);
    }
    for (op, same) in ops.iter_mut().zip(same) {
        op.same_path = same;
    }
    ops
}

/// The order paths are written in: by path (bytes), then method, then stored order.
fn path_order(a: &Operation<'_>, b: &Operation<'_>) -> std::cmp::Ordering {
    crate::work::step();
    (&*a.path, a.method, a.selected.seq).cmp(&(&*b.path, b.method, b.selected.seq))
}

/// Merges two lists, each in path order, into one.
fn merge<'a>(kept: Vec<Operation<'a>>, moved: Vec<Operation<'a>>) -> Vec<Operation<'a>> {
    let mut merged = Vec::with_capacity(kept.len() + moved.len());
    let (mut kept, mut moved) = (kept.into_iter().peekable(), moved.into_iter().peekable());
    loop {
        let take_kept = match (kept.peek(), moved.peek()) {
            (Some(k), Some(m)) => path_order(k, m).is_le(),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        merged.extend(if take_kept { kept.next() } else { moved.next() });
    }
    merged
}

/// The newtype-struct name that marks a map whose keys are never array indices (paths), so the
/// emitter may stream inside it.
pub(crate) const PLAIN_KEYS: &str = "$apig_export::PlainKeys";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{select, ExportRequest};

    /// Paths that tie, share their first 16 bytes or extend one another, and (`a3`) a
    /// prefix-match API exported under a rewritten path, when `with_rewrite`.
    fn catalog(with_rewrite: bool) -> Catalog {
        let mut paths = vec![
            ("a1", "GET", "/a"),
            ("a2", "POST", "/a"),
            ("a4", "GET", "/a/b"),
            ("a5", "GET", "/a-b"),
            ("a6", "GET", "/abcdefghijklmnopqrstuvwxyz/1"),
            ("a7", "GET", "/abcdefghijklmnopqrstuvwxyz/0"),
            ("a8", "GET", "/"),
            ("a9", "DELETE", "/a"),
            ("a10", "GET", "/abcdefghijklmnopqrstuvwxyz"),
            ("a11", "PUT", "/a/b"),
        ];
        if with_rewrite {
            paths.push(("a3", "GET", "/a"));
        }
        let apis: Vec<serde_json::Value> = paths
            .iter()
            .map(|(id, method, uri)| {
                let mode = if *id == "a3" { "SWA" } else { "NORMAL" };
                serde_json::json!({"id": id, "group_id": "g1", "name": format!("API_{id}"), "req_method": method,
                    "req_uri": uri, "match_mode": mode, "backend_type": "MOCK", "mock_info": {"result_content": "ok"}})
            })
            .collect();
        let publications: Vec<serde_json::Value> =
            paths.iter().map(|(id, _, _)| serde_json::json!({"api_id": id, "env_id": "RELEASE"})).collect();
        let data = serde_json::json!({
            "groups": [{"id": "g1", "name": "shop", "sl_domain": "shop.example.com"}],
            "environments": [{"id": "RELEASE", "name": "RELEASE"}],
            "apis": apis,
            "publications": publications,
        });
        Catalog::from_json(data.to_string().as_bytes()).expect("valid catalog")
    }

    /// The (path, method, id) of each operation, as exported.
    fn order(catalog: &Catalog, request: &ExportRequest) -> Vec<(String, Method, String)> {
        let sel = select::select(catalog, request).expect("selection");
        let cx = Context {
            catalog,
            group: sel.group,
            dialect: Dialect::OpenApi3,
            scope: request.scope(),
            profile: Profile::Apig,
        };
        let ops = in_path_order(cx.operations(sel.apis, &mut Warnings::default()));
        ops.iter().map(|op| (op.path.to_string(), op.method, op.api.id.to_string())).collect()
    }

    /// The order by sorting (path, method, stored position) from scratch: what the catalog's
    /// settled order must equal.
    fn sorted(mut order: Vec<(String, Method, String)>, stored: &[&str]) -> Vec<(String, Method, String)> {
        let at = |id: &str| stored.iter().position(|s| *s == id);
        order.sort_by(|a, b| (&a.0, a.1, at(&a.2)).cmp(&(&b.0, b.1, at(&b.2))));
        order
    }

    const STORED: [&str; 11] = ["a1", "a2", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a3"];

    #[test]
    fn the_catalog_settles_path_order_as_sorting_would() {
        let catalog = catalog(false);
        let all = ExportRequest::new("g1", "RELEASE");
        let some = all.clone().with_apis(["a11", "a2", "a7", "a1", "a10", "a4"]);
        let drafts = all.clone().with_scope(Scope::Dev);
        for request in [all, some, drafts] {
            let order = order(&catalog, &request);
            let ids: Vec<&str> = order.iter().map(|o| o.2.as_str()).collect();
            assert_ne!(ids, STORED[..ids.len()], "stored order is not path order");
            assert_eq!(order, sorted(order.clone(), &STORED));
        }
        let large = crate::testkit::synthetic::catalog(300);
        let order =
            order(&large, &ExportRequest::new(crate::testkit::synthetic::GROUP_ID, crate::testkit::synthetic::ENV_ID));
        let stored: Vec<String> = large.data().apis.iter().map(|a| a.id.to_string()).collect();
        let stored: Vec<&str> = stored.iter().map(String::as_str).collect();
        assert_eq!(order, sorted(order.clone(), &stored));
    }

    #[test]
    fn a_rewritten_path_is_merged_into_its_place() {
        let order = order(&catalog(true), &ExportRequest::new("g1", "RELEASE"));
        // Bytes order `-` < `/` < `b` < `{`: `/`, `/a` (3 methods), `/a-b`, `/a/b` (2), then the
        // rewritten `/a/{default_swa_path+}` of the last API, before the `/abc…` paths.
        assert_eq!(order.get(7).map(|o| (o.0.as_str(), o.2.as_str())), Some(("/a/{default_swa_path+}", "a3")));
        assert_eq!(order, sorted(order.clone(), &STORED));
        let same: Vec<bool> = order.windows(2).map(|w| w[0].0 == w[1].0).collect();
        assert_eq!(same.iter().filter(|s| **s).count(), 3, "/a shares with two, /a/b with one");
    }
}
