//! `remoteit_device_list`, `remoteit_device` and `remoteit_service`: the typed device listing,
//! its accessors, and finding a service by name.

use std::ffi::{CString, c_char};

use crate::ffi::client::remoteit_client;
use crate::ffi::error::{FfiError, remoteit_result};
use crate::ffi::{
    api_c_string, arg_ref, arg_str, borrowed_field, free_box, guard, guard_value, opt_str, out_ptr,
};
use crate::operations::{Device, Service, find_indices};

/// The devices one `remoteit_devices_list` call found, and their services. Opaque; owns
/// every `remoteit_device` and `remoteit_service` reached through it. Read-only: it may be
/// read from several threads at once; free it once, when no thread uses it any more.
pub struct remoteit_device_list {
    devices: Vec<remoteit_device>,
}

/// A device of a `remoteit_device_list`, borrowed from it (valid until the list is freed).
pub struct remoteit_device {
    id: CString,
    name: CString,
    state: CString,
    online: bool,
    services: Vec<remoteit_service>,
}

/// A service of a `remoteit_device`, borrowed from its list (valid until the list is freed).
pub struct remoteit_service {
    id: CString,
    name: CString,
    application: i32,
    port: i32,
}

/// A string of the listing for C (see [`api_c_string`]).
fn c_text(text: String, what: &str, device_id: &str) -> Result<CString, FfiError> {
    api_c_string(text, || {
        format!(
            "the {what} of device {} holds a NUL byte",
            crate::error::printable(device_id, 100)
        )
    })
}

impl remoteit_device {
    fn new(d: Device) -> Result<Self, FfiError> {
        let id = d.id;
        let services = d
            .services
            .into_iter()
            .map(|s: Service| {
                Ok(remoteit_service {
                    id: c_text(s.id, "service id", &id)?,
                    name: c_text(s.name, "service name", &id)?,
                    application: s.application.unwrap_or(-1),
                    port: s.port.map_or(-1, i32::from),
                })
            })
            .collect::<Result<Vec<_>, FfiError>>()?;
        Ok(remoteit_device {
            name: c_text(d.name, "name", &id)?,
            state: c_text(d.state, "state", &id)?,
            online: d.online,
            services,
            id: c_text(id.clone(), "id", &id)?,
        })
    }
}

/// The text of a string made by `c_text` (always UTF-8: it was a Rust `String`).
fn text(s: &CString) -> &str {
    s.to_str().unwrap_or_default()
}

/// Lists every device of the key's own account (`account_id` NULL) or of the organisation
/// account `account_id`, optionally only those whose name matches `name_filter` (the API's
/// case-insensitive `name` argument; NULL: every device). Every page is followed (1000
/// devices per request), and each device comes once, in the API's order. On success `*out`
/// receives the list, to free with `remoteit_device_list_free`; the devices, services and
/// strings reached through it are borrowed from it.
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `_INVALID_ARGUMENT` (bad UTF-8, an empty filter or
/// account id), `_NETWORK`, `_TIMEOUT`, `_TLS`, `_UNAUTHORIZED`, `_RATE_LIMITED`,
/// `_HTTP_STATUS`, `_GRAPHQL` (also an account the key cannot see), `_PROTOCOL` (also pages
/// that contradict each other: a changing total, an empty page while more are announced, a
/// repeated page). Thread-safe for `client`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_devices_list(
    client: *const remoteit_client,
    name_filter: *const c_char,
    account_id: *const c_char,
    out: *mut *mut remoteit_device_list,
) -> remoteit_result {
    guard("remoteit_devices_list", || {
        let out = out_ptr(out, "out")?;
        let client = arg_ref(client, "client")?;
        let name_filter = opt_str(name_filter, "name_filter")?;
        let account_id = opt_str(account_id, "account_id")?;
        let devices = client.inner.list_devices(name_filter, account_id)?;
        let devices = devices
            .into_iter()
            .map(remoteit_device::new)
            .collect::<Result<Vec<_>, FfiError>>()?;
        out.write_box(remoteit_device_list { devices });
        Ok(())
    })
}

/// The number of devices in `list`; 0 for NULL. Thread-safe for `list`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_list_count(list: *const remoteit_device_list) -> usize {
    guard_value("remoteit_device_list_count", 0, || {
        arg_ref(list, "list").map_or(0, |l| l.devices.len())
    })
}

/// The device at `index` (from 0), borrowed from `list` (valid until the list is freed);
/// NULL for a NULL `list` or an index past the end. Thread-safe for `list`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_list_get(
    list: *const remoteit_device_list,
    index: usize,
) -> *const remoteit_device {
    guard_value("remoteit_device_list_get", std::ptr::null(), || {
        arg_ref(list, "list")
            .ok()
            .and_then(|l| l.devices.get(index))
            .map_or(std::ptr::null(), std::ptr::from_ref)
    })
}

/// The device id (`80:00:...`), borrowed from its list; NULL for NULL. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_id(device: *const remoteit_device) -> *const c_char {
    guard_value("remoteit_device_id", std::ptr::null(), || {
        borrowed_field(device, "device", |d| &d.id)
    })
}

/// The device name (empty when the API gives none), borrowed from its list; NULL for NULL.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_name(device: *const remoteit_device) -> *const c_char {
    guard_value("remoteit_device_name", std::ptr::null(), || {
        borrowed_field(device, "device", |d| &d.name)
    })
}

/// The device state as the API gives it (`"active"` / `"inactive"`), borrowed from its list;
/// NULL for NULL. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_state(device: *const remoteit_device) -> *const c_char {
    guard_value("remoteit_device_state", std::ptr::null(), || {
        borrowed_field(device, "device", |d| &d.state)
    })
}

/// 1 when the device is online, 0 when not; -1 for NULL. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_online(device: *const remoteit_device) -> i32 {
    guard_value("remoteit_device_online", -1, || {
        arg_ref(device, "device").map_or(-1, |d| i32::from(d.online))
    })
}

/// The number of services of `device`; 0 for NULL. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_service_count(device: *const remoteit_device) -> usize {
    guard_value("remoteit_device_service_count", 0, || {
        arg_ref(device, "device").map_or(0, |d| d.services.len())
    })
}

/// The service at `index` (from 0) of `device`, borrowed from its list (valid until the list
/// is freed); NULL for a NULL `device` or an index past the end. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_service_get(
    device: *const remoteit_device,
    index: usize,
) -> *const remoteit_service {
    guard_value("remoteit_device_service_get", std::ptr::null(), || {
        arg_ref(device, "device")
            .ok()
            .and_then(|d| d.services.get(index))
            .map_or(std::ptr::null(), std::ptr::from_ref)
    })
}

/// The service id (for `remoteit_connect`), borrowed from its list; NULL for NULL.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_service_id(service: *const remoteit_service) -> *const c_char {
    guard_value("remoteit_service_id", std::ptr::null(), || {
        borrowed_field(service, "service", |s| &s.id)
    })
}

/// The service name (empty when the API gives none), borrowed from its list; NULL for NULL.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_service_name(service: *const remoteit_service) -> *const c_char {
    guard_value("remoteit_service_name", std::ptr::null(), || {
        borrowed_field(service, "service", |s| &s.name)
    })
}

/// The service's application type id (28 = SSH, 8 = HTTP, ...); -1 when the API gives none
/// or for NULL. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_service_application(service: *const remoteit_service) -> i32 {
    guard_value("remoteit_service_application", -1, || {
        arg_ref(service, "service").map_or(-1, |s| s.application)
    })
}

/// The service's port on its device; -1 when the API gives none or for NULL. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_service_port(service: *const remoteit_service) -> i32 {
    guard_value("remoteit_service_port", -1, || {
        arg_ref(service, "service").map_or(-1, |s| s.port)
    })
}

/// Frees a list with its devices and services: every pointer and string borrowed from it
/// becomes invalid. NULL is a no-op. Not to be called while another thread reads the list.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_device_list_free(list: *mut remoteit_device_list) {
    guard_value("remoteit_device_list_free", (), || free_box(list))
}

/// Finds the service `service_name` of the device `device_name` in `list`: for each name an
/// exact match first, then a case-insensitive one. On success `*out` receives the service,
/// borrowed from `list` (valid until the list is freed).
///
/// Errors: `REMOTEIT_ERR_NULL_ARGUMENT`, `REMOTEIT_ERR_INVALID_ARGUMENT` (bad UTF-8; no
/// device or service of that name, or several: the message names what was not found and the
/// candidates, at most 10 of them). Thread-safe for `list`.
#[unsafe(no_mangle)]
pub extern "C" fn remoteit_service_find(
    list: *const remoteit_device_list,
    device_name: *const c_char,
    service_name: *const c_char,
    out: *mut *const remoteit_service,
) -> remoteit_result {
    guard("remoteit_service_find", || {
        let out = out_ptr(out, "out")?;
        let list = arg_ref(list, "list")?;
        let device_name = arg_str(device_name, "device_name")?;
        let service_name = arg_str(service_name, "service_name")?;
        let (d, s) = find_indices(
            &list.devices,
            |d| (text(&d.name), text(&d.id)),
            |d| &d.services,
            |s| (text(&s.name), text(&s.id)),
            device_name,
            service_name,
        )?;
        out.write(std::ptr::from_ref(&list.devices[d].services[s]));
        Ok(())
    })
}
