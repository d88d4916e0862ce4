// Signing through the .NET binding against managed C# signing as in Remote.It's own C# example
// (HMACSHA256 + string building of the draft-cavage signing string), side by side in one
// process. Prints, per round, "binding_ns managed_new_ns managed_reused_ns": managed_new makes
// an HMACSHA256 per signature as the example does; managed_reused keeps one (a stronger rival).
//
//   mono sign-bench.exe BODY_BYTES ITERATIONS ROUNDS
using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using RemoteIt;

internal static class SignBench
{
    private const string KeyId = "EXAMPLEKEYID00000000";
    private const string Secret = "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE=";
    private const string Url = "https://api.remote.it/graphql/v1";
    private const string ContentType = "application/json";
    private const long UnixTime = 1700000000;

    private static string ManagedSign(HMACSHA256 reused, byte[] key, DateTime date, int contentLength)
    {
        Uri uri = new Uri(Url);
        string dateText = date.ToString("r");
        string signingString = "(request-target): post " + uri.PathAndQuery + "\n" +
            "host: " + uri.Authority + "\n" +
            "date: " + dateText + "\n" +
            "content-type: " + ContentType + "\n" +
            "content-length: " + contentLength;
        byte[] data = Encoding.UTF8.GetBytes(signingString);
        byte[] mac;
        if (reused != null)
        {
            mac = reused.ComputeHash(data);
        }
        else
        {
            using (HMACSHA256 hmac = new HMACSHA256(key))
            {
                mac = hmac.ComputeHash(data);
            }
        }
        return "Signature keyId=\"" + KeyId + "\",algorithm=\"hmac-sha256\"," +
            "headers=\"(request-target) host date content-type content-length\",signature=\"" +
            Convert.ToBase64String(mac) + "\"";
    }

    private static int Main(string[] args)
    {
        int bodyBytes = int.Parse(args[0]);
        int iterations = int.Parse(args[1]);
        int rounds = int.Parse(args[2]);
        byte[] body = new byte[bodyBytes];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + i % 26);
        }
        byte[] key = Convert.FromBase64String(Secret);
        DateTime date = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(UnixTime);
        using (Credentials credentials = new Credentials(KeyId, Secret))
        using (HMACSHA256 reused = new HMACSHA256(key))
        {
            string expected = null;
            foreach (var header in credentials.Sign(SigningScheme.Cavage, "POST", Url, ContentType, body, UnixTime))
            {
                if (header.Key == "Authorization")
                {
                    expected = header.Value;
                }
            }
            if (expected != ManagedSign(null, key, date, body.Length))
            {
                Console.Error.WriteLine("managed and binding signatures differ");
                return 1;
            }
            Func<double>[] contenders =
            {
                () => Time(iterations, () => credentials.Sign(SigningScheme.Cavage, "POST", Url, ContentType, body, UnixTime)),
                () => Time(iterations, () => ManagedSign(null, key, date, body.Length)),
                () => Time(iterations, () => ManagedSign(reused, key, date, body.Length)),
            };
            foreach (var warm in contenders)
            {
                warm();
            }
            for (int round = 0; round < rounds; round++)
            {
                Console.WriteLine("{0:F1} {1:F1} {2:F1}", contenders[0](), contenders[1](), contenders[2]());
            }
        }
        return 0;
    }

    private static double Time(int iterations, Func<object> body)
    {
        Stopwatch watch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            body();
        }
        return watch.Elapsed.TotalMilliseconds * 1e6 / iterations;
    }
}
