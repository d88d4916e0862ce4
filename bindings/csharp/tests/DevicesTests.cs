using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteIt.Tests
{
    /// <summary>
    /// The typed listing, finding a service by name, the REST API, and the Task-returning calls,
    /// against the API double.
    /// </summary>
    internal static class DevicesTests
    {
        private const string OrgAccount = "0a9e0000-0000-4000-8000-000000000042";
        private const string KeyId = "TESTKEYID0000000001";
        private const string Secret = "dGVzdC1zZWNyZXQta2V5LWZvci1saWJyZW1vdGVpdCE=";

        internal static void AddTo(List<Test> tests, Fixture fixture)
        {
            tests.Add(new Test("devices: ListDevices gives the fixture's devices in order, with their services, Application and Port", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    IList<Device> devices = client.ListDevices();
                    foreach (Device device in devices)
                    {
                        Transcript.Shown(device);
                        foreach (Service service in device.Services)
                        {
                            Transcript.Shown(service);
                        }
                    }
                    Assert.Equal("office-gateway,lab-pi,old-nas", string.Join(",", devices.Select(d => d.Name)), "names");
                    Device gateway = devices[0];
                    Assert.Equal("80:00:00:00:01:00:00:01", gateway.Id, "Id");
                    Assert.Equal("active", gateway.State, "State");
                    Assert.Equal(true, gateway.Online, "Online");
                    Assert.Equal(2, gateway.Services.Count, "services");
                    Service ssh = gateway.Services[0];
                    Assert.Equal(ClientTests.PortService, ssh.Id, "service Id");
                    Assert.Equal("SSH", ssh.Name, "service Name");
                    Assert.Equal((int?)28, ssh.Application, "Application");
                    Assert.Equal((int?)22, ssh.Port, "Port");
                    Assert.Equal((int?)7, gateway.Services[1].Application, "Web admin Application");
                    Assert.Equal("inactive", devices[2].State, "old-nas State");
                    Assert.Equal(false, devices[2].Online, "old-nas Online");
                    Assert.Equal("80:00:00:00:01:00:00:31", devices[2].Services.Single().Id, "old-nas service");
                    Assert.True(devices.IsReadOnly && gateway.Services.IsReadOnly, "the lists are read-only");
                    Assert.Throws<NotSupportedException>(() => gateway.Services.Add(ssh));
                }
            }));

            tests.Add(new Test("devices: the name filter is case-insensitive; an empty one is INVALID_ARGUMENT", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Assert.Equal("lab-pi", string.Join(",", client.ListDevices("PI").Select(d => d.Name)), "PI");
                    Assert.Equal("office-gateway,old-nas", string.Join(",", client.ListDevices("o").Select(d => d.Name)), "o");
                    Assert.Equal(0, client.ListDevices("no such device").Count, "no match");
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.ListDevices(""));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.ListDevices(null, ""));
                }
            }));

            foreach (int size in new[] { 0, 1, 1000, 1001, 2500 })
            {
                int count = size;
                tests.Add(new Test("devices: " + count + " generated devices come each once, in order, with their services", () =>
                {
                    using (Credentials credentials = fixture.LoadCredentials())
                    using (Client client = new Client(credentials, fixture.Api.Url))
                    {
                        fixture.Api.SetFixture("{\"devices\": " + count + "}");
                        try
                        {
                            long before = fixture.Api.Stat("requests");
                            IList<Device> devices = client.ListDevices();
                            Assert.Equal(count, devices.Count, "devices");
                            Assert.Equal(Math.Max(1, (count + 999) / 1000), (int)(fixture.Api.Stat("requests") - before), "requests (1000 a page)");
                            for (int i = 0; i < count; i++)
                            {
                                int n = i + 1;
                                Device device = devices[i];
                                Assert.Equal("80:00:00:00:02:" + Hex(n), device.Id, "Id of device " + n);
                                Assert.True(device.Name.StartsWith("d" + n.ToString("D6", CultureInfo.InvariantCulture) + "-", StringComparison.Ordinal), "Name of device " + n + ": " + device.Name);
                                Assert.Equal(n % 4 == 0 ? "inactive" : "active", device.State, "State of device " + n);
                                Assert.Equal(1 + (n - 1) % 3, device.Services.Count, "services of device " + n);
                            }
                        }
                        finally
                        {
                            fixture.Api.SetFixture("{\"devices\": null}");
                        }
                    }
                }));
            }

            tests.Add(new Test("devices: an organisation's devices by account id; an unknown account is GRAPHQL", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    IList<Device> devices = client.ListDevices(null, OrgAccount);
                    Assert.Equal("org-d000001-garage-pi,org-d000002-Office-Gateway,org-d000003-lab-NAS", string.Join(",", devices.Select(d => d.Name)), "names");
                    Assert.Equal("80:00:00:00:04:00:00:01", devices[0].Id, "Id");
                    Assert.Equal("org-d000001-garage-pi", client.ListDevices("GARAGE", OrgAccount).Single().Name, "filtered");
                    RemoteItException e = Assert.Fails(ResultCode.GraphQL, "REMOTEIT_ERR_GRAPHQL", () => client.ListDevices(null, "00000000-0000-4000-8000-000000000000"));
                    Assert.Contains("00000000-0000-4000-8000-000000000000", e.Message, "message");
                }
            }));

            tests.Add(new Test("devices: FindService by device and service name, exact then case-insensitive; none is INVALID_ARGUMENT naming the candidates", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Service vnc = client.FindService("lab-pi", "VNC");
                    Assert.Equal("80:00:00:00:01:00:00:22", vnc.Id, "Id");
                    Assert.Equal((int?)5900, vnc.Port, "Port");
                    Assert.Equal("80:00:00:00:01:00:00:21", client.FindService("LAB-PI", "ssh").Id, "case-insensitive");
                    Assert.Equal("80:00:00:00:05:00:00:04", client.FindService("org-d000001-garage-pi", "ssh", OrgAccount).Id, "organisation");
                    RemoteItException e = Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.FindService("garage", "SSH"));
                    Assert.Contains("garage", e.Message, "names what was not found");
                    Assert.Contains("lab-pi", e.Message, "names the candidates");
                    e = Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.FindService("lab-pi", "RDP"));
                    Assert.Contains("VNC", e.Message, "names the candidate services");
                    Assert.Equal("deviceName", Assert.Throws<ArgumentNullException>(() => client.FindService(null, "SSH")).ParamName, "ParamName");
                    Assert.Equal("serviceName", Assert.Throws<ArgumentNullException>(() => client.FindService("lab-pi", null)).ParamName, "ParamName");
                }
            }));

            tests.Add(new Test("rest: the developer key gets the user's info; a wrong one is RestApiException (API) with reason and code", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    object info = Json.Parse(client.Rest("GET", "/user/info"));
                    Assert.Equal("demo@example.com", Json.At(info, "email"), "email");
                    Assert.Equal("true", Json.At(info, "status"), "status");
                    object list = Json.Parse(client.Rest("GET", "/device/list/all", null));
                    Assert.True(((List<object>)Json.At(list, "devices")).Count >= 3, "device/list/all");
                }
                using (Credentials wrong = new Credentials(KeyId, Secret, "WRONGDEVELOPERKEY"))
                using (Client client = new Client(wrong, fixture.Api.Url))
                {
                    RemoteItException e = Assert.Fails(ResultCode.Api, "REMOTEIT_ERR_API", () => client.Rest("GET", "/user/info"));
                    Assert.True(e is RestApiException && e is ApiException, "a RestApiException, an ApiException");
                    Assert.Contains("INVALID_DEVELOPER_KEY", e.Message, "the code");
                    Assert.Contains("invalid developer key", e.Message, "the reason");
                    e = Assert.Fails(ResultCode.Api, "REMOTEIT_ERR_API", () => client.Rest("GET", "/no/such/endpoint"));
                }
            }));

            tests.Add(new Test("rest: no developer key fails before sending (CREDENTIALS_INCOMPLETE); bad arguments are INVALID_ARGUMENT", () =>
            {
                using (Credentials keyOnly = new Credentials(KeyId, Secret))
                using (Client client = new Client(keyOnly, fixture.Api.Url))
                {
                    long before = fixture.Api.Stat("requests");
                    RemoteItException e = Assert.Fails(ResultCode.CredentialsIncomplete, "REMOTEIT_ERR_CREDENTIALS_INCOMPLETE", () => client.Rest("GET", "/user/info"));
                    Assert.Contains("R3_DEVELOPER_API_KEY", e.Message, "names the missing key");
                    Assert.Equal(before, fixture.Api.Stat("requests"), "nothing was sent");
                }
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.Rest("GET", "user/info"));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.Rest("POST", "/user/info", "{not json"));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.Rest("BAD METHOD", "/user/info"));
                    Assert.Equal("method", Assert.Throws<ArgumentNullException>(() => client.Rest(null, "/user/info")).ParamName, "ParamName");
                    Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => client.Rest("GET", null)).ParamName, "ParamName");
                }
            }));

            tests.Add(new Test("async: 50 ConnectAsync at once on one client: the calling thread runs on, all 50 succeed", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    long before = fixture.Api.Stat("active_connections");
                    // Each connect takes at least 50 ms, so a caller that waited would need 2.5 s to start them.
                    fixture.Api.Fault("{\"kind\": \"slow\", \"delay_ms\": 50, \"count\": 50}");
                    try
                    {
                        Stopwatch started = Stopwatch.StartNew();
                        List<Task<Connection>> connects = new List<Task<Connection>>();
                        for (int i = 0; i < 50; i++)
                        {
                            connects.Add(client.ConnectAsync(i % 2 == 0 ? ClientTests.PortService : ClientTests.ReverseProxyService));
                        }
                        TimeSpan startedIn = started.Elapsed;
                        int pendingAfterStart = connects.Count(t => !t.IsCompleted);
                        Task<Connection[]> all = Task.WhenAll(connects);
                        int spins = 0;
                        while (!all.Wait(10))
                        {
                            spins++;
                        }
                        Assert.True(startedIn < TimeSpan.FromMilliseconds(1000), "50 tasks started in " + startedIn.TotalMilliseconds + " ms");
                        Assert.True(pendingAfterStart > 0, "tasks were still running when the caller went on");
                        Assert.True(spins > 0, "the calling thread ran while the connects were pending");
                        Connection[] connections = all.Result;
                        Assert.Equal(50, connections.Select(c => c.Id).Distinct().Count(), "distinct connections");
                        Assert.Equal(before + 50, fixture.Api.Stat("active_connections"), "active connections");
                        Task.WhenAll(connections.Select(c => client.DisconnectAsync(c.Id))).Wait();
                        Assert.Equal(before, fixture.Api.Stat("active_connections"), "active connections after DisconnectAsync");
                    }
                    finally
                    {
                        fixture.Api.ClearFaults();
                    }
                }
            }));

            tests.Add(new Test("async: GraphQLAsync and ListDevicesAsync give the results; failures come through the task with their class", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Assert.Contains("demo@example.com", client.GraphQLAsync("{ login { email } }").Result, "data");
                    Assert.Equal(3, client.ListDevicesAsync().Result.Count, "devices");
                    Assert.Equal("lab-pi", client.ListDevicesAsync("pi").Result.Single().Name, "filtered");
                    Assert.Contains("demo@example.com", client.RestAsync("GET", "/user/info").Result, "REST");
                    Task<Connection> unknown = client.ConnectAsync("80:00:00:00:00:00:00:00");
                    AggregateException failure = Assert.Throws<AggregateException>(() => unknown.Wait());
                    Assert.Equal(typeof(GraphQLException), failure.InnerException.GetType(), "the task's exception");
                    Assert.Equal(typeof(InvalidArgumentException), Assert.Throws<AggregateException>(() => client.ListDevicesAsync("").Wait()).InnerException.GetType(), "the task's exception");
                    Assert.Equal("serviceId", Assert.Throws<ArgumentNullException>(() => client.ConnectAsync(null)).ParamName, "thrown at once");
                    Assert.Equal("connectionId", Assert.Throws<ArgumentNullException>(() => client.DisconnectAsync(null)).ParamName, "thrown at once");
                    Assert.Equal("query", Assert.Throws<ArgumentNullException>(() => client.GraphQLAsync(null)).ParamName, "thrown at once");
                }
            }));

            tests.Add(new Test("async: a cancelled token abandons the wait at once; an abandoned ConnectAsync's connection is closed again", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    try
                    {
                        using (CancellationTokenSource early = new CancellationTokenSource())
                        {
                            early.Cancel();
                            long requests = fixture.Api.Stat("requests");
                            Task<string> never = client.GraphQLAsync("{ login { email } }", null, early.Token);
                            Assert.True(never.IsCanceled, "a token cancelled beforehand gives a cancelled task");
                            Assert.Equal(requests, fixture.Api.Stat("requests"), "and sends nothing");
                        }

                        fixture.Api.Fault("{\"kind\": \"slow\", \"delay_ms\": 1500}");
                        using (CancellationTokenSource cancel = new CancellationTokenSource())
                        {
                            Task<string> slow = client.GraphQLAsync("{ login { email } }", null, cancel.Token);
                            Thread.Sleep(100);
                            Stopwatch waited = Stopwatch.StartNew();
                            cancel.Cancel();
                            AggregateException e = Assert.Throws<AggregateException>(() => slow.Wait());
                            Assert.True(e.InnerException is OperationCanceledException, "cancelled, got " + e.InnerException.GetType().Name);
                            Assert.True(slow.IsCanceled, "the task is cancelled");
                            Assert.True(waited.Elapsed < TimeSpan.FromMilliseconds(1000), "the wait ended at once: " + waited.Elapsed.TotalMilliseconds + " ms");
                        }

                        Thread.Sleep(1600);
                        long before = fixture.Api.Stat("active_connections");
                        fixture.Api.Fault("{\"kind\": \"slow\", \"delay_ms\": 500}");
                        using (CancellationTokenSource cancel = new CancellationTokenSource())
                        {
                            Task<Connection> connect = client.ConnectAsync(ClientTests.PortService, cancel.Token);
                            Thread.Sleep(100);
                            cancel.Cancel();
                            Assert.True(Assert.Throws<AggregateException>(() => connect.Wait()).InnerException is OperationCanceledException, "cancelled");
                        }
                        Stopwatch closing = Stopwatch.StartNew();
                        while (fixture.Api.Stat("active_connections") != before && closing.Elapsed < TimeSpan.FromSeconds(5))
                        {
                            Thread.Sleep(50);
                        }
                        Assert.Equal(before, fixture.Api.Stat("active_connections"), "the abandoned connection was closed");
                    }
                    finally
                    {
                        fixture.Api.ClearFaults();
                    }
                }
            }));

            tests.Add(new Test("async: a disposed client throws ObjectDisposedException at once", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                {
                    Client client = new Client(credentials, fixture.Api.Url);
                    client.Dispose();
                    Assert.Throws<ObjectDisposedException>(() => client.ConnectAsync(ClientTests.PortService));
                    Assert.Throws<ObjectDisposedException>(() => client.DisconnectAsync("x"));
                    Assert.Throws<ObjectDisposedException>(() => client.ListDevicesAsync());
                    Assert.Throws<ObjectDisposedException>(() => client.GraphQLAsync("{ login { email } }"));
                    Assert.Throws<ObjectDisposedException>(() => client.ListDevices());
                    Assert.Throws<ObjectDisposedException>(() => client.Rest("GET", "/user/info"));
                    Assert.Throws<ObjectDisposedException>(() => client.FindService("lab-pi", "SSH"));
                }
            }));
        }

        /// <summary><paramref name="n"/> as the double's <c>xx:xx:xx</c>.</summary>
        private static string Hex(int n)
        {
            string hex = n.ToString("x6", CultureInfo.InvariantCulture);
            return hex.Substring(0, 2) + ":" + hex.Substring(2, 2) + ":" + hex.Substring(4, 2);
        }
    }
}
