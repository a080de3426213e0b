//! The documented catalog example loads and exports as its text says.

use crate::common::*;
use apig_export::{export, Catalog, ExportRequest, Profile};

fn example() -> String {
    let doc = String::from_utf8(read(&root().join("docs/catalog.md"))).unwrap();
    let start = doc.find("```json\n").expect("a json block") + "```json\n".len();
    let len = doc[start..].find("```").expect("closed block");
    doc[start..start + len].to_owned()
}

#[test]
fn the_catalog_example_loads_and_exports_as_described() {
    let catalog = Catalog::from_json(example().as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let request = ExportRequest::parse(
        None,
        br#"{"env_id": "DEFAULT_ENVIRONMENT_RELEASE_ID", "group_id": "g-shop", "define": "all"}"#,
    )
    .unwrap();
    let exported = export(&catalog, &request, &settings(Profile::Apig)).unwrap();
    let doc: serde_json::Value = serde_json::from_str(exported.content().replace("\n,\n", ",\n").as_str()).unwrap();
    let get = &doc["paths"]["/orders/{orderId}"]["get"];
    let names: Vec<&str> = get["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["lang", "orderId"], "as published: no currency");
    assert!(get.get("x-apigateway-backend-policies").is_none(), "as published: no backend policy");
    assert_eq!(get["x-apigateway-ratelimit"], "tp_basic");
    assert_eq!(get["x-apigateway-access-control"], "acl_office");
    assert_eq!(get["x-apigateway-response"], "default");
    assert_eq!(doc["paths"]["/echo"]["post"]["responses"]["default"]["$ref"], "#/responses/default-cors");
    assert!(exported.warnings().is_empty(), "{:?}", exported.warnings());
}
