using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace RemoteIt.Tests
{
    /// <summary>
    /// The 0.2 client settings against the API double: retries, clock correction and offset,
    /// User-Agent, signing scheme, and the log (its lines, a throwing receiver, the native
    /// callback kept alive across garbage collections), also changed while calls run.
    /// </summary>
    internal static class SettingsTests
    {
        private const string Query = "{ login { email } }";

        internal static void AddTo(List<Test> tests, Fixture fixture)
        {
            tests.Add(new Test("settings: the defaults: MaxRetries 2, ClockCorrection on, ClockOffset 0, UserAgent null, Log off at Info", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    Assert.Equal(2, client.MaxRetries, "MaxRetries");
                    Assert.Equal(Client.DefaultMaxRetries, client.MaxRetries, "DefaultMaxRetries");
                    Assert.Equal(true, client.ClockCorrection, "ClockCorrection");
                    Assert.Equal(0L, client.ClockOffset, "ClockOffset before any call");
                    Assert.Equal(null, client.UserAgent, "UserAgent");
                    Assert.Equal(SigningScheme.Cavage, client.SigningScheme, "SigningScheme");
                    Assert.True(client.Log == null, "Log is off");
                    Assert.Equal(LogLevel.Info, client.LogLevel, "LogLevel");
                    client.GraphQL(Query);
                    Assert.Equal(0L, client.ClockOffset, "ClockOffset after a call to a double whose clock is right");
                }
            }));

            foreach (int skew in new[] { 600, -600 })
            {
                int offset = skew;
                tests.Add(new Test("settings: the API's clock " + offset + " s off: corrected by default (ClockOffset about " + offset + "), AUTH naming the difference without correction", () =>
                {
                    using (Credentials credentials = fixture.LoadCredentials())
                    using (Client corrected = new Client(credentials, fixture.Api.Url))
                    using (Client uncorrected = new Client(credentials, fixture.Api.Url))
                    {
                        uncorrected.ClockCorrection = false;
                        fixture.Api.SetClockOffset(offset);
                        try
                        {
                            Connection connection = corrected.Connect(ClientTests.PortService);
                            corrected.Disconnect(connection.Id);
                            Assert.True(Math.Abs(corrected.ClockOffset - offset) <= 2, "ClockOffset " + corrected.ClockOffset + " is about " + offset);
                            RemoteItException e = Assert.Fails(ResultCode.Unauthorized, "REMOTEIT_ERR_UNAUTHORIZED", () => uncorrected.Connect(ClientTests.PortService));
                            Assert.Contains(offset > 0 ? "behind" : "ahead of", e.Message, "which clock is ahead");
                            Assert.Contains("seconds", e.Message, "the difference");
                            Assert.Equal(0L, uncorrected.ClockOffset, "no offset applied with correction off");
                        }
                        finally
                        {
                            fixture.Api.SetClockOffset(0);
                        }
                    }
                }));
            }

            tests.Add(new Test("settings: a 503 once is retried by default (2 requests, success) and fails with MaxRetries 0 (1 request)", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    try
                    {
                        long before = fixture.Api.Stat("requests");
                        fixture.Api.Fault("{\"kind\": \"503\", \"count\": 1}");
                        Assert.Contains("demo@example.com", client.GraphQL(Query), "the retried call succeeds");
                        Assert.Equal(before + 2, fixture.Api.Stat("requests"), "requests with the default MaxRetries");

                        client.MaxRetries = 0;
                        Assert.Equal(0, client.MaxRetries, "MaxRetries");
                        before = fixture.Api.Stat("requests");
                        fixture.Api.Fault("{\"kind\": \"503\", \"count\": 1}");
                        RemoteItException e = Assert.Fails(ResultCode.HttpStatus, "REMOTEIT_ERR_HTTP_STATUS", () => client.GraphQL(Query));
                        Assert.Contains("503", e.Message, "message");
                        Assert.Equal(before + 1, fixture.Api.Stat("requests"), "requests with MaxRetries 0");
                        Assert.Contains("demo@example.com", client.GraphQL(Query), "the next call succeeds");
                    }
                    finally
                    {
                        fixture.Api.ClearFaults();
                    }
                    Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => client.MaxRetries = -1).ParamName, "ParamName");
                    Assert.Equal(0, client.MaxRetries, "MaxRetries after a refused value");
                }
            }));

            tests.Add(new Test("settings: the log gets an INFO line per attempt and a WARN line for the retry, nothing above its level", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    List<KeyValuePair<LogLevel, string>> lines = new List<KeyValuePair<LogLevel, string>>();
                    client.Log = (level, message) =>
                    {
                        Transcript.Record("log", message);
                        lock (lines)
                        {
                            lines.Add(new KeyValuePair<LogLevel, string>(level, message));
                        }
                    };
                    Assert.True(client.Log != null, "Log is set");
                    try
                    {
                        fixture.Api.Fault("{\"kind\": \"503\", \"count\": 1}");
                        client.GraphQL(Query);
                    }
                    finally
                    {
                        fixture.Api.ClearFaults();
                    }
                    string[] info = lines.Where(l => l.Key == LogLevel.Info).Select(l => l.Value).ToArray();
                    Assert.Equal(2, info.Length, "INFO lines for 2 attempts: " + string.Join(" | ", info));
                    Assert.Contains("503", info[0], "the first attempt's status");
                    Assert.Contains(" ms", info[0], "the first attempt's duration");
                    Assert.Contains(fixture.Api.Url, info[0], "the attempt's URL");
                    Assert.Contains("200", info[1], "the second attempt's status");
                    Assert.True(lines.Any(l => l.Key == LogLevel.Warn), "a WARN line for the retry");
                    Assert.True(lines.All(l => l.Key <= LogLevel.Info), "no DEBUG line at LogLevel.Info");

                    client.Log = null;
                    int seen = lines.Count;
                    client.GraphQL(Query);
                    Assert.Equal(seen, lines.Count, "no line once Log is null");
                }
            }));

            tests.Add(new Test("settings: at DEBUG the log shows the signing string, never the secret or the signature", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    List<string> lines = new List<string>();
                    List<string> debug = new List<string>();
                    client.LogLevel = LogLevel.Debug;
                    client.Log = (level, message) =>
                    {
                        Transcript.Record("log", message);
                        lock (lines)
                        {
                            lines.Add(message);
                            if (level == LogLevel.Debug)
                            {
                                debug.Add(message);
                            }
                        }
                    };
                    Assert.Equal(LogLevel.Debug, client.LogLevel, "LogLevel");
                    client.GraphQL(Query);
                    client.Connect(ClientTests.PortService);
                    Assert.Equal(2, debug.Count, "a DEBUG line per request: " + string.Join(" | ", debug));

                    const string Secret = "dGVzdC1zZWNyZXQta2V5LWZvci1saWJyZW1vdGVpdCE=";
                    byte[] key = Convert.FromBase64String(Secret);
                    foreach (string line in debug)
                    {
                        Assert.Contains("(request-target): post /graphql/v1", line, "the signing string");
                        Assert.Contains("date: ", line, "the signing string");
                        string signingString = line.Substring(line.IndexOf('\n') + 1);
                        string signature;
                        using (HMACSHA256 hmac = new HMACSHA256(key))
                        {
                            signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(signingString)));
                        }
                        foreach (string any in lines)
                        {
                            Assert.True(!any.Contains(signature), "no line holds the signature " + signature + ": " + any);
                        }
                    }
                    foreach (string line in lines)
                    {
                        Assert.True(!line.Contains(Secret), "no line holds the secret (base64): " + line);
                        Assert.True(!line.Contains(Encoding.UTF8.GetString(key)), "no line holds the secret (decoded): " + line);
                        Assert.True(!line.Contains("signature=\""), "no Authorization header: " + line);
                    }
                }
            }));

            tests.Add(new Test("settings: a Log receiver that throws neither crashes nor fails the call; the error goes to Trace", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                using (RecordingListener listener = new RecordingListener())
                {
                    int calls = 0;
                    client.LogLevel = LogLevel.Debug;
                    client.Log = (level, message) =>
                    {
                        Interlocked.Increment(ref calls);
                        throw new InvalidOperationException("receiver failure");
                    };
                    Trace.Listeners.Add(listener);
                    try
                    {
                        Assert.Contains("demo@example.com", client.GraphQL(Query), "the call succeeds");
                        try
                        {
                            fixture.Api.Fault("{\"kind\": \"503\", \"count\": 1}");
                            Assert.Contains("demo@example.com", client.GraphQL(Query), "the retried call succeeds");
                        }
                        finally
                        {
                            fixture.Api.ClearFaults();
                        }
                        Connection connection = client.Connect(ClientTests.PortService);
                        client.Disconnect(connection.Id);
                    }
                    finally
                    {
                        Trace.Listeners.Remove(listener);
                    }
                    Assert.True(calls >= 6, "the receiver was called for every line, got " + calls);
                    Assert.Contains("receiver failure", listener.Text, "the exception is reported through Trace");
                }
            }));

            tests.Add(new Test("settings: the native log callback survives garbage collections (GC.Collect, then 50 calls)", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    int lines = 0;
                    RegisterCounter(client, () => Interlocked.Increment(ref lines));
                    for (int round = 0; round < 3; round++)
                    {
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                        GC.Collect();
                    }
                    for (int call = 0; call < 50; call++)
                    {
                        client.GraphQL(Query);
                        if (call % 10 == 0)
                        {
                            GC.Collect();
                            GC.WaitForPendingFinalizers();
                        }
                    }
                    Assert.Equal(50, lines, "INFO lines");
                }
            }));

            tests.Add(new Test("settings: UserAgent names the product before libremoteit/<version>; null restores the default; a bad one is INVALID_ARGUMENT", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    client.UserAgent = "csharp-tests/1.0";
                    Assert.Equal("csharp-tests/1.0", client.UserAgent, "UserAgent");
                    client.GraphQL(Query);
                    Assert.Equal("csharp-tests/1.0 libremoteit/" + Library.Version, (string)fixture.Api.Stats()["last_user_agent"], "User-Agent sent");

                    foreach (string bad in new[] { "bad agent", "a,b", "x/1/2", "", "caf\u00e9" })
                    {
                        Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.UserAgent = bad);
                    }
                    Assert.Equal("value", Assert.Throws<ArgumentException>(() => client.UserAgent = "a\0b").ParamName, "ParamName");
                    Assert.Equal("csharp-tests/1.0", client.UserAgent, "UserAgent after refused values");
                    client.GraphQL(Query);
                    Assert.Equal("csharp-tests/1.0 libremoteit/" + Library.Version, (string)fixture.Api.Stats()["last_user_agent"], "User-Agent still sent");

                    client.UserAgent = null;
                    Assert.Equal(null, client.UserAgent, "UserAgent");
                    client.GraphQL(Query);
                    Assert.Equal("libremoteit/" + Library.Version, (string)fixture.Api.Stats()["last_user_agent"], "the default User-Agent");
                }
            }));

            tests.Add(new Test("settings: ClockCorrection and LogLevel values; a LogLevel that is not one is INVALID_ARGUMENT", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    client.ClockCorrection = false;
                    Assert.Equal(false, client.ClockCorrection, "ClockCorrection");
                    client.GraphQL(Query);
                    Assert.Equal(0L, client.ClockOffset, "ClockOffset with correction off");
                    client.ClockCorrection = true;
                    Assert.Equal(true, client.ClockCorrection, "ClockCorrection");
                    foreach (LogLevel bad in new[] { (LogLevel)0, (LogLevel)5 })
                    {
                        Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.LogLevel = bad);
                    }
                    Assert.Equal(LogLevel.Info, client.LogLevel, "LogLevel after refused values");
                    client.LogLevel = LogLevel.Error;
                    Assert.Equal(LogLevel.Error, client.LogLevel, "LogLevel");
                }
            }));

            tests.Add(new Test("settings: SigningScheme Rfc9421 is accepted by the API; a value that is not a SigningScheme is INVALID_ARGUMENT", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    client.SigningScheme = SigningScheme.Rfc9421;
                    Assert.Equal(SigningScheme.Rfc9421, client.SigningScheme, "SigningScheme");
                    Assert.Contains("demo@example.com", client.GraphQL(Query), "data");
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT", () => client.SigningScheme = (SigningScheme)2);
                    Assert.Equal(SigningScheme.Rfc9421, client.SigningScheme, "SigningScheme after a refused value");
                    client.SigningScheme = SigningScheme.Cavage;
                    Assert.Contains("demo@example.com", client.GraphQL(Query), "data");
                }
            }));

            tests.Add(new Test("settings: every setter called from another thread while 4 threads make 40 calls each: all succeed", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                using (Client client = new Client(credentials, fixture.Api.Url))
                {
                    int succeeded = 0;
                    int lines = 0;
                    bool done = false;
                    List<Exception> failures = new List<Exception>();
                    Action<Action> guarded = body =>
                    {
                        try
                        {
                            body();
                        }
                        catch (Exception e)
                        {
                            lock (failures)
                            {
                                failures.Add(e);
                            }
                        }
                    };
                    Thread setter = new Thread(() => guarded(() =>
                    {
                        for (int round = 0; !Volatile.Read(ref done); round++)
                        {
                            client.MaxRetries = round % 3;
                            client.ClockCorrection = round % 2 == 0;
                            client.UserAgent = round % 2 == 0 ? "setter/" + round : null;
                            client.SigningScheme = round % 2 == 0 ? SigningScheme.Rfc9421 : SigningScheme.Cavage;
                            client.LogLevel = (LogLevel)(1 + round % 4);
                            client.Log = round % 3 == 0 ? null : new Action<LogLevel, string>((level, message) => Interlocked.Increment(ref lines));
                            if (round % 5 == 0)
                            {
                                GC.Collect();
                            }
                        }
                    }));
                    Thread[] callers = Enumerable.Range(0, 4).Select(t => new Thread(() => guarded(() =>
                    {
                        for (int call = 0; call < 40; call++)
                        {
                            Json.Parse(client.GraphQL(Query));
                            Interlocked.Increment(ref succeeded);
                        }
                    }))).ToArray();
                    setter.Start();
                    foreach (Thread caller in callers)
                    {
                        caller.Start();
                    }
                    foreach (Thread caller in callers)
                    {
                        caller.Join();
                    }
                    Volatile.Write(ref done, true);
                    setter.Join();
                    Assert.True(failures.Count == 0, "no thread failed: " + string.Join("; ", failures.Select(e => e.GetType().Name + ": " + e.Message)));
                    Assert.Equal(160, succeeded, "successful calls");
                }
            }));

            tests.Add(new Test("settings: every setting of a disposed client throws ObjectDisposedException", () =>
            {
                using (Credentials credentials = fixture.LoadCredentials())
                {
                    Client client = new Client(credentials, fixture.Api.Url);
                    client.Dispose();
                    Assert.Throws<ObjectDisposedException>(() => client.MaxRetries = 1);
                    Assert.Throws<ObjectDisposedException>(() => client.ClockCorrection = false);
                    Assert.Throws<ObjectDisposedException>(() => { long offset = client.ClockOffset; });
                    Assert.Throws<ObjectDisposedException>(() => client.UserAgent = "x");
                    Assert.Throws<ObjectDisposedException>(() => client.SigningScheme = SigningScheme.Rfc9421);
                    Assert.Throws<ObjectDisposedException>(() => client.Log = null);
                    Assert.Throws<ObjectDisposedException>(() => client.LogLevel = LogLevel.Debug);
                }
            }));
        }

        /// <summary>
        /// Registers a receiver made here, so that nothing but the client references it (and the
        /// native callback's delegate): what a garbage collection could take away.
        /// </summary>
        private static void RegisterCounter(Client client, Action onInfo)
        {
            client.Log = new Action<LogLevel, string>((level, message) =>
            {
                if (level == LogLevel.Info)
                {
                    onInfo();
                }
            });
        }

        /// <summary>A trace listener that keeps what it is given.</summary>
        private sealed class RecordingListener : TraceListener
        {
            private readonly StringBuilder text = new StringBuilder();

            internal string Text
            {
                get
                {
                    lock (text)
                    {
                        return text.ToString();
                    }
                }
            }

            public override void Write(string message)
            {
                lock (text)
                {
                    text.Append(message);
                }
            }

            public override void WriteLine(string message)
            {
                lock (text)
                {
                    text.Append(message).Append('\n');
                }
            }
        }
    }
}
