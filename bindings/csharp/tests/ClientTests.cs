using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace RemoteIt.Tests
{
    /// <summary>Client against the API double: connect, disconnect, GraphQL, threads, TLS, disposal.</summary>
    internal static class ClientTests
    {
        internal const string PortService = "80:00:00:00:01:00:00:11";
        internal const string ReverseProxyService = "80:00:00:00:01:00:00:12";

        internal static void AddTo(List<Test> tests, Fixture fixture)
        {
            tests.Add(new Test("client: Connect to a port-proxy service gives host, port and id; Disconnect closes it", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    long before = fixture.Api.Stat("active_connections");
                    Connection connection = client.Connect(PortService);
                    Assert.True(!string.IsNullOrEmpty(connection.Id), "Id is set");
                    Assert.True(!string.IsNullOrEmpty(connection.Host), "Host is set");
                    Assert.True(connection.Port.HasValue && connection.Port > 0, "Port is set, got " + connection.Port);
                    Assert.True(!connection.ReverseProxy, "not a reverse proxy");
                    Assert.Contains(connection.Port.Value.ToString(CultureInfo.InvariantCulture), connection.Url, "Url");
                    Assert.True(connection.Timeout.HasValue, "Timeout is set");
                    Assert.Equal(before + 1, fixture.Api.Stat("active_connections"), "active connections after Connect");
                    client.Disconnect(connection.Id);
                    Assert.Equal(before, fixture.Api.Stat("active_connections"), "active connections after Disconnect");
                }
            }));

            tests.Add(new Test("client: Connect to a reverse-proxy service gives a URL and a null Port", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Connection connection = client.Connect(ReverseProxyService);
                    Assert.Equal(null, connection.Port, "Port");
                    Assert.True(connection.ReverseProxy, "ReverseProxy");
                    Assert.True(connection.Url.StartsWith("https://", StringComparison.Ordinal), "Url is https, got " + connection.Url);
                    client.Disconnect(connection.Id);
                }
            }));

            tests.Add(new Test("client: ConnectWithOptions passes the proxy type and host IP", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Connection port = client.ConnectWithOptions(ReverseProxyService, "0.0.0.0", ProxyType.Port);
                    Assert.True(port.Port.HasValue && !port.ReverseProxy, "PORT_PROXY gives a port");
                    Connection reverse = client.ConnectWithOptions(ReverseProxyService, null, ProxyType.Reverse);
                    Assert.True(!reverse.Port.HasValue && reverse.ReverseProxy, "REVERSE_PROXY gives a URL");
                    Connection auto = client.ConnectWithOptions(PortService, "192.0.2.7", ProxyType.Auto);
                    Assert.True(auto.Port.HasValue, "AUTO_PROXY to a TCP service gives a port");
                    foreach (Connection connection in new[] { port, reverse, auto })
                    {
                        client.Disconnect(connection.Id);
                    }
                    Assert.Fails(ResultCode.GraphQL, "REMOTEIT_ERR_GRAPHQL", () => client.ConnectWithOptions(PortService, "not-an-ip", ProxyType.Auto));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.ConnectWithOptions(PortService, null, (ProxyType)7));
                }
            }));

            tests.Add(new Test("client: GraphQL sends variables and returns the data object as JSON", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    string data = client.GraphQL(
                        "query devices($size: Int) { login { email devices(size: $size) { total items { id name } } } }",
                        "{\"size\": 1}");
                    object devices = Json.At(Json.Parse(data), "login", "devices");
                    Assert.Equal(3.0, Json.At(devices, "total"), "total");
                    Assert.Equal(1, ((List<object>)Json.At(devices, "items")).Count, "items with size 1");
                    Assert.Equal("demo@example.com", Json.At(Json.Parse(data), "login", "email"), "email");
                }
            }));

            tests.Add(new Test("client: a GraphQL error message comes back in UTF-8", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    RemoteItException e = Assert.Fails(ResultCode.GraphQL, "REMOTEIT_ERR_GRAPHQL", () => client.Connect("Küche ☕"));
                    Assert.Contains("Küche ☕", e.Message, "message");
                }
            }));

            tests.Add(new Test("client: the client stays usable after its credentials are disposed", () =>
            {
                Credentials credentials = fixture.LoadCredentials();
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    credentials.Dispose();
                    Assert.Contains("login", client.GraphQL("{ login { email } }"), "data");
                }
            }));

            tests.Add(new Test("client: 8 threads sharing one Client make 25 calls each, all succeed", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    long before = fixture.Api.Stat("verified");
                    int succeeded = 0;
                    List<Exception> failures = new List<Exception>();
                    Thread[] threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
                    {
                        try
                        {
                            string connectionId = null;
                            for (int call = 0; call < 25; call++)
                            {
                                switch (call % 5)
                                {
                                    case 3:
                                        connectionId = client.Connect(PortService).Id;
                                        break;
                                    case 4:
                                        client.Disconnect(connectionId);
                                        break;
                                    default:
                                        Json.Parse(client.GraphQL("{ login { email } }"));
                                        break;
                                }
                                Interlocked.Increment(ref succeeded);
                            }
                        }
                        catch (Exception e)
                        {
                            lock (failures)
                            {
                                failures.Add(e);
                            }
                        }
                    })).ToArray();
                    foreach (Thread thread in threads)
                    {
                        thread.Start();
                    }
                    foreach (Thread thread in threads)
                    {
                        thread.Join();
                    }
                    Assert.True(failures.Count == 0, "no thread failed: " + string.Join("; ", failures.Select(e => e.Message)));
                    Assert.Equal(200, succeeded, "successful calls");
                    Assert.Equal(before + 200, fixture.Api.Stat("verified"), "requests the double verified");
                }
            }));

            tests.Add(new Test("client: https works when the CA file given to the constructor trusts the server", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.HttpsApi.Url, 0, fixture.CertificateFile("ca.pem")))
                {
                    Assert.True(fixture.HttpsApi.Url.StartsWith("https://", StringComparison.Ordinal), "the double serves https");
                    Assert.Contains("demo@example.com", client.GraphQL("{ login { email } }"), "data");
                }
            }));

            tests.Add(new Test("client: argument checks: null arguments, a negative timeout", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Assert.Equal("credentials", Assert.Throws<ArgumentNullException>(() => new Client(null)).ParamName, "ParamName");
                    Assert.Equal("timeoutMs", Assert.Throws<ArgumentOutOfRangeException>(() => new Client(credentials, null, -1)).ParamName, "ParamName");
                    Assert.Equal("serviceId", Assert.Throws<ArgumentNullException>(() => client.Connect(null)).ParamName, "ParamName");
                    Assert.Equal("serviceId", Assert.Throws<ArgumentNullException>(() => client.ConnectWithOptions(null, null, ProxyType.Auto)).ParamName, "ParamName");
                    Assert.Equal("connectionId", Assert.Throws<ArgumentNullException>(() => client.Disconnect(null)).ParamName, "ParamName");
                    Assert.Equal("query", Assert.Throws<ArgumentNullException>(() => client.GraphQL(null)).ParamName, "ParamName");
                }
            }));

            tests.Add(new Test("client: Dispose twice is fine; use after Dispose throws ObjectDisposedException", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                {
                    Client client = new Client(credentials, fixture.Api.Url);
                    client.Dispose();
                    client.Dispose();
                    Assert.Throws<ObjectDisposedException>(() => client.GraphQL("{ login { email } }"));
                    Assert.Throws<ObjectDisposedException>(() => client.Connect(PortService));
                    Assert.Throws<ObjectDisposedException>(() => client.ConnectWithOptions(PortService, null, ProxyType.Port));
                    Assert.Throws<ObjectDisposedException>(() => client.Disconnect("x"));
                }
            }));
        }
    }
}
