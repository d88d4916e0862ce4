//! Listing devices and their services, every page followed, and finding a service by name.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::client::redact::server_text;
use crate::error::{Error, ErrorKind, Result, printable};

/// Devices asked for per page: the API's maximum.
pub const PAGE_SIZE: usize = 1000;

/// A device and its services, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The device id (`80:00:...`).
    pub id: String,
    /// Its name (empty when the API gives none).
    pub name: String,
    /// `active` or `inactive`.
    pub state: String,
    /// Whether it is online now.
    pub online: bool,
    /// Its services, in the API's order.
    pub services: Vec<Service>,
}

/// A service of a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The service id, for [`Client::connect`].
    pub id: String,
    /// Its name (empty when the API gives none).
    pub name: String,
    /// The application type id (28 = SSH, 8 = HTTP, ...), when given.
    pub application: Option<i32>,
    /// The port on the device, when given.
    pub port: Option<u16>,
}

const DEVICE_FIELDS: &str = "id name state online services { id name application port }";

impl Client {
    /// Every device of the key's own account (`account_id` `None`) or of the organisation
    /// account `account_id`, optionally only those whose name matches `name_filter` (the
    /// API's case-insensitive `name` argument), each once, in the API's order.
    ///
    /// Follows every page of [`PAGE_SIZE`] devices. A page sequence that contradicts itself
    /// (a total that changes, an empty page while more are announced, a device seen before,
    /// more devices than the total) is [`ErrorKind::Protocol`]; an account the key cannot see
    /// is [`ErrorKind::GraphQl`].
    pub fn list_devices(
        &self,
        name_filter: Option<&str>,
        account_id: Option<&str>,
    ) -> Result<Vec<Device>> {
        for (what, value) in [("name filter", name_filter), ("account id", account_id)] {
            if value.is_some_and(|v| v.trim().is_empty()) {
                return Err(Error::invalid_argument(format!(
                    "the {what} is empty (leave it out instead)"
                )));
            }
        }
        let query = devices_query(name_filter.is_some(), account_id.is_some());
        collect_pages(|from| {
            let mut variables = Map::new();
            variables.insert("size".into(), json!(PAGE_SIZE));
            variables.insert("from".into(), json!(from));
            if let Some(name) = name_filter {
                variables.insert("name".into(), json!(name));
            }
            if let Some(account) = account_id {
                variables.insert("account".into(), json!(account));
            }
            let data = self.graphql(&query, Some(&Value::Object(variables)))?;
            devices_page(data, account_id)
        })
    }
}

/// The query of one page, with only the variables in use declared.
fn devices_query(name_filter: bool, account: bool) -> String {
    let mut definitions = vec!["$size: Int", "$from: Int"];
    let mut arguments = vec!["size: $size", "from: $from"];
    if name_filter {
        definitions.push("$name: String");
        arguments.push("name: $name");
    }
    let devices = format!(
        "devices({}) {{ total hasMore items {{ {DEVICE_FIELDS} }} }}",
        arguments.join(", ")
    );
    let selection = if account {
        definitions.push("$account: String");
        format!("account(id: $account) {{ {devices} }}")
    } else {
        devices
    };
    format!(
        "query Devices({}) {{ login {{ {selection} }} }}",
        definitions.join(", ")
    )
}

/// The `devices` object of a response's data.
pub(crate) fn devices_page(mut data: Value, account_id: Option<&str>) -> Result<Value> {
    let login = match data.get_mut("login") {
        Some(login @ Value::Object(_)) => login,
        _ => return Err(Error::protocol("the response has no \"login\" object")),
    };
    let owner = match account_id {
        None => login,
        Some(id) => match login.get_mut("account") {
            Some(account @ Value::Object(_)) => account,
            _ => {
                return Err(Error::new(
                    ErrorKind::GraphQl,
                    format!(
                        "the API gave no account \"{}\": it does not exist or this key may not see it",
                        printable(id, 200)
                    ),
                ));
            }
        },
    };
    owner
        .get_mut("devices")
        .map(Value::take)
        .filter(Value::is_object)
        .ok_or_else(|| Error::protocol("the response has no \"devices\" object"))
}

/// Every device of the pages `fetch(from)` gives (a `PaginatedDeviceResponse` object for the
/// zero-based offset `from`), until one says `hasMore: false`. Each page that does not end
/// the list adds at least one device not seen before, and the devices never exceed a total
/// that never changes: the loop ends.
pub(crate) fn collect_pages(mut fetch: impl FnMut(usize) -> Result<Value>) -> Result<Vec<Device>> {
    let mut devices: Vec<Device> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut total: Option<u64> = None;
    loop {
        let from = devices.len();
        let page = fetch(from)?;
        let at = |why: String| Error::protocol(format!("the page of devices from {from}: {why}"));
        let Value::Object(mut page) = page else {
            return Err(at("not an object".into()));
        };
        let page_total = page
            .get("total")
            .and_then(Value::as_u64)
            .ok_or_else(|| at("no \"total\" count".into()))?;
        let has_more = page
            .get("hasMore")
            .and_then(Value::as_bool)
            .ok_or_else(|| at("no boolean \"hasMore\"".into()))?;
        let Some(Value::Array(items)) = page.get_mut("items").map(Value::take) else {
            return Err(at("no \"items\" list".into()));
        };
        if let Some(before) = total.filter(|&before| before != page_total) {
            return Err(at(format!(
                "the total changed from {before} to {page_total} (the list changed while it was read: try again)"
            )));
        }
        total = Some(page_total);
        if items.len() > PAGE_SIZE {
            return Err(at(format!(
                "{} devices, more than the {PAGE_SIZE} asked for",
                items.len()
            )));
        }
        if items.is_empty() && has_more {
            return Err(at("empty, yet it says more devices follow".into()));
        }
        devices.reserve(items.len());
        for (offset, item) in items.into_iter().enumerate() {
            let device = parse_device(item).map_err(|why| at(format!("device {offset}: {why}")))?;
            if !seen.insert(device.id.clone()) {
                return Err(at(format!(
                    "device {} was listed before (a repeated page)",
                    server_text(&device.id, &[], 100)
                )));
            }
            devices.push(device);
        }
        if devices.len() as u64 > page_total {
            return Err(at(format!(
                "{} devices so far, more than the total of {page_total}",
                devices.len()
            )));
        }
        if !has_more {
            return Ok(devices);
        }
    }
}

/// A required string field, taken out of `fields`.
fn required_string(
    fields: &mut Map<String, Value>,
    key: &str,
) -> std::result::Result<String, String> {
    match fields.get_mut(key).map(Value::take) {
        Some(Value::String(text)) => Ok(text),
        _ => Err(format!("no string \"{key}\"")),
    }
}

/// A nullable string field: empty when null or absent.
fn optional_string(
    fields: &mut Map<String, Value>,
    key: &str,
) -> std::result::Result<String, String> {
    match fields.get_mut(key).map(Value::take) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(format!("\"{key}\" is not a string")),
    }
}

/// A nullable integer field that must fit `T`.
fn optional_number<T: TryFrom<i64>>(
    fields: &Map<String, Value>,
    key: &str,
) -> std::result::Result<Option<T>, String> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .and_then(|n| T::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "\"{key}\" is not a number in range: {}",
                    server_text(&value.to_string(), &[], 100)
                )
            }),
    }
}

fn parse_device(value: Value) -> std::result::Result<Device, String> {
    let Value::Object(mut fields) = value else {
        return Err("not an object".into());
    };
    let id = required_string(&mut fields, "id")?;
    let named = |why: String| format!("{} ({why})", server_text(&id, &[], 100));
    let name = optional_string(&mut fields, "name").map_err(named)?;
    let state = required_string(&mut fields, "state").map_err(named)?;
    let online = fields
        .get("online")
        .and_then(Value::as_bool)
        .ok_or_else(|| named("no boolean \"online\"".into()))?;
    let Some(Value::Array(items)) = fields.get_mut("services").map(Value::take) else {
        return Err(named("no \"services\" list".into()));
    };
    let services = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| parse_service(item).map_err(|why| named(format!("service {i}: {why}"))))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(Device {
        id,
        name,
        state,
        online,
        services,
    })
}

fn parse_service(value: Value) -> std::result::Result<Service, String> {
    let Value::Object(mut fields) = value else {
        return Err("not an object".into());
    };
    Ok(Service {
        id: required_string(&mut fields, "id")?,
        name: optional_string(&mut fields, "name")?,
        application: optional_number(&fields, "application")?,
        port: optional_number(&fields, "port")?,
    })
}

/// The service `service_name` of the device `device_name` among `devices` (names: an exact
/// match first, then a case-insensitive one). None or several matches are
/// [`ErrorKind::InvalidArgument`], naming what was not found and the candidates.
pub fn find_service<'a>(
    devices: &'a [Device],
    device_name: &str,
    service_name: &str,
) -> Result<(&'a Device, &'a Service)> {
    let (d, s) = find_indices(
        devices,
        |d| (&d.name, &d.id),
        |d| &d.services,
        |s| (&s.name, &s.id),
        device_name,
        service_name,
    )?;
    Ok((&devices[d], &devices[d].services[s]))
}

/// [`find_service`] over any representation of devices `D` and services `S`, given each
/// one's name and id and a device's services: the indices of the device and of its service.
pub(crate) fn find_indices<D, S>(
    devices: &[D],
    device_name_and_id: impl Fn(&D) -> (&str, &str),
    services_of: impl Fn(&D) -> &[S],
    service_name_and_id: impl Fn(&S) -> (&str, &str),
    device_name: &str,
    service_name: &str,
) -> Result<(usize, usize)> {
    let d = find_named(devices, &device_name_and_id, device_name, "device", "")?;
    let scope = format!(
        " of device \"{}\"",
        server_text(device_name_and_id(&devices[d]).0, &[], 100)
    );
    let s = find_named(
        services_of(&devices[d]),
        service_name_and_id,
        service_name,
        "service",
        &scope,
    )?;
    Ok((d, s))
}

/// How many names an error message lists before "and N more".
const LISTED_NAMES: usize = 10;

/// The index of the one item named `wanted` (exact, else case-insensitive), where `name_and_id`
/// gives an item's name and id; `kind` and `scope` describe the items in messages
/// (`"service"`, `" of device \"x\""`).
fn find_named<T>(
    items: &[T],
    name_and_id: impl Fn(&T) -> (&str, &str),
    wanted: &str,
    kind: &str,
    scope: &str,
) -> Result<usize> {
    let shown = printable(wanted, 200);
    let exact: Vec<usize> = (0..items.len())
        .filter(|&i| name_and_id(&items[i]).0 == wanted)
        .collect();
    let matches = if exact.is_empty() {
        let folded = wanted.to_lowercase();
        (0..items.len())
            .filter(|&i| name_and_id(&items[i]).0.to_lowercase() == folded)
            .collect()
    } else {
        exact
    };
    let listed = |indices: &mut dyn Iterator<Item = usize>, count: usize, part: usize| {
        let mut names: Vec<String> = indices
            .take(LISTED_NAMES)
            .map(|i| {
                let (name, id) = name_and_id(&items[i]);
                let text = if part == 0 { name } else { id };
                format!("\"{}\"", server_text(text, &[], 100))
            })
            .collect();
        if count > LISTED_NAMES {
            names.push(format!("and {} more", count - LISTED_NAMES));
        }
        names.join(", ")
    };
    match matches.len() {
        1 => Ok(matches[0]),
        0 if items.is_empty() => Err(Error::invalid_argument(format!(
            "no {kind}{scope} is named \"{shown}\": there are no {kind}s{scope}"
        ))),
        0 => Err(Error::invalid_argument(format!(
            "no {kind}{scope} is named \"{shown}\"; the {} {kind}s{scope} are: {}",
            items.len(),
            listed(&mut (0..items.len()), items.len(), 0)
        ))),
        n => Err(Error::invalid_argument(format!(
            "{n} {kind}s{scope} match the name \"{shown}\" ({}), with ids {}: name one unambiguously or use its id",
            listed(&mut matches.iter().copied(), n, 0),
            listed(&mut matches.iter().copied(), n, 1)
        ))),
    }
}

#[cfg(test)]
#[path = "devices_tests.rs"]
mod tests;
