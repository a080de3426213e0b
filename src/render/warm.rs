//! Reading ahead: a large group's definitions are fetched into cache before they are rendered.
//!
//! Paths are written in path order, which is not the order the definitions lie in memory. Once a
//! catalog outgrows the CPU caches, rendering would wait on memory for one load after another,
//! each depending on the one before: definition → parameter list → parameter → text. [`Ahead`]
//! asks the CPU for the same chains a few operations ahead, one link per distance (the further
//! ahead, the nearer the start of the chain), so that each link's address is read from memory
//! already fetched for the link before it.
//!
//! The requests are prefetch hints ([`prefetch_index`]), not loads: the CPU does not wait for
//! them, so the fetches of many operations overlap with rendering instead of stalling it. A hint
//! reads nothing and cannot fail; on a target without one it does nothing. The structures are
//! asked for field by field (every field's own line, which covers the whole structure whatever
//! the layout), the texts line by line.
//!
//! Only what the scope renders is asked for: a backend and its policies only for `proxy` and
//! `all`, so that a `spec` export does not fetch memory it never writes.
//!
//! This changes no output; it only changes when memory is fetched. `cargo bench --bench scaling`
//! measures the effect (BENCHMARKS.md).

use prefetch_index::prefetch_index;

use super::Operation;
use crate::model::{Api, BackendApi, BackendParam, Condition, FuncInfo, KeyValue, MockInfo, PolicyCommon, ReqParam};

/// How many operations apart the links of the chains are asked for.
const DISTANCE: usize = 2;

/// Asks, while operation `i` is rendered, for the definition of operation `i + 4d`, its lists'
/// elements and its own texts at `i + 3d`, what those elements point to at `i + 2d`, and the
/// texts of nested lists at `i + d` (`d` = [`DISTANCE`]).
pub(crate) struct Ahead<'o, 'a> {
    /// Whether the backend and its policies are rendered (`proxy`, `all`), hence asked for.
    backends: bool,
    definitions: std::slice::Iter<'o, Operation<'a>>,
    lists: std::slice::Iter<'o, Operation<'a>>,
    items: std::slice::Iter<'o, Operation<'a>>,
    nested: std::slice::Iter<'o, Operation<'a>>,
}

impl<'o, 'a> Ahead<'o, 'a> {
    /// Starts ahead of the first of `ops`.
    pub(crate) fn new(ops: &'o [Operation<'a>], backends: bool) -> Ahead<'o, 'a> {
        let from = |k: usize| ops.get((k * DISTANCE).min(ops.len())..).unwrap_or_default().iter();
        Ahead { backends, definitions: from(4), lists: from(3), items: from(2), nested: from(1) }
    }

    /// Asks ahead of one more operation.
    pub(crate) fn step(&mut self) {
        if let Some(op) = self.definitions.next() {
            definition(op, self.backends);
        }
        if let Some(op) = self.lists.next() {
            lists(op.api, self.backends);
        }
        if let Some(op) = self.items.next() {
            items(op.api, self.backends);
        }
        if let Some(op) = self.nested.next() {
            nested(op.api, self.backends);
        }
    }
}

/// Asks for the cache line that holds `x`.
fn line<T>(x: &T) {
    prefetch_index(std::slice::from_ref(x), 0);
}

/// Asks for the line of each of the values.
macro_rules! lines {
    ($($value:expr),* $(,)?) => {
        $(line($value);)*
    };
}

/// Asks for the line of every field of a structure, named exhaustively so that none is forgotten;
/// those after `if` only when the condition holds.
macro_rules! fields {
    ($value:expr, $kind:ident { $($field:ident),* $(,)? } $(, if $when:expr => { $($more:ident),* $(,)? })?) => {{
        let $kind { $($field,)* $($($more),*)? } = $value;
        lines!($($field),*);
        $(if $when {
            lines!($($more),*);
        })?
    }};
}

/// Asks for the first line of every element of `list`.
fn elements<T>(list: &[T]) {
    (0..list.len()).for_each(|i| prefetch_index(list, i));
}

/// Asks for every cache line of `s`.
fn text(s: &str) {
    let bytes = s.as_bytes();
    for i in (0..bytes.len()).step_by(64) {
        prefetch_index(bytes, i);
    }
    if let Some(last) = bytes.len().checked_sub(1) {
        prefetch_index(bytes, last);
    }
}

fn optional_text(s: &Option<String>) {
    if let Some(s) = s {
        text(s);
    }
}

/// Depth 0: the definition itself, and the operation's bound policies.
fn definition(op: &Operation<'_>, backends: bool) {
    // The inline backends span several lines: their other fields follow at depth 1.
    fields!(
        op.api,
        Api {
            id,
            group_id,
            name,
            api_type,
            version,
            req_protocol,
            req_method,
            req_uri,
            auth_type,
            auth_opt,
            cors,
            match_mode,
            backend_type,
            remark,
            body_remark,
            result_normal_sample,
            result_failure_sample,
            authorizer_id,
            tags,
            response_id,
            content_type,
            is_send_fg_body_base64,
            req_params,
        },
        if backends => { mock_info, func_info, backend_api, backend_params, policy_https, policy_functions, policy_mocks }
    );
    prefetch_index(op.selected.acls.indices(), 0);
    prefetch_index(op.selected.plugins.indices(), 0);
}

/// Depth 1: the elements of the definition's lists, and its own texts.
fn lists(api: &Api, backends: bool) {
    for text in [&api.name, &api.remark, &api.req_uri, &api.body_remark, &api.result_normal_sample] {
        self::text(text);
    }
    text(&api.result_failure_sample);
    optional_text(&api.authorizer_id);
    optional_text(&api.response_id);
    elements(&api.tags);
    api.req_params.iter().for_each(req_param);
    if !backends {
        return;
    }
    each_backend(api, backend, function, mock);
    api.backend_params.iter().for_each(backend_param);
    policies(api).for_each(policy);
}

/// Depth 2: what the elements of depth 1 point to.
fn items(api: &Api, backends: bool) {
    api.tags.iter().for_each(|t| text(t));
    for p in &api.req_params {
        for t in [&p.name, &p.remark, &p.default_value, &p.sample_value, &p.enumerations] {
            text(t);
        }
        elements(&p.orchestrations);
    }
    if !backends {
        return;
    }
    each_backend(api, backend_texts, function_texts, mock_texts);
    api.backend_params.iter().for_each(backend_param_texts);
    for p in policies(api) {
        text(&p.name);
        p.backend_params.iter().for_each(backend_param);
        p.conditions.iter().for_each(condition);
    }
}

/// Depth 3: the texts of lists within list elements.
fn nested(api: &Api, backends: bool) {
    for p in &api.req_params {
        p.orchestrations.iter().for_each(|o| text(o));
    }
    if !backends {
        return;
    }
    for p in policies(api) {
        p.backend_params.iter().for_each(backend_param_texts);
        p.conditions.iter().for_each(condition_texts);
    }
    let headers = |m: &MockInfo| {
        m.headers.iter().for_each(|KeyValue { key, value }| {
            text(key);
            text(value);
        });
    };
    each_backend(api, |_| {}, |_| {}, headers);
}

/// Visits every backend of the definition, its own and its policies', by kind.
fn each_backend(
    api: &Api,
    backend: impl FnMut(&BackendApi),
    function: impl FnMut(&FuncInfo),
    mock: impl FnMut(&MockInfo),
) {
    api.backend_api.iter().chain(api.policy_https.iter().map(|p| &p.backend)).for_each(backend);
    api.func_info.iter().chain(api.policy_functions.iter().map(|p| &p.function)).for_each(function);
    api.mock_info.iter().chain(api.policy_mocks.iter().map(|p| &p.mock)).for_each(mock);
}

/// The common part of every backend policy of the definition.
fn policies(api: &Api) -> impl Iterator<Item = &PolicyCommon> {
    let http = api.policy_https.iter().map(|p| &p.policy);
    let functions = api.policy_functions.iter().map(|p| &p.policy);
    http.chain(functions).chain(api.policy_mocks.iter().map(|p| &p.policy))
}

fn req_param(p: &ReqParam) {
    fields!(
        p,
        ReqParam {
            id,
            name,
            param_type,
            location,
            default_value,
            sample_value,
            required,
            valid_enable,
            remark,
            enumerations,
            min_num,
            max_num,
            min_size,
            max_size,
            regular,
            json_schema,
            pass_through,
            orchestrations
        }
    );
}

fn backend(b: &BackendApi) {
    fields!(
        b,
        BackendApi {
            url_domain,
            req_protocol,
            remark,
            req_method,
            req_uri,
            timeout,
            enable_client_ssl,
            retry_count,
            vpc_channel_info,
            vpc_channel_status,
            authorizer_id
        }
    );
}

fn backend_texts(b: &BackendApi) {
    text(&b.url_domain);
    text(&b.remark);
    text(&b.req_uri);
    optional_text(&b.retry_count);
    optional_text(&b.authorizer_id);
    if let Some(info) = &b.vpc_channel_info {
        text(&info.vpc_channel_id);
        text(&info.vpc_channel_proxy_host);
    }
}

fn function(f: &FuncInfo) {
    fields!(
        f,
        FuncInfo {
            function_urn,
            remark,
            invocation_type,
            network_type,
            version,
            alias_urn,
            timeout,
            authorizer_id,
            req_protocol
        }
    );
}

fn function_texts(f: &FuncInfo) {
    for t in [&f.function_urn, &f.remark, &f.version, &f.alias_urn] {
        text(t);
    }
    optional_text(&f.authorizer_id);
}

fn mock(m: &MockInfo) {
    fields!(m, MockInfo { remark, result_content, status_code, headers, authorizer_id });
}

fn mock_texts(m: &MockInfo) {
    text(&m.remark);
    text(&m.result_content);
    optional_text(&m.authorizer_id);
    elements(&m.headers);
}

fn policy(p: &PolicyCommon) {
    fields!(p, PolicyCommon { name, effect_mode, backend_params, conditions });
}

fn backend_param(p: &BackendParam) {
    fields!(p, BackendParam { origin, name, remark, location, value });
}

fn backend_param_texts(p: &BackendParam) {
    text(&p.name);
    text(&p.remark);
    text(&p.value);
}

fn condition(c: &Condition) {
    fields!(
        c,
        Condition {
            req_param_name,
            sys_param_name,
            cookie_param_name,
            frontend_authorizer_param_name,
            condition_type,
            condition_origin,
            condition_value,
            mapped_param_name,
            mapped_param_location
        }
    );
}

fn condition_texts(c: &Condition) {
    let names = [&c.req_param_name, &c.sys_param_name, &c.cookie_param_name, &c.frontend_authorizer_param_name];
    for t in names.into_iter().chain([&c.condition_value, &c.mapped_param_name, &c.mapped_param_location]) {
        text(t);
    }
}
