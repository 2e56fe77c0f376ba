//! The mapping engine's own cases: every directive's edge cases, beyond mapping-kit's suite.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use astrolabe_segment::mapping::{js_number_to_string, transform, validate_mapping, Mapping, MappingError};
use serde_json::{json, Value};

fn run(mapping: Value, payload: Value) -> Option<Value> {
    transform(&mapping, &payload).unwrap_or_else(|e| panic!("{mapping}: {e}"))
}

fn fails(mapping: Value, payload: Value) -> String {
    match transform(&mapping, &payload) {
        Ok(out) => panic!("{mapping}: expected an error, got {out:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn paths_with_brackets_quotes_and_indices() {
    let payload = json!({
        "properties": {"total billed": 12, "items": [{"id": "a"}, {"id": "b"}], "it's": 1},
        "[txt] key": true,
        "a.b": "dotted"
    });
    assert_eq!(run(json!({"@path": "$.properties[\"total billed\"]"}), payload.clone()), Some(json!(12)));
    assert_eq!(run(json!({"@path": "$.properties['total billed']"}), payload.clone()), Some(json!(12)));
    assert_eq!(run(json!({"@path": "$.properties.items[1].id"}), payload.clone()), Some(json!("b")));
    assert_eq!(run(json!({"@path": "properties.items.0.id"}), payload.clone()), Some(json!("a")));
    assert_eq!(run(json!({"@path": "$.[txt] key"}), payload.clone()), Some(json!(true)));
    // A dot inside quotes still splits, as in mapping-kit; so does a quote vanish.
    assert_eq!(run(json!({"x": {"@path": "$[\"a.b\"]"}}), payload.clone()), Some(json!({})));
    assert_eq!(run(json!({"@path": "$.properties.its"}), payload), None);
}

#[test]
fn dollar_dot_is_stripped_once() {
    let payload = json!({"a": {"b": 1}, "$": {"a": 2}});
    assert_eq!(run(json!({"@path": "$.a.b"}), payload.clone()), Some(json!(1)));
    assert_eq!(run(json!({"@path": "$.$.a"}), payload.clone()), Some(json!(2)));
    assert_eq!(run(json!({"@path": "$."}), payload.clone()), Some(payload.clone()));
    assert_eq!(run(json!({"@path": "."}), payload.clone()), Some(payload));
}

#[test]
fn walking_into_falsy_values_and_strings() {
    let payload = json!({"zero": 0, "f": false, "empty": "", "n": null, "s": "hello"});
    assert_eq!(run(json!({"@path": "$.zero.b"}), payload.clone()), Some(json!(0)));
    assert_eq!(run(json!({"@path": "$.f.b.c"}), payload.clone()), Some(json!(false)));
    assert_eq!(run(json!({"@path": "$.empty.length"}), payload.clone()), Some(json!("")));
    assert_eq!(run(json!({"@path": "$.n.x"}), payload.clone()), Some(json!(null)));
    assert_eq!(run(json!({"@path": "$.s.length"}), payload.clone()), Some(json!(5)));
    assert_eq!(run(json!({"@path": "$.s[1]"}), payload.clone()), Some(json!("e")));
    assert_eq!(run(json!({"@path": "$.s.x"}), payload), None);
}

#[test]
fn path_given_by_a_directive_must_be_a_string() {
    let payload = json!({"p": "a.b", "a": {"b": 3}, "n": 5});
    assert_eq!(run(json!({"@path": {"@path": "$.p"}}), payload.clone()), Some(json!(3)));
    assert_eq!(fails(json!({"@path": {"@path": "$.n"}}), payload.clone()), "@path: expected string, got number");
    assert_eq!(fails(json!({"@path": {"@path": "$.zz"}}), payload), "@path: expected string, got undefined");
}

#[test]
fn templates_with_missing_values_and_js_strings() {
    let payload = json!({"n": 1.0, "f": 1.5, "big": 1e21, "arr": [1, null, 2], "o": {"a": 1}, "t": true});
    assert_eq!(
        run(json!({"@template": "{{n}}|{{f}}|{{big}}|{{arr}}|{{o}}|{{t}}|{{missing}}|{{o.missing.x}}"}), payload),
        Some(json!("1|1.5|1e+21|1,,2|[object Object]|true||"))
    );
    assert_eq!(run(json!({"@template": "{{ $.a }}"}), json!({"a": 1})), Some(json!("")));
    assert_eq!(run(json!({"@template": {"@path": "$.t"}}), json!({"t": "Hi {{a}}", "a": "x"})), Some(json!("Hi x")));
}

#[test]
fn if_with_both_keys_and_truthiness() {
    // `exists` wins when both are present, even when falsy (but one of them must be truthy).
    let m = json!({"@if": {"exists": {"@path": "$.a"}, "blank": {"@path": "$.b"}, "then": "T", "else": "E"}});
    assert_eq!(run(m, json!({"a": "", "b": ""})), Some(json!("T")));
    let m = json!({"@if": {"exists": null, "blank": {"@path": "$.b"}, "then": "T", "else": "E"}});
    assert_eq!(run(m, json!({"b": "x"})), Some(json!("E")));
    let m = json!({"@if": {"exists": 0, "then": 1}});
    assert_eq!(fails(m, json!({})), "@if requires an \"exists\" key or a \"blank\" key");
    // blank: 0, false, [] and [null] are loosely equal to "".
    for (value, expected) in [
        (json!(0), "E"),
        (json!(false), "E"),
        (json!([]), "E"),
        (json!([null]), "E"),
        (json!("0"), "T"),
        (json!({}), "T"),
        (json!([0]), "T"),
    ] {
        let m = json!({"@if": {"blank": {"@path": "$.v"}, "then": "T", "else": "E"}});
        assert_eq!(run(m, json!({"v": value})), Some(json!(expected)), "{value}");
    }
    // `else` is used only when truthy; `then` whenever present.
    let m = json!({"x": {"@if": {"exists": {"@path": "$.nope"}, "then": 1, "else": 0}}});
    assert_eq!(run(m, json!({})), Some(json!({})));
    let m = json!({"@if": {"exists": 1, "then": null}});
    assert_eq!(run(m, json!({})), Some(json!(null)));
}

#[test]
fn case_edge_cases() {
    let m = json!({"@case": {"operator": "upper", "value": {"@path": "$.s"}}});
    assert_eq!(run(m, json!({"s": "straße"})), Some(json!("STRASSE")));
    let m = json!({"@case": {"operator": "snake", "value": {"@path": "$.n"}}});
    assert_eq!(run(m, json!({"n": 1})), Some(json!(1)));
    let m = json!({"x": {"@case": {"operator": "lower"}}});
    assert_eq!(run(m, json!({})), Some(json!({})));
}

#[test]
fn replace_options() {
    let r = |opts: Value, a: Value| run(json!({"@replace": opts}), json!({"a": a}));
    let v = json!({"@path": "$.a"});
    assert_eq!(
        r(json!({"pattern": "ab", "replacement": "x", "ignorecase": true, "value": v}), json!("AB-ab-aB")),
        Some(json!("x-x-x"))
    );
    assert_eq!(
        r(
            json!({"pattern": "ab", "replacement": "x", "ignorecase": true, "global": false, "value": v}),
            json!("AB-ab")
        ),
        Some(json!("x-ab"))
    );
    assert_eq!(r(json!({"pattern": ".", "replacement": "-", "value": v}), json!("a.b.c")), Some(json!("a-b-c")));
    assert_eq!(
        r(json!({"pattern": "-", "replacement": " ", "pattern2": "b", "value": v}), json!("a-b")),
        Some(json!("a "))
    );
    assert_eq!(r(json!({"pattern": "1.5", "replacement": "x", "value": v}), json!(1.5)), Some(json!("x")));
    assert_eq!(r(json!({"pattern": "x", "value": v}), json!({"o": 1})), Some(json!("")));
    assert_eq!(r(json!({"pattern": "b", "replacement": "[$&]", "value": v}), json!("abc")), Some(json!("a[b]c")));
    // A missing value gives "" (mapping-kit's type checks fail), not undefined.
    assert_eq!(r(json!({"pattern": "x", "value": v}), Value::Null), Some(json!("")));
}

#[test]
fn json_encode_and_decode() {
    let enc = |v: Value| run(json!({"@json": {"mode": "encode", "value": {"@path": "$.v"}}}), json!({"v": v}));
    assert_eq!(enc(json!(1.0)), Some(json!("1")));
    assert_eq!(enc(json!({"a": [1, "x"]})), Some(json!("{\"a\":[1,\"x\"]}")));
    let dec = |v: Value| run(json!({"@json": {"mode": "decode", "value": {"@path": "$.v"}}}), json!({"v": v}));
    assert_eq!(dec(json!("{\"a\": 1}")), Some(json!({"a": 1})));
    assert_eq!(dec(json!("not json")), Some(json!("not json")));
    assert_eq!(dec(json!("")), Some(json!("")));
    assert_eq!(dec(json!(5)), Some(json!(5)));
    // Validation accepts any letter case, resolution only lower case.
    assert_eq!(run(json!({"x": {"@json": {"mode": "ENCODE", "value": 1}}}), json!({})), Some(json!({})));
    assert_eq!(fails(json!({"@json": {"mode": "encode", "value": 0}}), json!({})), "@json requires a \"value\" key");
}

#[test]
fn flatten_with_and_without_arrays() {
    let payload = json!({"v": {"a": {"b": [1, {"c": 2}]}, "d": {}}});
    let m = json!({"@flatten": {"value": {"@path": "$.v"}, "separator": "."}});
    assert_eq!(run(m, payload.clone()), Some(json!({"a.b.0": 1, "a.b.1.c": 2})));
    let m = json!({"@flatten": {"value": {"@path": "$.v"}, "separator": "__", "omitArrays": true}});
    assert_eq!(run(m, payload), Some(json!({"a__b": [1, {"c": 2}]})));
    let m = json!({"@flatten": {"value": {"@path": "$.s"}, "separator": "."}});
    assert_eq!(run(m, json!({"s": "x"})), Some(json!({"": "x"})));
    let m = json!({"@flatten": {"value": 1, "separator": {"@path": "$.n"}}});
    assert_eq!(fails(m.clone(), json!({"n": 1})), "/@flatten/separator should be a string but it is a directive.");
    // Inside an array (not validated) the separator is resolved, and must give a string.
    let compiled = Mapping::compile(&json!([m])).unwrap();
    assert_eq!(compiled.resolve(&json!({"n": "-"})).unwrap(), Some(json!([{"": 1}])));
    assert_eq!(compiled.resolve(&json!({"n": 1})).unwrap_err().to_string(), "@flatten requires a string separator");
}

#[test]
fn merge_directions_and_undefined_members() {
    let objects = json!([{"a": 1, "b": 1}, {"a": 2, "c": {"@path": "$.c"}}, {"@path": "$.o"}]);
    let payload = json!({"c": 3, "o": {"d": 4}});
    assert_eq!(
        run(json!({"@merge": {"direction": "right", "objects": objects}}), payload.clone()),
        Some(json!({"a": 2, "b": 1, "c": 3, "d": 4}))
    );
    assert_eq!(
        run(json!({"@merge": {"direction": "left", "objects": objects}}), payload),
        Some(json!({"a": 1, "b": 1, "c": 3, "d": 4}))
    );
    // An undefined member overrides (and so removes) an earlier value, as Object.assign does.
    let m = json!({"@merge": {"direction": "right", "objects": [{"@path": "$."}, {"secret": {"@path": "$.nope"}}]}});
    assert_eq!(run(m, json!({"secret": 1, "keep": 2})), Some(json!({"keep": 2})));
    // Non-object results add nothing, strings spread by index.
    let m = json!({"@merge": {"direction": "right", "objects": [{"@path": "$.n"}, {"@path": "$.s"}, {"a": 1}]}});
    assert_eq!(run(m, json!({"n": 1, "s": "hi"})), Some(json!({"0": "h", "1": "i", "a": 1})));
}

#[test]
fn array_path_with_lone_object_and_missing_path() {
    let shape = json!({"id": {"@path": "$.id"}});
    assert_eq!(run(json!({"@arrayPath": ["$.p", shape]}), json!({"p": {"id": 1}})), Some(json!([{"id": 1}])));
    assert_eq!(run(json!({"x": {"@arrayPath": ["$.missing", shape]}}), json!({})), Some(json!({})));
    assert_eq!(run(json!({"@arrayPath": ["$.s", shape]}), json!({"s": "str"})), Some(json!("str")));
    // Non-object items are payloads too; an empty or array shape returns the root as it is.
    assert_eq!(
        run(json!({"@arrayPath": ["$.p", {"v": {"@path": ""}, "l": {"@path": "length"}}]}), json!({"p": [1, "ab"]})),
        Some(json!([{"v": 1}, {"v": "ab", "l": 2}]))
    );
    assert_eq!(run(json!({"@arrayPath": ["$.p", {}]}), json!({"p": [1]})), Some(json!([1])));
    assert_eq!(run(json!({"@arrayPath": ["$.p", [1]]}), json!({"p": [1]})), Some(json!([1])));
    // Undefined items stay as null in the array.
    assert_eq!(
        run(json!({"@arrayPath": ["$.p", {"@path": "$.x"}]}), json!({"p": [{"x": 1}, {}]})),
        Some(json!([1, null]))
    );
}

#[test]
fn exclude_when_null_nested() {
    let m = json!({"a": {"@excludeWhenNull": {"@path": "$.v"}}, "b": {"@path": "$.v"}});
    assert_eq!(run(m, json!({"v": null})), Some(json!({"b": null})));
    let m = json!({"a": {"@excludeWhenNull": {"@path": "$.o"}}});
    assert_eq!(
        run(m, json!({"o": {"x": null, "y": {"z": null, "w": [null, {"q": null}]}}})),
        Some(json!({"a": {"y": {"w": [null, {}]}}}))
    );
    let m = json!({"a": {"@excludeWhenNull": {"@excludeWhenNull": {"@literal": null}}}});
    assert_eq!(run(m, json!({})), Some(json!({})));
}

#[test]
fn transform_apply_and_root_directive() {
    let m = json!({"@transform": {"apply": {"x": {"@path": "$.a"}}, "mapping": {"y": {"@path": "$.x"}}}});
    assert_eq!(run(m, json!({"a": 1})), Some(json!({"y": 1})));
    // Inside @arrayPath the payload of @transform may not be an object.
    let m = json!({"@arrayPath": ["$.p", {"t": {"@transform": {"apply": {"x": 1}, "mapping": {"@path": "$.x"}}}}]});
    assert_eq!(fails(m, json!({"p": [1]})), "data must be an object, got number");
    let m = json!({
        "__segment_internal_directive": {"@transform": {"apply": {"props": {"@flatten": {"value": {"@path": "$.p"}, "separator": "_"}}}}},
        "flat": {"@path": "$.props"}
    });
    assert_eq!(run(m, json!({"p": {"a": {"b": 1}}})), Some(json!({"flat": {"a_b": 1}})));
    let bad = json!({"__segment_internal_directive": {"@path": "x", "@if": 1}});
    assert_eq!(validate_mapping(&bad), ["The root mapping must only have a single directive object"]);
    let bad = json!({"__segment_internal_directive": {"@path": "x"}});
    assert_eq!(validate_mapping(&bad), ["The root directive must be an object"]);
}

#[test]
fn segment_internal_directive_other_than_transform() {
    // The siblings become a `mapping` key of the directive, which @if ignores.
    let m = json!({"__segment_internal_directive": {"@if": {"exists": {"@path": "$.a"}, "then": "yes"}}, "x": 1});
    assert_eq!(run(m, json!({"a": 1})), Some(json!("yes")));
}

#[test]
fn payload_must_be_an_object_for_transform_only() {
    assert_eq!(fails(json!({}), json!("x")), "data must be an object, got string");
    assert_eq!(fails(json!({}), json!(null)), "data must be an object, got null");
    let compiled = Mapping::compile(&json!({"@path": "length"})).unwrap();
    assert_eq!(compiled.resolve(&json!("abc")).unwrap(), Some(json!(3)));
}

#[test]
fn non_object_mappings_are_spread_by_transform() {
    assert_eq!(run(json!(["cool"]), json!({})), Some(json!({"0": "cool"})));
    assert_eq!(run(json!(123), json!({})), Some(json!({})));
    assert_eq!(Mapping::compile(&json!(["cool"])).unwrap().resolve(&json!({})).unwrap(), Some(json!(["cool"])));
}

#[test]
fn unvalidated_places_keep_mapping_kit_runtime_errors() {
    // Arrays are not validated: their bad directives fail when resolved.
    assert!(validate_mapping(&json!([{"@oops": 1}])).is_empty());
    let compiled = Mapping::compile(&json!([{"@oops": 1}])).unwrap();
    assert_eq!(compiled.resolve(&json!({})).unwrap_err().to_string(), "@oops is not a valid directive, got undefined");
    // A mixed object inside an array is a plain object.
    let compiled = Mapping::compile(&json!([{"@path": "$.a", "b": 1}])).unwrap();
    assert_eq!(compiled.resolve(&json!({"a": 2})).unwrap(), Some(json!([{"@path": "$.a", "b": 1}])));
    // A failing branch that is not taken does not fail.
    let m = json!({"@if": {"exists": 1, "then": 1, "else": {"@literal": [{"@case": {"value": "x"}}]}}});
    assert_eq!(run(m, json!({})), Some(json!(1)));
}

#[test]
fn validation_collects_every_problem() {
    let problems = validate_mapping(&json!({
        "a": {"@path": 1},
        "b": {"@template": true},
        "c": {"@replace": {"pattern": "waytoolongpattern", "global": "no"}},
        "d": {"@oops": 1}
    }));
    assert_eq!(
        problems,
        [
            "/a/@path should be a string or a mapping directive but it is a number.",
            "/b/@template should be a string or a mapping directive but it is a boolean.",
            "/c/@replace/pattern should be a string of length 10 or less.",
            "/c/@replace should have field \"value\" but it doesn't.",
            "/c/@replace/global should be a boolean but it is a string.",
            "/d has an invalid directive: @oops."
        ]
    );
    let err: MappingError = transform(&json!({"a": {"@path": 1}, "b": {"@path": 2}}), &json!({})).unwrap_err();
    assert_eq!(err.messages().len(), 2);
}

#[test]
fn deep_mappings_and_payloads_do_not_overflow() {
    let mut mapping = json!({"@path": "$.a"});
    for _ in 0..200 {
        mapping = json!({"@literal": {"x": mapping}});
    }
    let problems = validate_mapping(&mapping);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("nested more than 64 levels"), "{problems:?}");

    let mut mapping = json!(1);
    for _ in 0..100_000 {
        mapping = Value::Array(vec![mapping]);
    }
    let result = std::thread::spawn(move || {
        let problems = validate_mapping(&mapping);
        std::mem::forget(mapping); // serde_json's own drop of this value is recursive
        problems
    })
    .join()
    .unwrap();
    assert_eq!(result.len(), 1);

    let mut payload = json!(1);
    for _ in 0..300 {
        payload = json!({"a": payload});
    }
    let err = transform(&json!({"x": {"@path": "$.a"}}), &payload).unwrap_err();
    assert!(err.to_string().contains("nested more than"), "{err}");
    // A payload within the limit works.
    let mut payload = json!(1);
    for _ in 0..100 {
        payload = json!({"a": payload});
    }
    let path = format!("$.{}", vec!["a"; 100].join("."));
    assert_eq!(run(json!({"@path": path}), payload), Some(json!(1)));
}

#[test]
fn number_strings() {
    assert_eq!(js_number_to_string(1.0), "1");
    assert_eq!(js_number_to_string(1e21), "1e+21");
    assert_eq!(js_number_to_string(-1.5e-7), "-1.5e-7");
}

#[cfg(feature = "liquid")]
#[test]
fn liquid_limits_and_disabled_tags() {
    let m = json!({"f": {"@liquid": "{{ p.w | upcase }}{{ p.missing.x }}"}});
    assert_eq!(run(m, json!({"p": {"w": "a"}})), Some(json!({"f": "A"})));
    assert_eq!(run(json!({"f": {"@liquid": ""}}), json!({})), Some(json!({"f": ""})));
    let long = format!("{{{{ a }}}}{}", "x".repeat(993));
    assert!(validate_mapping(&json!({"f": {"@liquid": long}})).is_empty());
    let too_long = format!("{{{{ a }}}}{}", "x".repeat(994));
    let problems = validate_mapping(&json!({"f": {"@liquid": too_long}}));
    assert_eq!(problems, ["liquid template values are limited to 1000 characters (at /f/@liquid)"]);
    for tag in ["case", "for", "include", "layout", "render", "tablerow"] {
        let problems = validate_mapping(&json!({"f": {"@liquid": format!("x\n  {{% {tag} %}}")}}));
        assert_eq!(problems, [format!("tag \"{tag}\" is disabled, line:2, col:3 (at /f/@liquid)")]);
    }
    let problems = validate_mapping(&json!({"f": {"@liquid": "{% if %}"}}));
    assert_eq!(problems.len(), 1, "{problems:?}");
    // Inside an array (not validated by mapping-kit) a bad template is still refused up front.
    assert_eq!(validate_mapping(&json!([{"@liquid": "{% for %}"}])).len(), 1);
}

#[cfg(not(feature = "liquid"))]
#[test]
fn liquid_is_not_available_in_the_lite_build() {
    let problems = validate_mapping(&json!({"f": {"@liquid": "{{ a }}"}}));
    assert_eq!(problems, ["/f/@liquid is not available in this build (compiled without the \"liquid\" feature)."]);
}

/// Integer literals past `i64` made the `liquid` parser panic, which traps the WebAssembly module
/// (found by fuzzing `transform`). Each is refused with its position, through every entry.
#[cfg(feature = "liquid")]
#[test]
fn liquid_integers_past_i64_are_refused_not_a_panic() {
    use astrolabe_segment::{Config, Destination};
    let big = "7".repeat(30);
    for (template, at) in [
        (format!("{{{{ {big} }}}}"), "line:1, col:4"),
        (format!("{{{{ -{big} | plus: 1 }}}}"), "line:1, col:4"),
        (format!("{{{{ \"a\" | plus: {big} }}}}"), "line:1, col:16"),
        (format!("{{% if {big} %}}x{{% endif %}}"), "line:1, col:7"),
        (format!("a\n{{{{ (1..{big}) | join }}}}"), "line:2, col:8"),
        ("{{ 9223372036854775808 }}".to_owned(), "line:1, col:4"),
    ] {
        let mapping = json!({"x": {"@liquid": template}});
        let error = fails(mapping.clone(), json!({}));
        assert!(error.contains("out of range") && error.contains(at), "{template}: {error}");
        let problems = validate_mapping(&mapping);
        assert!(problems.iter().any(|problem| problem.contains("out of range")), "{template}: {problems:?}");
        let config = Config::from_value(json!({"mappings": {"trackEvent": {"event": {"@liquid": template}}}})).unwrap();
        let refused = Destination::new(config).unwrap_err().to_string();
        assert!(refused.contains("out of range"), "{template}: {refused}");
    }
    // In range, in strings, in names and in floats, integers are fine.
    for template in [
        "{{ 9223372036854775807 }}",
        "{{ -9223372036854775807 | plus: 1 }}",
        "{{ '77777777777777777777777777' }}",
        "{{ a77777777777777777777777777 }}",
        "{{ 1.77777777777777777777777777 }}",
    ] {
        assert!(transform(&json!({"x": {"@liquid": template}}), &json!({})).is_ok(), "{template}");
    }
}

/// A bad template is told in our words (no pest excerpt, no grammar rule names), with its line
/// and column in the template and the field it is in, through every entry that compiles it.
#[cfg(feature = "liquid")]
#[test]
fn liquid_syntax_errors_name_the_field_and_the_place_in_the_template() {
    use astrolabe_segment::{Config, Destination};
    for (template, words) in [
        ("{{ a | }}", "expected a name, line:1, col:8"),
        ("Hi\n{{ a b }}", "expected a value, line:2, col:4"),
        ("{% if a %}x", "block not closed: {% endif %} expected, line:1, col:12"),
        ("{{ a", "output \"{{ a\" not closed, line:1, col:1"),
    ] {
        let mapping = json!({"greeting": {"@liquid": template}});
        assert_eq!(validate_mapping(&mapping), vec![format!("{words} (at /greeting/@liquid)")]);
        let config =
            Config::from_value(json!({"mappings": {"upsertUser": {"traits": {"greeting": {"@liquid": template}}}}}));
        let refused = Destination::new(config.unwrap()).unwrap_err().to_string();
        assert!(refused.contains(words) && refused.contains("upsertUser"), "{template}: {refused}");
        assert!(!refused.contains("-->") && !refused.contains("Identifier"), "{refused}");
    }
}

/// The arithmetic filters past `i64`: a double, as liquidjs computes, never a wrapped integer or a
/// panic (`i64::MIN / -1` panicked and trapped the module; `plus` wrapped). Found by fuzzing.
#[cfg(feature = "liquid")]
#[test]
fn liquid_arithmetic_past_i64_is_a_double_not_a_wrap_or_a_panic() {
    let render = |template: &str| run(json!({"x": {"@liquid": template}}), json!({"min": i64::MIN, "max": i64::MAX}));
    for (template, want) in [
        // As JavaScript writes the double (liquidjs' answer).
        ("{{ max | plus: 1 }}", "9223372036854776000"),
        ("{{ min | minus: 1 }}", "-9223372036854776000"),
        ("{{ max | times: 2 }}", "18446744073709552000"),
        ("{{ min | divided_by: -1 }}", "9223372036854776000"),
        ("{{ min | modulo: -1 }}", "0"),
        ("{{ min | abs }}", "9223372036854776000"),
        // Within i64 and for doubles, as before.
        ("{{ 7 | plus: 3 }}{{ 7 | minus: 3 }}{{ 7 | times: 3 }}{{ 7 | divided_by: 2 }}{{ 7 | modulo: 3 }}", "1042131"),
        ("{{ -7 | abs }} {{ 1.5 | plus: 1 }} {{ 7.0 | divided_by: 2 }}", "7 2.5 3.5"),
    ] {
        assert_eq!(render(template), Some(json!({"x": want})), "{template}");
    }
    let failure = fails(json!({"x": {"@liquid": "{{ 1 | divided_by: 0 }}"}}), json!({}));
    assert!(failure.contains("filter \"divided_by\": can't divide by zero"), "{failure}");
    for template in ["{{ 1 | plus }}", "{{ 1 | plus: 1, 2 }}", "{{ 1 | abs: 2 }}"] {
        let problems = validate_mapping(&json!({"x": {"@liquid": template}}));
        assert!(!problems.is_empty(), "{template}");
    }
}
