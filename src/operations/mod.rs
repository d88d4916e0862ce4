//! The Remote.It operations on top of [`Client`]: connect and disconnect (here), listing
//! devices (`devices`) and the REST API (`rest`). GraphQL arguments always travel as
//! variables, never spliced into the query text.

pub(crate) mod devices;
pub(crate) mod rest;

pub(crate) use devices::find_indices;
pub use devices::{Device, PAGE_SIZE, Service, find_service};
pub use rest::REST_PREFIX;

use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result, printable_name};

/// How the API should proxy a connection (`ProxyType` in the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProxyType {
    /// Let the API choose (a reverse proxy for web services, a port otherwise). The default.
    #[default]
    Auto,
    /// An HTTPS reverse proxy: a URL, no port.
    Reverse,
    /// A TCP port on a proxy host.
    Port,
}

impl ProxyType {
    /// The schema's enum value.
    pub fn as_graphql(self) -> &'static str {
        match self {
            ProxyType::Auto => "AUTO_PROXY",
            ProxyType::Reverse => "REVERSE_PROXY",
            ProxyType::Port => "PORT_PROXY",
        }
    }
}

/// Options of [`Client::connect_with_options`]; `None` leaves the API's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// `hostIP`: `0.0.0.0` = public, an address = only it may use the connection,
    /// `255.255.255.255` (the API's default) = the first address that uses it.
    pub host_ip: Option<String>,
    /// `type`: the proxy type (the API's default is [`ProxyType::Auto`]).
    pub proxy_type: Option<ProxyType>,
}

/// A connection the API opened to a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The connection id, for [`Client::disconnect`].
    pub id: String,
    /// The host to connect to.
    pub host: String,
    /// The port, or `None` for a reverse proxy.
    pub port: Option<u16>,
    /// True for an HTTPS reverse proxy (use [`Connection::url`]).
    pub reverse_proxy: bool,
    /// The URL of the connection (`https://...` for a reverse proxy).
    pub url: String,
    /// Idle minutes before the API closes the connection, when given.
    pub timeout: Option<i32>,
    /// When the connection was made (ISO 8601), when given.
    pub created: Option<String>,
}

const CONNECTION_FIELDS: &str = "id host port reverseProxy url created timeout";

impl Client {
    /// Opens a connection to a service with the API's defaults.
    pub fn connect(&self, service_id: &str) -> Result<Connection> {
        self.connect_with_options(service_id, &ConnectOptions::default())
    }

    /// Opens a connection to a service with the `hostIP` and proxy `type` given.
    pub fn connect_with_options(
        &self,
        service_id: &str,
        options: &ConnectOptions,
    ) -> Result<Connection> {
        require("service id", service_id)?;
        let mut definitions = vec!["$serviceId: String!"];
        let mut arguments = vec!["serviceId: $serviceId"];
        let mut variables = Map::new();
        variables.insert("serviceId".into(), json!(service_id));
        if let Some(host_ip) = &options.host_ip {
            require("host IP", host_ip)?;
            definitions.push("$hostIP: String!");
            arguments.push("hostIP: $hostIP");
            variables.insert("hostIP".into(), json!(host_ip));
        }
        if let Some(proxy_type) = options.proxy_type {
            definitions.push("$type: ProxyType!");
            arguments.push("type: $type");
            variables.insert("type".into(), json!(proxy_type.as_graphql()));
        }
        let query = format!(
            "mutation Connect({}) {{ connect({}) {{ {CONNECTION_FIELDS} }} }}",
            definitions.join(", "),
            arguments.join(", ")
        );
        let data = self.graphql(&query, Some(&Value::Object(variables)))?;
        parse_connection(data.get("connect").unwrap_or(&Value::Null))
    }

    /// Closes a connection.
    pub fn disconnect(&self, connection_id: &str) -> Result<()> {
        require("connection id", connection_id)?;
        let query = "mutation Disconnect($connectionId: String!) { disconnect(connectionId: $connectionId) }";
        let data = self.graphql(query, Some(&json!({ "connectionId": connection_id })))?;
        match data.get("disconnect") {
            Some(Value::Bool(true)) => Ok(()),
            Some(Value::Bool(false)) => Err(Error::new(
                ErrorKind::GraphQl,
                format!(
                    "the API did not disconnect {} (it answered false)",
                    printable_name(connection_id)
                ),
            )),
            _ => Err(Error::protocol(
                "the disconnect response has no boolean \"disconnect\"",
            )),
        }
    }
}

fn require(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_argument(format!("the {what} is empty")));
    }
    Ok(())
}

pub(crate) fn parse_connection(value: &Value) -> Result<Connection> {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let required = |key: &str| {
        text(key).ok_or_else(|| {
            Error::protocol(format!(
                "the connection in the response has no string \"{key}\""
            ))
        })
    };
    if !value.is_object() {
        return Err(Error::protocol("the response has no \"connect\" object"));
    }
    let port = match value.get("port") {
        None | Some(Value::Null) => None,
        Some(p) => Some(
            p.as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| Error::protocol("the connection's \"port\" is not a port number"))?,
        ),
    };
    Ok(Connection {
        id: required("id")?,
        host: required("host")?,
        port,
        reverse_proxy: value
            .get("reverseProxy")
            .and_then(Value::as_bool)
            .unwrap_or(port.is_none()),
        url: text("url").unwrap_or_default(),
        timeout: value
            .get("timeout")
            .and_then(Value::as_i64)
            .and_then(|t| i32::try_from(t).ok()),
        created: text("created"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_with_port_parses() {
        let c = parse_connection(&json!({"id":"c1","host":"proxy.rt3.io","port":33001,"reverseProxy":false,"url":"tcp://proxy.rt3.io:33001","timeout":15})).unwrap();
        assert_eq!(
            (c.port, c.reverse_proxy, c.timeout),
            (Some(33001), false, Some(15))
        );
    }

    #[test]
    fn reverse_proxy_has_no_port() {
        let c = parse_connection(&json!({"id":"c2","host":"x.p18.rt3.io","port":null,"reverseProxy":true,"url":"https://x.p18.rt3.io"})).unwrap();
        assert_eq!((c.port, c.reverse_proxy), (None, true));
    }

    #[test]
    fn malformed_connections_are_protocol_errors() {
        for value in [
            json!(null),
            json!({"host":"h"}),
            json!({"id":"i","host":"h","port":"80"}),
            json!({"id":"i","host":"h","port":70000}),
        ] {
            assert_eq!(
                parse_connection(&value).unwrap_err().kind(),
                ErrorKind::Protocol,
                "{value}"
            );
        }
    }
}
