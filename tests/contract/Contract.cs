// Written against the .NET surface of tests/contract/api-contract.md alone (public names only,
// 0.1 plus the 0.2 Credentials.Sign): signs, connects, disconnects and queries the API double
// whose URL is args[0], with the credentials file args[1].
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
