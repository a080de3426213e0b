//! A count of the steps the catalog checks and the renderer take, so tests can check how work
//! grows with the input (n → 4n) by counting instead of timing.
//!
//! Every loop over catalog items and every lookup calls [`step`]; a scan hidden in a loop
//! (`contains` on a list, `iter().any`) is what would make the count grow quadratically, so the
//! checks use indexed lookups instead. Outside tests [`step`] does nothing.

#[cfg(test)]
thread_local! {
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts one step (in tests; nothing otherwise).
#[inline(always)]
pub(crate) fn step() {
    #[cfg(test)]
    STEPS.with(|s| s.set(s.get().saturating_add(1)));
}

/// The steps counted on this thread since the last call.
#[cfg(test)]
pub(crate) fn take() -> u64 {
    STEPS.with(|s| s.replace(0))
}

#[cfg(test)]
mod tests {
    //! Each shape that used to make a check quadratic, at n and 4n: the steps may grow by 4× times
    //! the growth of log n, no more.

    use serde_json::{json, Value};

    use crate::{export, Catalog, Dialect, ExportRequest, Profile, Scope, Settings};

    /// A valid catalog of one group with `apis`, every API published in RELEASE.
    fn catalog(apis: Vec<Value>, extra: impl FnOnce(&mut Value)) -> Value {
        let publications: Vec<Value> =
            apis.iter().map(|a| json!({"api_id": a["id"].clone(), "env_id": "RELEASE"})).collect();
        let mut v = json!({
            "groups": [{"id": "g1", "name": "shop", "sl_domain": "g1.example.com"}],
            "environments": [{"id": "RELEASE", "name": "RELEASE"}],
            "apis": apis,
            "publications": publications,
        });
        extra(&mut v);
        v
    }

    fn api(i: usize, uri: &str) -> Value {
        json!({
            "id": format!("a{i}"), "group_id": "g1", "name": format!("API_{i}"), "req_method": "GET",
            "req_uri": uri, "backend_type": "HTTP",
            "backend_api": {"url_domain": "b.example.com", "req_method": "GET", "req_uri": "/"},
        })
    }

    /// One API with `n` request parameters, `n` backend parameters taken from them, and a backend
    /// policy with `n` conditions on them.
    fn backend_params(n: usize) -> Value {
        let mut a = api(0, "/x");
        a["req_params"] =
            (0..n).map(|i| json!({"name": format!("q{i}"), "type": "STRING", "location": "QUERY"})).collect();
        a["backend_params"] = (0..n)
            .map(|i| json!({"origin": "REQUEST", "name": format!("b{i}"), "location": "QUERY", "value": format!("q{i}")}))
            .collect();
        let conditions: Vec<Value> = (0..n)
            .map(|i| json!({"condition_origin": "param", "req_param_name": format!("q{i}"), "condition_type": "exact", "condition_value": "1"}))
            .collect();
        a["policy_https"] =
            json!([{"name": "pol", "url_domain": "c.example.com", "req_uri": "/", "conditions": conditions}]);
        catalog(vec![a], |_| {})
    }

    /// One API whose path has `n` greedy variables, each a PATH parameter.
    fn path_variables(n: usize) -> Value {
        let uri: String = (0..n).map(|i| format!("/{{p{i}+}}")).collect();
        let mut a = api(0, &uri);
        a["req_params"] = (0..n)
            .map(|i| json!({"name": format!("p{i}"), "type": "STRING", "location": "PATH", "required": 1}))
            .collect();
        catalog(vec![a], |_| {})
    }

    /// One API bound to `n` ACL policies and `n` plug-ins.
    fn bindings(n: usize) -> Value {
        catalog(vec![api(0, "/x")], |v| {
            v["acls"] = (0..n)
                .map(|i| json!({"id": format!("acl{i}"), "acl_name": format!("acl_{}", n - i), "acl_type": "PERMIT", "entity_type": "IP", "acl_value": "10.0.0.0/8"}))
                .collect();
            v["plugins"] =
                (0..n).map(|i| json!({"plugin_id": format!("p{i}"), "plugin_name": format!("Plugin_{i}")})).collect();
            v["acl_bindings"] =
                (0..n).map(|i| json!({"acl_id": format!("acl{i}"), "api_id": "a0", "env_id": "RELEASE"})).collect();
            v["plugin_bindings"] =
                (0..n).map(|i| json!({"plugin_id": format!("p{i}"), "api_id": "a0", "env_id": "RELEASE"})).collect();
        })
    }

    /// `n` APIs, each using its own of the group's `n` gateway responses.
    fn gateway_responses(n: usize) -> Value {
        let apis = (0..n)
            .map(|i| {
                let mut a = api(i, &format!("/x{i}"));
                a["response_id"] = json!(format!("r{i}"));
                a
            })
            .collect();
        catalog(apis, |v| {
            v["groups"][0]["gateway_responses"] =
                (0..n).map(|i| json!({"id": format!("r{i}"), "name": format!("resp{i}"), "responses": {}})).collect();
        })
    }

    /// Steps to load the catalog, then to export it (`all`, Strict, both dialects).
    fn steps(v: &Value) -> (u64, u64) {
        let bytes = serde_json::to_vec(v).unwrap();
        super::take();
        let catalog = Catalog::from_json(&bytes).unwrap();
        let load = super::take();
        let clock = crate::FixedClock::from_ymd_hms(2024, 1, 2, 3, 4, 5).unwrap();
        let settings = Settings::default().with_profile(Profile::Strict).with_clock(std::sync::Arc::new(clock));
        for dialect in [Dialect::Swagger2, Dialect::OpenApi3] {
            let request = ExportRequest::new("g1", "RELEASE").with_scope(Scope::All).with_dialect(dialect);
            export(&catalog, &request, &settings).unwrap();
        }
        (load, super::take())
    }

    /// Builds a shape's catalog at a size.
    type Shape = fn(usize) -> Value;

    #[test]
    #[allow(clippy::print_stderr)] // the figures BENCHMARKS.md reports, seen with --nocapture
    fn every_adversarial_shape_grows_by_n_log_n_at_most() {
        let n = 250;
        let bound = 4.0 * ((4 * n) as f64).log2() / (n as f64).log2();
        let shapes: [(&str, Shape); 4] = [
            ("backend parameters × request parameters", backend_params),
            ("path variables × PATH parameters", path_variables),
            ("bindings per API", bindings),
            ("gateway responses × APIs", gateway_responses),
        ];
        for (name, shape) in shapes {
            let (load, render) = steps(&shape(n));
            let (load4, render4) = steps(&shape(4 * n));
            assert!(load >= n as u64 && render > 0, "{name}: {load} {render}");
            let growth = (load4 as f64 / load as f64, render4 as f64 / render as f64);
            eprintln!("{name}: checks {:.2}×, export {:.2}× from n = {n} to 4n (bound {bound:.2})", growth.0, growth.1);
            assert!(growth.0 <= bound, "{name}: checks grew {:.2}× from n to 4n ({load} → {load4})", growth.0);
            assert!(growth.1 <= bound, "{name}: export grew {:.2}× from n to 4n ({render} → {render4})", growth.1);
        }
    }
}
