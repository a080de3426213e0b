//! Reading ahead: a large group's definitions are fetched into cache before they are rendered.
//!
//! Paths are written in path order, which is not the order the definitions lie in memory. Once a
//! catalog outgrows the CPU caches, rendering would wait on memory for one load after another,
//! each depending on the one before: definition → parameter list → parameter → text. [`Ahead`]
//! walks the same chains a few operations ahead, one link per distance (the further ahead, the
//! nearer the start of the chain), so that each of its reads finds its pointer already in cache
//! and the reads of one step do not wait for each other: the CPU overlaps them. Every function
//! here returns a sum that goes to [`black_box`], which keeps the reads and affects no result.
//!
//! Only what the scope renders is read: a backend and its policies only for `proxy` and `all`,
//! so that a `spec` export does not fetch memory it never writes.
//!
//! This changes no output; it only changes when memory is read. `cargo bench --bench export`
//! measures the effect (BENCHMARKS.md).

use std::hint::black_box;

use super::Operation;
use crate::model::{Api, BackendApi, BackendParam, FuncInfo, MockInfo, PolicyCommon};

/// How many operations apart the links of the chains are read.
const DISTANCE: usize = 4;

/// Reads, while operation `i` is rendered: the structures of operation `i + 3d`, the elements of
/// the lists of operation `i + 2d` and the texts of operation `i + d` (`d` = [`DISTANCE`]).
pub(crate) struct Ahead<'o, 'a> {
    /// Whether the backend and its policies are rendered (`proxy`, `all`), hence read ahead.
    backends: bool,
    structures: std::slice::Iter<'o, Operation<'a>>,
    elements: std::slice::Iter<'o, Operation<'a>>,
    texts: std::slice::Iter<'o, Operation<'a>>,
}

impl<'o, 'a> Ahead<'o, 'a> {
    /// Starts ahead of the first of `ops`.
    pub(crate) fn new(ops: &'o [Operation<'a>], backends: bool) -> Ahead<'o, 'a> {
        let from = |k: usize| ops.get((k * DISTANCE).min(ops.len())..).unwrap_or_default().iter();
        Ahead { backends, structures: from(3), elements: from(2), texts: from(1) }
    }

    /// Reads ahead of one more operation.
    pub(crate) fn step(&mut self) {
        if let Some(op) = self.structures.next() {
            black_box(structures(op, self.backends));
        }
        if let Some(op) = self.elements.next() {
            black_box(elements(op, self.backends));
        }
        if let Some(op) = self.texts.next() {
            black_box(texts(op.api, self.backends));
        }
    }
}

/// The definition itself and the operation's own lists: their lengths.
fn structures(op: &Operation<'_>, backends: bool) -> usize {
    let api = op.api;
    let texts = [&api.name, &api.remark, &api.req_uri, &api.body_remark, &api.result_normal_sample];
    let own = texts.iter().map(|s| s.len()).sum::<usize>()
        + api.result_failure_sample.len()
        + api.tags.len()
        + api.req_params.len()
        + op.selected.acls.len()
        + op.selected.plugins.len();
    if !backends {
        return own;
    }
    own + api.backend_params.len()
        + api.policy_https.len()
        + api.policy_functions.len()
        + api.policy_mocks.len()
        + api.backend_api.as_ref().map_or(0, |b| b.url_domain.len())
}

/// The elements of the definition's lists and of the operation's own.
fn elements(op: &Operation<'_>, backends: bool) -> usize {
    let api = op.api;
    let own =
        api.req_params.iter().map(|p| p.name.len() + p.sample_value.len() + p.orchestrations.len()).sum::<usize>()
            + api.tags.iter().map(String::len).sum::<usize>()
            + op.selected.acls.first().map_or(0, |a| a.acl_name.len())
            + op.selected.plugins.first().map_or(0, |p| p.plugin_name.len());
    if !backends {
        return own;
    }
    let policies: usize = api
        .policy_https
        .iter()
        .map(|p| p.policy.conditions.len() + p.policy.backend_params.len() + p.backend.req_uri.len())
        .sum();
    own + api.backend_params.iter().map(|p| p.name.len() + p.value.len()).sum::<usize>() + policies
}

/// A byte of every cache line of the texts that rendering the definition reads.
fn texts(api: &Api, backends: bool) -> usize {
    fn text(s: &str) -> usize {
        s.as_bytes().iter().step_by(64).map(|&b| usize::from(b)).sum()
    }
    fn backend(b: &BackendApi) -> usize {
        text(&b.url_domain) + text(&b.req_uri) + text(&b.remark) + b.retry_count.as_deref().map_or(0, text)
    }
    fn function(f: &FuncInfo) -> usize {
        text(&f.function_urn) + text(&f.remark) + text(&f.version) + text(&f.alias_urn)
    }
    fn mock(m: &MockInfo) -> usize {
        text(&m.remark) + text(&m.result_content) + m.headers.len()
    }
    fn policy(p: &PolicyCommon) -> usize {
        let conditions: usize = p.conditions.iter().map(|c| text(&c.condition_value) + text(&c.req_param_name)).sum();
        text(&p.name) + conditions + parameters(&p.backend_params)
    }
    fn parameters(params: &[BackendParam]) -> usize {
        params.iter().map(|b| text(&b.name) + text(&b.value) + text(&b.remark)).sum()
    }
    let own =
        [&api.name, &api.remark, &api.req_uri, &api.body_remark, &api.result_normal_sample, &api.result_failure_sample];
    let request: usize = api
        .req_params
        .iter()
        .map(|p| {
            text(&p.name) + text(&p.remark) + text(&p.default_value) + text(&p.sample_value) + text(&p.enumerations)
        })
        .sum();
    let frontend =
        own.iter().map(|s| text(s)).sum::<usize>() + api.tags.iter().map(|s| text(s)).sum::<usize>() + request;
    if !backends {
        return frontend;
    }
    frontend
        + api.backend_api.as_ref().map_or(0, backend)
        + api.func_info.as_ref().map_or(0, function)
        + api.mock_info.as_ref().map_or(0, mock)
        + parameters(&api.backend_params)
        + api.policy_https.iter().map(|p| policy(&p.policy) + backend(&p.backend)).sum::<usize>()
        + api.policy_functions.iter().map(|p| policy(&p.policy) + function(&p.function)).sum::<usize>()
        + api.policy_mocks.iter().map(|p| policy(&p.policy) + mock(&p.mock)).sum::<usize>()
}
