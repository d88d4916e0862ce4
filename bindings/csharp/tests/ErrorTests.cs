using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace RemoteIt.Tests
{
    /// <summary>
    /// Every result code .NET code can meet, each as the <see cref="RemoteItException"/>
    /// subclass of its family with its number, its name and the library's message (every
    /// <see cref="Assert.Fails"/> checks the class against <see cref="Families"/>), and the
    /// mapper's choice of class for every code. Three codes cannot be reached from here:
    /// NULL_ARGUMENT (the binding throws ArgumentNullException first, tested with each class),
    /// BUFFER_TOO_SMALL (the binding's two-call buffer reads handle it: every AccessKeyId and
    /// error message read goes through it) and PANIC (no input makes the library panic).
    /// </summary>
    internal static class ErrorTests
    {
        /// <summary>
        /// The exception class each failing code is thrown as: the families of the Python
        /// binding's errors (bindings/python/remoteit/errors.py). PANIC has no family.
        /// </summary>
        internal static readonly Dictionary<ResultCode, Type> Families = new Dictionary<ResultCode, Type>
        {
            { ResultCode.NullArgument, typeof(InvalidArgumentException) },
            { ResultCode.InvalidArgument, typeof(InvalidArgumentException) },
            { ResultCode.BufferTooSmall, typeof(InvalidArgumentException) },
            { ResultCode.Panic, typeof(RemoteItException) },
            { ResultCode.CredentialsNotFound, typeof(CredentialsException) },
            { ResultCode.CredentialsInvalid, typeof(CredentialsException) },
            { ResultCode.ProfileNotFound, typeof(CredentialsException) },
            { ResultCode.CredentialsIncomplete, typeof(CredentialsException) },
            { ResultCode.SecretInvalid, typeof(CredentialsException) },
            { ResultCode.Network, typeof(NetworkException) },
            { ResultCode.Timeout, typeof(RequestTimeoutException) },
            { ResultCode.Tls, typeof(TlsException) },
            { ResultCode.Unauthorized, typeof(AuthException) },
            { ResultCode.RateLimited, typeof(RateLimitedException) },
            { ResultCode.HttpStatus, typeof(ApiException) },
            { ResultCode.GraphQL, typeof(GraphQLException) },
            { ResultCode.Protocol, typeof(ApiException) },
            { ResultCode.Api, typeof(RestApiException) },
        };

        internal static void AddTo(List<Test> tests, Fixture fixture)
        {
            tests.Add(new Test("errors: the mapper throws every failing ResultCode as its family's class", () =>
            {
                ResultCode[] failing = ((ResultCode[])Enum.GetValues(typeof(ResultCode))).Where(c => c != ResultCode.Ok).ToArray();
                Assert.True(failing.Length >= 18, "ResultCode has its codes, found " + failing.Length);
                Assert.Equal(failing.Length, Families.Count, "codes with an expected class");
                foreach (ResultCode code in failing)
                {
                    RemoteItException e = Errors.Create((uint)code, "NAME", "message");
                    Assert.Equal(Families[code], e.GetType(), "class for " + code);
                    Assert.Equal((uint)code, e.Code, "Code of " + code);
                    Assert.Equal(code, e.Result, "Result of " + code);
                    Assert.Equal("NAME", e.CodeName, "CodeName of " + code);
                    Assert.Equal("message", e.Message, "Message of " + code);
                }
            }));

            tests.Add(new Test("errors: TIMEOUT and TLS are NetworkExceptions, RATE_LIMITED an ApiException", () =>
            {
                Assert.True(Errors.Create((uint)ResultCode.Timeout, "n", "m") is NetworkException, "RequestTimeoutException is a NetworkException");
                Assert.True(Errors.Create((uint)ResultCode.Tls, "n", "m") is NetworkException, "TlsException is a NetworkException");
                Assert.True(Errors.Create((uint)ResultCode.RateLimited, "n", "m") is ApiException, "RateLimitedException is an ApiException");
            }));

            tests.Add(new Test("errors: a code the binding does not know is a plain RemoteItException with the library's name", () =>
            {
                Errors.Check(0);
                RemoteItException e = Assert.Throws<RemoteItException>(() => Errors.Check(999));
                Assert.Equal(999u, e.Code, "Code");
                Assert.Equal("REMOTEIT_ERR_UNKNOWN", e.CodeName, "CodeName");
            }));

            tests.Add(new Test("errors: a missing credentials file is a CredentialsException with code 100, caught by its family", () =>
            {
                try
                {
                    Credentials.Load(fixture.Scratch + "/missing-credentials").Dispose();
                    throw new AssertionException("Load of a missing file succeeded");
                }
                catch (CredentialsException e)
                {
                    Transcript.Error(e);
                    Assert.Equal(100u, e.Code, "Code");
                    Assert.Equal(ResultCode.CredentialsNotFound, e.Result, "Result");
                    Assert.Equal("REMOTEIT_ERR_CREDENTIALS_NOT_FOUND", e.CodeName, "CodeName");
                }
            }));

            tests.Add(new Test("errors: INVALID_ARGUMENT for a malformed API URL or plain http to another host", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                {
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => new Client(credentials, "not a url"));
                    RemoteItException e = Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT",
                        () => new Client(credentials, "http://api.example.com/graphql/v1"));
                    Assert.Contains("https", e.Message, "message");
                }
            }));

            tests.Add(new Test("errors: INVALID_ARGUMENT for a profile name with a dot, empty query, variables that are not an object, a bad CA file", () =>
            {
                Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => Credentials.Load(fixture.CredentialsFile, "a.b"));
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.GraphQL(" "));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.GraphQL("{ login { email } }", "[1]"));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.GraphQL("{ login { email } }", "{"));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT",
                        () => new Client(credentials, fixture.Api.Url, 0, fixture.CredentialsFile));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT",
                        () => new Client(credentials, fixture.Api.Url, 0, fixture.Scratch + "/missing.pem"));
                }
            }));

            tests.Add(new Test("errors: CREDENTIALS_NOT_FOUND for a missing file", () =>
            {
                RemoteItException e = Assert.Fails(ResultCode.CredentialsNotFound, "REMOTEIT_ERR_CREDENTIALS_NOT_FOUND",
                    () => Credentials.Load(fixture.Scratch + "/missing-credentials"));
                Assert.Contains("missing-credentials", e.Message, "message");
            }));

            tests.Add(new Test("errors: CREDENTIALS_INVALID for a file that is not INI", () =>
            {
                string path = fixture.WriteFile("broken-credentials", "[DEFAULT\nR3_ACCESS_KEY_ID=x\n");
                Assert.Fails(ResultCode.CredentialsInvalid, "REMOTEIT_ERR_CREDENTIALS_INVALID", () => Credentials.Load(path));
            }));

            tests.Add(new Test("errors: PROFILE_NOT_FOUND for an unknown profile", () =>
            {
                RemoteItException e = Assert.Fails(ResultCode.ProfileNotFound, "REMOTEIT_ERR_PROFILE_NOT_FOUND",
                    () => Credentials.Load(fixture.CredentialsFile, "nope"));
                Assert.Contains("nope", e.Message, "message");
            }));

            tests.Add(new Test("errors: CREDENTIALS_INCOMPLETE for a profile without a secret", () =>
            {
                string path = fixture.WriteFile("incomplete-credentials", "[DEFAULT]\nR3_ACCESS_KEY_ID=KEYID\n");
                Assert.Fails(ResultCode.CredentialsIncomplete, "REMOTEIT_ERR_CREDENTIALS_INCOMPLETE", () => Credentials.Load(path));
            }));

            tests.Add(new Test("errors: SECRET_INVALID for a secret that is not base64, in a file or given directly", () =>
            {
                string path = fixture.WriteFile("bad-secret-credentials", "[DEFAULT]\nR3_ACCESS_KEY_ID=KEYID\nR3_SECRET_ACCESS_KEY=not base64!\n");
                Assert.Fails(ResultCode.SecretInvalid, "REMOTEIT_ERR_SECRET_INVALID", () => Credentials.Load(path));
                RemoteItException e = Assert.Fails(ResultCode.SecretInvalid, "REMOTEIT_ERR_SECRET_INVALID", () => new Credentials("KEYID", "not base64!"));
                Assert.True(!e.Message.Contains("not base64!"), "the message does not repeat the secret: " + e.Message);
            }));

            tests.Add(new Test("errors: UNAUTHORIZED when the API rejects the key (wrong secret)", () =>
            {
                using (Credentials credentials = Credentials.Load(fixture.Root + "/tests/data/wrong-credentials"))
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    client.ClockCorrection = false;
                    RemoteItException e = Assert.Fails(ResultCode.Unauthorized, "REMOTEIT_ERR_UNAUTHORIZED", () => client.GraphQL("{ login { email } }"));
                    Assert.Contains("401", e.Message, "message");
                }
            }));

            tests.Add(new Test("errors: NETWORK when the connection is refused", () =>
            {
                TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, string.Format(CultureInfo.InvariantCulture, "http://127.0.0.1:{0}/graphql/v1", port)))
                {
                    client.MaxRetries = 0;
                    Assert.Fails(ResultCode.Network, "REMOTEIT_ERR_NETWORK", () => client.GraphQL("{ login { email } }"));
                }
            }));

            tests.Add(new Test("errors: TIMEOUT when the API answers after the client's timeout", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url, 500))
                {
                    client.MaxRetries = 0;
                    client.ClockCorrection = false;
                    fixture.Api.Fault("{\"kind\": \"slow\", \"delay_ms\": 3000}");
                    try
                    {
                        Assert.Fails(ResultCode.Timeout, "REMOTEIT_ERR_TIMEOUT", () => client.GraphQL("{ login { email } }"));
                    }
                    finally
                    {
                        fixture.Api.ClearFaults();
                    }
                }
            }));

            tests.Add(new Test("errors: TLS when the server's certificate is not trusted", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client untrusted = new Client(credentials, fixture.HttpsApi.Url))
                using (Client otherCa = new Client(credentials, fixture.HttpsApi.Url, 0, fixture.CertificateFile("other-ca.pem")))
                {
                    Assert.Fails(ResultCode.Tls, "REMOTEIT_ERR_TLS", () => untrusted.GraphQL("{ login { email } }"));
                    Assert.Fails(ResultCode.Tls, "REMOTEIT_ERR_TLS", () => otherCa.GraphQL("{ login { email } }"));
                }
            }));

            AddFault(tests, fixture, "429", ResultCode.RateLimited, "REMOTEIT_ERR_RATE_LIMITED", "429");
            AddFault(tests, fixture, "500", ResultCode.HttpStatus, "REMOTEIT_ERR_HTTP_STATUS", "500");
            AddFault(tests, fixture, "redirect", ResultCode.HttpStatus, "REMOTEIT_ERR_HTTP_STATUS", "302");
            AddFault(tests, fixture, "non_json", ResultCode.Protocol, "REMOTEIT_ERR_PROTOCOL", "");
            AddFault(tests, fixture, "graphql_error", ResultCode.GraphQL, "REMOTEIT_ERR_GRAPHQL", "");

            tests.Add(new Test("errors: GRAPHQL for an unknown service and for a second Disconnect", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    RemoteItException e = Assert.Fails(ResultCode.GraphQL, "REMOTEIT_ERR_GRAPHQL", () => client.Connect("80:00:00:00:00:00:00:00"));
                    Assert.Contains("80:00:00:00:00:00:00:00", e.Message, "message");
                    Connection connection = client.Connect(ClientTests.PortService);
                    client.Disconnect(connection.Id);
                    Assert.Fails(ResultCode.GraphQL, "REMOTEIT_ERR_GRAPHQL", () => client.Disconnect(connection.Id));
                }
            }));
        }

        /// <summary>A test that the double's fault <paramref name="kind"/> gives <paramref name="code"/>.</summary>
        private static void AddFault(List<Test> tests, Fixture fixture, string kind, ResultCode code, string codeName, string inMessage)
        {
            tests.Add(new Test("errors: " + codeName.Substring("REMOTEIT_ERR_".Length) + " for the API's fault " + kind, () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    // The fault as the caller would see it without the library's recovery.
                    client.MaxRetries = 0;
                    client.ClockCorrection = false;
                    fixture.Api.Fault("{\"kind\": \"" + kind + "\"}");
                    try
                    {
                        RemoteItException e = Assert.Fails(code, codeName, () => client.GraphQL("{ login { email } }"));
                        Assert.Contains(inMessage, e.Message, "message");
                    }
                    finally
                    {
                        fixture.Api.ClearFaults();
                    }
                    Assert.Contains("demo@example.com", client.GraphQL("{ login { email } }"), "the next call succeeds");
                }
            }));
        }
    }
}
