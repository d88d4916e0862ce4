//! The paging rules and name matching of `devices`, against canned pages.

use super::*;

fn device(n: usize) -> Value {
    json!({
        "id": format!("80:00:00:00:00:00:{n:05}"),
        "name": format!("device-{n}"),
        "state": if n % 3 == 0 { "inactive" } else { "active" },
        "online": n % 2 == 0,
        "services": [
            {"id": format!("80:00:00:00:00:01:{n:05}"), "name": "SSH", "application": 28, "port": 22},
            {"id": format!("80:00:00:00:00:02:{n:05}"), "name": null, "application": null, "port": null},
        ],
    })
}

/// The pages a well-behaved API gives for `total` devices.
fn honest(total: usize) -> impl FnMut(usize) -> Result<Value> {
    move |from| {
        let end = total.min(from + PAGE_SIZE);
        let items: Vec<Value> = (from..end).map(device).collect();
        Ok(json!({"total": total, "hasMore": end < total, "items": items}))
    }
}

#[test]
fn every_device_comes_once_in_order_for_sizes_around_the_page_size() {
    for total in [0, 1, 999, 1000, 1001, 2500] {
        let mut requests = Vec::new();
        let mut pages = honest(total);
        let devices = collect_pages(|from| {
            requests.push(from);
            pages(from)
        })
        .unwrap();
        assert_eq!(devices.len(), total);
        for (n, d) in devices.iter().enumerate() {
            assert_eq!(d.name, format!("device-{n}"));
        }
        let expected: Vec<usize> = (0..total.div_ceil(PAGE_SIZE).max(1))
            .map(|p| p * PAGE_SIZE)
            .collect();
        assert_eq!(requests, expected, "{total} devices");
    }
}

#[test]
fn devices_and_services_decode_with_their_fields() {
    let devices = collect_pages(honest(3)).unwrap();
    let d = &devices[2];
    assert_eq!(
        (d.id.as_str(), d.state.as_str(), d.online),
        ("80:00:00:00:00:00:00002", "active", true)
    );
    assert_eq!(
        d.services[0],
        Service {
            id: "80:00:00:00:00:01:00002".into(),
            name: "SSH".into(),
            application: Some(28),
            port: Some(22)
        }
    );
    assert_eq!(
        (
            d.services[1].name.as_str(),
            d.services[1].application,
            d.services[1].port
        ),
        ("", None, None)
    );
}

fn protocol_message(pages: impl FnMut(usize) -> Result<Value>) -> String {
    let err = collect_pages(pages).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol, "{err}");
    err.message().to_owned()
}

#[test]
fn a_total_that_changes_is_a_protocol_error() {
    let mut pages = honest(1500);
    let message = protocol_message(|from| {
        let mut page = pages(from)?;
        if from > 0 {
            page["total"] = json!(1501);
        }
        Ok(page)
    });
    assert!(
        message.contains("total changed from 1500 to 1501"),
        "{message}"
    );
}

#[test]
fn an_empty_page_that_says_more_follow_is_a_protocol_error() {
    let message = protocol_message(|_| Ok(json!({"total": 5, "hasMore": true, "items": []})));
    assert!(message.contains("empty, yet"), "{message}");
}

#[test]
fn a_repeated_page_is_a_protocol_error_not_an_endless_loop() {
    let mut calls = 0;
    let mut pages = honest(2500);
    let message = protocol_message(|_| {
        calls += 1;
        pages(0)
    });
    assert!(message.contains("listed before"), "{message}");
    assert_eq!(calls, 2);
}

#[test]
fn more_devices_than_the_total_is_a_protocol_error() {
    let mut pages = honest(1500);
    let message = protocol_message(|from| {
        let mut page = pages(from)?;
        page["total"] = json!(1200);
        Ok(page)
    });
    assert!(message.contains("more than the total of 1200"), "{message}");
}

#[test]
fn a_page_larger_than_asked_for_is_a_protocol_error() {
    let items: Vec<Value> = (0..PAGE_SIZE + 1).map(device).collect();
    let message = protocol_message(|_| Ok(json!({"total": 5000, "hasMore": true, "items": items})));
    assert!(
        message.contains("more than the 1000 asked for"),
        "{message}"
    );
}

#[test]
fn malformed_pages_and_devices_are_protocol_errors() {
    let mut broken_service = device(0);
    broken_service["services"][0]["port"] = json!(70000);
    let mut no_online = device(0);
    no_online.as_object_mut().unwrap().remove("online");
    for page in [
        json!([]),
        json!({"hasMore": false, "items": []}),
        json!({"total": 0, "items": []}),
        json!({"total": 0, "hasMore": false}),
        json!({"total": 1, "hasMore": false, "items": [broken_service]}),
        json!({"total": 1, "hasMore": false, "items": [no_online]}),
        json!({"total": 1, "hasMore": false, "items": [{"name": "x"}]}),
    ] {
        let shown = page.to_string();
        let err = collect_pages(|_| Ok(page.clone())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol, "{shown}: {err}");
    }
}

#[test]
fn the_query_declares_only_the_variables_in_use() {
    let plain = devices_query(false, false);
    assert!(
        !plain.contains("$name") && !plain.contains("account"),
        "{plain}"
    );
    let both = devices_query(true, true);
    assert!(
        both.contains("account(id: $account) { devices(size: $size, from: $from, name: $name)"),
        "{both}"
    );
}

#[test]
fn an_account_the_api_does_not_give_is_a_graphql_error() {
    let err = devices_page(json!({"login": {"account": null}}), Some("acct-1")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::GraphQl);
    assert!(err.message().contains("acct-1"), "{err}");
    let err = devices_page(json!({"login": null}), None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Protocol);
}

fn named(names: &[&str]) -> Vec<Device> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| Device {
            id: format!("id-{i}"),
            name: (*name).into(),
            state: "active".into(),
            online: true,
            services: vec![
                Service {
                    id: format!("s-{i}-1"),
                    name: "SSH".into(),
                    application: Some(28),
                    port: Some(22),
                },
                Service {
                    id: format!("s-{i}-2"),
                    name: "ssh".into(),
                    application: Some(28),
                    port: Some(2222),
                },
                Service {
                    id: format!("s-{i}-3"),
                    name: "Web".into(),
                    application: Some(8),
                    port: Some(80),
                },
            ],
        })
        .collect()
}

#[test]
fn find_service_prefers_an_exact_match_then_ignores_case() {
    let devices = named(&["garage-pi", "Garage-PI-2", "Office"]);
    let (d, s) = find_service(&devices, "garage-pi", "ssh").unwrap();
    assert_eq!((d.id.as_str(), s.id.as_str()), ("id-0", "s-0-2"));
    let (d, s) = find_service(&devices, "OFFICE", "web").unwrap();
    assert_eq!((d.id.as_str(), s.id.as_str()), ("id-2", "s-2-3"));
}

#[test]
fn find_service_names_what_was_not_found_and_the_candidates() {
    let devices = named(&["garage-pi", "office"]);
    let err = find_service(&devices, "cellar", "SSH").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(
        err.message().contains(
            "no device is named \"cellar\"; the 2 devices are: \"garage-pi\", \"office\""
        ),
        "{err}"
    );
    let err = find_service(&devices, "office", "VNC").unwrap_err();
    assert!(
        err.message()
            .contains("no service of device \"office\" is named \"VNC\"")
            && err.message().contains("\"SSH\", \"ssh\", \"Web\""),
        "{err}"
    );
    let err = find_service(&devices, "office", "sSh").unwrap_err();
    assert!(
        err.message()
            .contains("2 services of device \"office\" match"),
        "{err}"
    );
}

#[test]
fn find_service_with_several_devices_of_one_name_lists_their_ids() {
    let devices = named(&["pi", "pi"]);
    let err = find_service(&devices, "pi", "SSH").unwrap_err();
    assert!(err.message().contains("ids \"id-0\", \"id-1\""), "{err}");
}

#[test]
fn find_service_lists_at_most_ten_candidates_with_escaped_names() {
    let names: Vec<String> = (0..25).map(|i| format!("dev\n{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let err = find_service(&named(&refs), "none\u{1b}", "SSH").unwrap_err();
    let message = err.message();
    assert!(message.contains("\"dev\\n9\", and 15 more"), "{message}");
    assert!(
        !message.contains('\n') && !message.contains('\u{1b}'),
        "{message}"
    );
    assert!(
        find_service(&[], "x", "y")
            .unwrap_err()
            .message()
            .contains("there are no devices")
    );
}

/// Found by the `response` fuzz target: a device id was quoted unredacted, and a field of the
/// wrong type whole (unbounded).
#[test]
fn server_text_in_page_errors_is_redacted_and_bounded() {
    let sig = "xNANaA4IuvVLRFMAc/e2oKV5SeiHI5pKyUvQn8d+nP8=";
    let mut repeated = device(1);
    repeated["id"] = json!(sig);
    let err = collect_pages(|_| Ok(json!({"total": 5, "hasMore": true, "items": [repeated]})))
        .unwrap_err();
    assert!(err.message().contains("listed before"), "{err}");
    assert!(!err.message().contains(&sig[..43]), "{err}");
    let mut bad_port = device(2);
    bad_port["services"][0]["port"] = json!(format!("{sig} {}", "9".repeat(100_000)));
    let err = collect_pages(|_| Ok(json!({"total": 1, "hasMore": false, "items": [bad_port]})))
        .unwrap_err();
    assert!(err.message().contains("\"port\" is not a number"), "{err}");
    assert!(!err.message().contains(&sig[..43]), "{err}");
    assert!(err.message().len() < 500, "{} bytes", err.message().len());
}
