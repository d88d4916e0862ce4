// Written against the .NET surface of tests/contract/api-contract.md alone (public names only:
// 0.1, and of 0.2 Credentials.Sign, the client settings and log, the typed listing and REST):
// signs, connects, disconnects, queries, lists devices and calls REST on the API double whose
// URL is args[0], with the credentials file args[1].
using System;
using System.Collections.Generic;
using RemoteIt;

public static class Contract
{
    public static int Main(string[] args)
    {
        using (Credentials credentials = Credentials.Load(args[1], null))
        using (Client client = new Client(credentials, args[0], 10000))
        {
            IList<KeyValuePair<string, string>> headers =
                credentials.SignRequest("POST", args[0], "application/json", new byte[] { 0x7b, 0x7d }, -1);
            if (headers.Count != 2 || headers[0].Key != "Date" || headers[1].Key != "Authorization")
            {
                throw new Exception("SignRequest must give Date and Authorization");
            }
            byte[] body = new byte[] { 0x7b, 0x7d };
            string cavage = Join(credentials.Sign(SigningScheme.Cavage, "POST", args[0], "application/json", body, 1700000000));
            if (cavage != Join(credentials.SignRequest("POST", args[0], "application/json", body, 1700000000)))
            {
                throw new Exception("Sign(SigningScheme.Cavage, ...) must give what SignRequest gives");
            }
            IList<KeyValuePair<string, string>> rfc9421 =
                credentials.Sign(SigningScheme.Rfc9421, "POST", args[0], "application/json", body, 1700000000);
            if (rfc9421.Count != 4 || rfc9421[0].Key != "Date" || rfc9421[3].Key != "Signature")
            {
                throw new Exception("Sign(SigningScheme.Rfc9421, ...) must give Date, Content-Digest, Signature-Input, Signature");
            }
            Connection connection = client.Connect("80:00:00:00:01:00:00:11");
            int? port = connection.Port;
            if (!port.HasValue || connection.Host.Length == 0)
            {
                throw new Exception("a port proxy has a host and a port");
            }
            client.Disconnect(connection.Id);
            try
            {
                client.Disconnect(connection.Id);
                throw new Exception("a second disconnect must fail");
            }
            catch (RemoteItException e)
            {
                if (e.Code != 303 || e.CodeName != "REMOTEIT_ERR_GRAPHQL")
                {
                    throw;
                }
            }
            string data = client.GraphQL("query($n: Int) { login { devices(size: $n) { total } } }", "{\"n\": 1}");

            client.MaxRetries = 1;
            client.ClockCorrection = true;
            client.UserAgent = "contract/0.2";
            List<string> lines = new List<string>();
            Action<LogLevel, string> log = (level, message) => { lock (lines) { lines.Add(level + " " + message); } };
            client.Log = log;
            IList<Device> devices = client.ListDevices(null, null);
            if (devices.Count == 0 || devices[0].Services.Count == 0 || devices[0].Services[0].Id.Length == 0)
            {
                throw new Exception("ListDevices must give the fixture's devices and their services");
            }
            Device device = devices[0];
            Service service = device.Services[0];
            int? application = service.Application;
            int? servicePort = service.Port;
            bool online = device.Online;
            string state = device.State;
            if (client.ListDevices(device.Name, null).Count == 0)
            {
                throw new Exception("ListDevices(nameFilter) must find a device by its name");
            }
            string info = client.Rest("GET", "/user/info", null);
            if (!info.Contains("@"))
            {
                throw new Exception("Rest(GET /user/info) must give the user's info");
            }
            client.Log = null;
            if (lines.Count == 0 || client.ClockOffset != 0)
            {
                throw new Exception("the log must have seen the calls, and the clock offset stays 0 against the double");
            }
            Console.WriteLine("Contract.cs 0.2: {0} devices, {1} {2} {3} {4}; service {5} app {6} port {7}; {8} log lines",
                devices.Count, device.Id, device.Name, state, online, service.Name, application, servicePort, lines.Count);
            Console.WriteLine("Contract.cs: key {0} connected to {1}:{2}; data {3}",
                credentials.AccessKeyId, connection.Host, port.Value, data);
        }
        using (Credentials fromParts = new Credentials("ID", "c2VjcmV0"))
        {
            fromParts.SignRequest("GET", "https://api.remote.it/apv/v27/user/info", null, null);
        }
        return 0;
    }

    private static string Join(IList<KeyValuePair<string, string>> headers)
    {
        List<string> lines = new List<string>();
        foreach (KeyValuePair<string, string> header in headers)
        {
            lines.Add(header.Key + ": " + header.Value);
        }
        return string.Join("\n", lines);
    }
}
