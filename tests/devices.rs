//! Typed device listing and finding a service by name, against the local API double and its
//! generated fixtures (see the docstring of tests/api_double.py).

mod common;

use common::{ApiDouble, Failure, shown};
use remoteit::{Device, ErrorKind, operations::find_service};
use serde_json::json;

const ORG_ACCOUNT: &str = "0a9e0000-0000-4000-8000-000000000042";
const ROLES: [&str; 5] = [
    "garage-pi",
    "Office-Gateway",
    "lab-NAS",
    "Kitchen-Cam",
    "warehouse-router",
];
/// The generated services, by position: name, application type id, port.
const SERVICES: [(&str, i32, u16); 3] = [("SSH", 28, 22), ("Web admin", 7, 80), ("VNC", 4, 5900)];

fn hex_id(prefix: &str, n: usize) -> String {
    format!(
        "{prefix}:{:02x}:{:02x}:{:02x}",
        (n >> 16) & 0xff,
        (n >> 8) & 0xff,
        n & 0xff
    )
}

/// Checks that `device` is generated device `n` (from 1) of the own (`org` false) or the
/// organisation account, with all its services.
fn assert_generated(device: &Device, n: usize, org: bool) {
    let (device_prefix, service_prefix, name_prefix) = if org {
        ("80:00:00:00:04", "80:00:00:00:05", "org-")
    } else {
        ("80:00:00:00:02", "80:00:00:00:03", "")
    };
    assert_eq!(device.id, hex_id(device_prefix, n));
    assert_eq!(
        device.name,
        format!("{name_prefix}d{n:06}-{}", ROLES[(n - 1) % 5])
    );
    let active = n % 4 != 0;
    assert_eq!(device.state, if active { "active" } else { "inactive" });
    assert_eq!(device.online, active, "{}", device.name);
    assert_eq!(device.services.len(), 1 + (n - 1) % 3, "{}", device.name);
    for (j, service) in device.services.iter().enumerate() {
        let (name, application, port) = SERVICES[j];
        assert_eq!(service.id, hex_id(service_prefix, 4 * n + j));
        assert_eq!(
            (service.name.as_str(), service.application, service.port),
            (name, Some(application), Some(port))
        );
    }
}

#[test]
fn listing_gives_every_device_once_in_order_for_sizes_around_the_page_size() {
    let double = ApiDouble::start();
    let client = double.client("credentials");
    for total in [0usize, 1, 999, 1000, 1001, 2500] {
        double.control("fixture", json!({"devices": total}));
        double.control("reset", json!({}));
        let devices = client.list_devices(None, None).unwrap();
        assert_eq!(devices.len(), total);
        for (i, device) in devices.iter().enumerate() {
            assert_generated(device, i + 1, false);
        }
        let pages = total.div_ceil(1000).max(1) as u64;
        assert_eq!(double.attempts("field:login"), pages, "{total} devices");
    }
}

#[test]
fn the_small_fixture_lists_with_states_online_and_services() {
    let double = ApiDouble::start();
    let devices = shown(
        double
            .client("credentials")
            .list_devices(None, None)
            .unwrap(),
    );
    let names: Vec<&str> = devices.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["office-gateway", "lab-pi", "old-nas"]);
    assert_eq!(
        (devices[2].state.as_str(), devices[2].online),
        ("inactive", false)
    );
    let ssh = &devices[0].services[0];
    assert_eq!(
        (
            ssh.id.as_str(),
            ssh.name.as_str(),
            ssh.application,
            ssh.port
        ),
        ("80:00:00:00:01:00:00:11", "SSH", Some(28), Some(22))
    );
}

#[test]
fn the_name_filter_is_the_apis_case_insensitive_one() {
    let double = ApiDouble::start_with(&["--devices", "2500"]);
    let client = double.client("credentials");
    for filter in ["garage-pi", "GARAGE-PI"] {
        let devices = client.list_devices(Some(filter), None).unwrap();
        assert_eq!(devices.len(), 500, "{filter}");
        for (i, device) in devices.iter().enumerate() {
            assert_generated(device, 5 * i + 1, false);
        }
    }
    assert!(
        client
            .list_devices(Some("no-such-name"), None)
            .unwrap()
            .is_empty()
    );
    let err = client.list_devices(Some(""), None).failure();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn the_organisation_account_lists_its_own_devices() {
    let double = ApiDouble::start_with(&["--org-devices", "1200"]);
    let client = double.client("credentials");
    let devices = client.list_devices(None, Some(ORG_ACCOUNT)).unwrap();
    assert_eq!(devices.len(), 1200);
    for (i, device) in devices.iter().enumerate() {
        assert_generated(device, i + 1, true);
    }
    let filtered = client
        .list_devices(Some("kitchen"), Some(ORG_ACCOUNT))
        .unwrap();
    assert_eq!(filtered.len(), 240);
    assert_generated(&filtered[0], 4, true);
}

#[test]
fn an_unknown_account_is_a_graphql_error() {
    let double = ApiDouble::start();
    let err = double
        .client("credentials")
        .list_devices(None, Some("ffffffff-0000-4000-8000-000000000000"))
        .failure();
    assert_eq!(err.kind(), ErrorKind::GraphQl, "{err}");
}

fn paging_error(mode: &str) -> String {
    let double = ApiDouble::start_with(&["--devices", "1500"]);
    double.control("paging", json!({"mode": mode}));
    let err = double
        .client("credentials")
        .list_devices(None, None)
        .failure();
    assert_eq!(err.kind(), ErrorKind::Protocol, "{mode}: {err}");
    assert!(
        double.attempts("field:login") <= 2,
        "{mode}: no more than two pages asked for"
    );
    err.message().to_owned()
}

#[test]
fn a_repeated_page_is_a_protocol_error() {
    let message = paging_error("repeat_page");
    assert!(message.contains("repeated page"), "{message}");
}

#[test]
fn a_changing_total_is_a_protocol_error() {
    let message = paging_error("changing_total");
    assert!(message.contains("total changed"), "{message}");
}

#[test]
fn an_empty_page_announcing_more_is_a_protocol_error() {
    let message = paging_error("empty_page");
    assert!(message.contains("empty, yet"), "{message}");
}

#[test]
fn a_service_is_found_by_device_and_service_name_then_connected() {
    let double = ApiDouble::start_with(&["--devices", "30"]);
    let client = double.client("credentials");
    let devices = client.list_devices(None, None).unwrap();
    let (device, service) = find_service(&devices, "D000003-LAB-nas", "vnc").unwrap();
    assert_eq!(device.id, hex_id("80:00:00:00:02", 3));
    assert_eq!(service.id, hex_id("80:00:00:00:03", 14));
    let connection = client.connect(&service.id).unwrap();
    assert!(connection.port.is_some());
    let err = find_service(&devices, "garage-pi", "SSH").failure();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.message().contains("and 20 more"), "{err}");
}

#[test]
fn ten_thousand_devices_are_listed_in_ten_pages() {
    let double = ApiDouble::start_with(&["--devices", "10000"]);
    let devices = double
        .client("credentials")
        .list_devices(None, None)
        .unwrap();
    assert_eq!(devices.len(), 10_000);
    assert_generated(&devices[9_999], 10_000, false);
    assert_eq!(double.attempts("field:login"), 10);
}
