//! The index a catalog keeps beside its data, built once by validation: lookups by id, and for
//! every environment and group the published definitions in the order exports write them, each
//! with the policies bound to it resolved to indices.

use std::sync::Arc;

use indexmap::IndexMap;

use super::data::*;
use super::Lookup;
use crate::work::step;

/// Lookups built while validating. Nested maps are keyed environment id first, then API id.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    pub(crate) groups: Lookup,
    /// Per group (in `groups` order): gateway response id → index into its `gateway_responses`.
    pub(crate) responses: Vec<Lookup>,
    pub(crate) environments: Lookup,
    pub(crate) apis: Lookup,
    /// env → api → index into `publications` (the first, when a pair is published twice).
    pub(crate) publications: IndexMap<Text, IndexMap<Text, usize>>,
    /// env → group → the group's definitions published there, in path order, each with the
    /// policies bound to it resolved to indices.
    pub(crate) published: IndexMap<Text, IndexMap<Text, Published>>,
    /// Per group (in `groups` order): indices into `apis` of its drafts, in path order.
    pub(crate) drafts: Vec<Vec<usize>>,
    pub(crate) authorizers: Lookup,
    pub(crate) vpc_channels: Lookup,
    pub(crate) orchestrations: Lookup,
    pub(crate) throttles: Lookup,
    pub(crate) acls: Lookup,
    pub(crate) plugins: Lookup,
}

/// The definitions of one group published in one environment, in path order (by path, then
/// method, then stored order), with the policies bound to each: what an export walks in the order
/// it writes, without lookups or sorting.
#[derive(Clone, Debug, Default)]
pub(crate) struct Published {
    pub(crate) apis: Vec<PublishedApi>,
    /// Indices into `acls` of the bound ACL policies; each API's are sorted by ACL name.
    pub(crate) acls: Vec<usize>,
    /// Indices into `plugins` of the bound plug-ins; each API's in binding order.
    pub(crate) plugins: Vec<usize>,
}

/// One published definition and its bindings.
#[derive(Clone, Debug)]
pub(crate) struct PublishedApi {
    /// Index into `publications`.
    pub(crate) publication: usize,
    /// Index into `throttles` of the bound throttling policy.
    pub(crate) throttle: Option<usize>,
    /// This API's part of [`Published::acls`].
    pub(crate) acls: std::ops::Range<usize>,
    /// This API's part of [`Published::plugins`].
    pub(crate) plugins: std::ops::Range<usize>,
    /// Its position in stored order among the group's publications in the environment (what
    /// breaks ties between equal paths and methods).
    pub(crate) seq: usize,
}

impl Index {
    /// The publication of `api_id` in `env_id`, if any.
    pub(crate) fn publication(&self, api_id: &str, env_id: &str) -> Option<usize> {
        self.publications.get(env_id).and_then(|m| m.get(api_id)).copied()
    }
}

/// Bindings by environment id, then API id: indices into a binding list.
pub(crate) type Many = IndexMap<Text, IndexMap<Text, Vec<usize>>>;

/// The valid bindings: env → api → indices into `throttle_bindings`, `acl_bindings` and
/// `plugin_bindings` (the last two in stored order).
pub(crate) struct Bindings {
    pub(crate) throttle_of: IndexMap<Text, IndexMap<Text, usize>>,
    pub(crate) acls_of: Many,
    pub(crate) plugins_of: Many,
}

/// Resolves the bindings of every published definition to indices of the policies, once.
pub(crate) fn resolve_published(
    published: IndexMap<Text, IndexMap<Text, Vec<usize>>>,
    bindings: &Bindings,
    data: &CatalogData,
    ix: &Index,
) -> IndexMap<Text, IndexMap<Text, Published>> {
    fn bound<'m>(of: &'m Many, env: &str, api: &str) -> &'m [usize] {
        of.get(env).and_then(|m| m.get(api)).map_or(&[][..], Vec::as_slice)
    }
    let mut resolved = IndexMap::with_capacity(published.len());
    for (env, groups) in published {
        step();
        let mut per_group = IndexMap::with_capacity(groups.len());
        for (group, indices) in groups {
            step();
            let mut list = Published { apis: Vec::with_capacity(indices.len()), ..Published::default() };
            for (seq, publication) in indices.into_iter().enumerate() {
                step();
                let Some(p) = data.publications.get(publication) else { continue };
                let throttle = bindings
                    .throttle_of
                    .get(&env)
                    .and_then(|m| m.get(&p.api_id))
                    .and_then(|&b| data.throttle_bindings.get(b))
                    .and_then(|b| ix.throttles.get(&b.throttle_id).copied());
                let mut acls: Vec<usize> = bound(&bindings.acls_of, &env, &p.api_id)
                    .iter()
                    .filter_map(|&b| data.acl_bindings.get(b).and_then(|b| ix.acls.get(&b.acl_id).copied()))
                    .collect();
                acls.sort_by(|&a, &b| {
                    step();
                    let name = |i: usize| data.acls.get(i).map(|a| a.acl_name.as_str());
                    name(a).cmp(&name(b))
                });
                let plugins = bound(&bindings.plugins_of, &env, &p.api_id)
                    .iter()
                    .filter_map(|&b| data.plugin_bindings.get(b).and_then(|b| ix.plugins.get(&b.plugin_id).copied()));
                let acls_start = list.acls.len();
                list.acls.extend(acls);
                let plugins_start = list.plugins.len();
                list.plugins.extend(plugins);
                list.apis.push(PublishedApi {
                    publication,
                    throttle,
                    acls: acls_start..list.acls.len(),
                    plugins: plugins_start..list.plugins.len(),
                    seq,
                });
            }
            in_path_order(&mut list.apis, |entry| {
                let api = data.publications.get(entry.publication).and_then(|p| p.definition.as_deref());
                api.map(|a| (a.req_uri.as_str(), a.req_method))
            });
            per_group.insert(group, list);
        }
        resolved.insert(env, per_group);
    }
    resolved
}

/// Sorts `items` into the order exports write paths in: by path (bytes), then method, then their
/// present order (stable). Settled once here, so that no export sorts again.
fn in_path_order<'d, T>(items: &mut Vec<T>, key: impl Fn(&T) -> Option<(&'d str, Method)>) {
    let mut keyed: Vec<(Option<(&'d str, Method)>, T)> = items.drain(..).map(|item| (key(&item), item)).collect();
    keyed.sort_by(|a, b| {
        step();
        a.0.cmp(&b.0)
    });
    items.extend(keyed.into_iter().map(|(_, item)| item));
}

/// Each group's drafts, in path order.
pub(crate) fn drafts_in_path_order(data: &CatalogData, ix: &Index) -> Vec<Vec<usize>> {
    let mut drafts = vec![Vec::new(); data.groups.len()];
    for (i, api) in data.apis.iter().enumerate() {
        step();
        if let Some(list) = ix.groups.get(&api.group_id).and_then(|&g| drafts.get_mut(g)) {
            list.push(i);
        }
    }
    for list in &mut drafts {
        in_path_order(list, |&i| data.apis.get(i).map(|a| (a.req_uri.as_str(), a.req_method)));
    }
    drafts
}

/// Copies every definition into fresh allocations made one after the other in the order exports
/// read them: each environment's published definitions, group by group in path order, then the
/// drafts no publication shares, group by group in path order. A definition shared by a draft
/// and its publications stays shared.
///
/// The definitions arrive in whatever order the catalog was written or built in, and each is a
/// hundred or so small allocations; an export of a large group, walking them in path order, would
/// jump across the whole heap for every API. Laid out here, the walk reads memory in order. The
/// order of `apis` and `publications` does not change: only where their definitions live.
pub(crate) fn lay_out_in_export_order(data: &mut CatalogData, ix: &Index) {
    let key = |api: &Arc<Api>| Arc::as_ptr(api).addr();
    // Old address → the fresh copy. Every old definition stays alive until all are copied, so no
    // copy reuses a freed block in the middle of the heap.
    let mut fresh: IndexMap<usize, Arc<Api>> = IndexMap::with_capacity(data.apis.len());
    let mut copy = |api: &Arc<Api>| {
        step();
        fresh.entry(key(api)).or_insert_with(|| Arc::new(Api::clone(api)));
    };
    for groups in ix.published.values() {
        for list in groups.values() {
            for entry in &list.apis {
                if let Some(api) = data.publications.get(entry.publication).and_then(|p| p.definition.as_ref()) {
                    copy(api);
                }
            }
        }
    }
    for list in &ix.drafts {
        list.iter().filter_map(|&i| data.apis.get(i)).for_each(&mut copy);
    }
    // Anything no walk reaches (a publication of an unknown group is refused before this).
    data.apis.iter().for_each(&mut copy);
    data.publications.iter().filter_map(|p| p.definition.as_ref()).for_each(&mut copy);
    let renew = |api: &mut Arc<Api>| {
        if let Some(new) = fresh.get(&key(api)) {
            *api = Arc::clone(new);
        }
    };
    data.apis.iter_mut().for_each(renew);
    data.publications.iter_mut().filter_map(|p| p.definition.as_mut()).for_each(renew);
}
