using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace RemoteIt.Tests
{
    /// <summary>
    /// Signing: every known-answer vector of tests/data/remoteit-cavage.json, and RFC 9421
    /// signatures recomputed here from the contract's rules.
    /// </summary>
    internal static class SigningTests
    {
        private const string VectorKeyId = "EXAMPLEKEYID00000000";
        private const string VectorSecret = "ZXhhbXBsZSBzZWNyZXQga2V5IGZvciB2ZWN0b3JzISE=";

        internal static void AddTo(List<Test> tests, Fixture fixture)
        {
            string vectorsFile = Path.Combine(fixture.Root, "tests/data/remoteit-cavage.json");
            List<object> vectors = (List<object>)Json.Parse(File.ReadAllText(vectorsFile));
            Assert.True(vectors.Count > 0, "remoteit-cavage.json has vectors");
            foreach (Dictionary<string, object> vector in vectors.Cast<Dictionary<string, object>>())
            {
                Dictionary<string, object> v = vector;
                tests.Add(new Test("signing: vector " + v["name"] + " gives its Date, Authorization and signing string", () => CheckVector(v)));
            }

            tests.Add(new Test("signing: RFC 9421 with a body gives Date, Content-Digest, Signature-Input, Signature as specified", () =>
            {
                byte[] body = Encoding.UTF8.GetBytes("{\"query\":\"{ login { email } }\"}");
                using (Credentials credentials = new Credentials(VectorKeyId, VectorSecret))
                {
                    IList<KeyValuePair<string, string>> headers = credentials.SignRequestRfc9421(
                        "post", "HTTPS://API.remote.it/graphql/v1?x=1", "application/json", body, 1700000000);
                    Assert.Equal("Date,Content-Digest,Signature-Input,Signature", string.Join(",", headers.Select(h => h.Key)), "header names");
                    string digest;
                    using (SHA256 sha = SHA256.Create())
                    {
                        digest = "sha-256=:" + Convert.ToBase64String(sha.ComputeHash(body)) + ":";
                    }
                    Assert.Equal("Tue, 14 Nov 2023 22:13:20 GMT", headers[0].Value, "Date");
                    Assert.Equal(digest, headers[1].Value, "Content-Digest");
                    string parameters = "(\"@method\" \"@authority\" \"@target-uri\" \"date\" \"content-digest\")"
                        + ";keyid=\"" + VectorKeyId + "\";alg=\"hmac-sha256\";created=1700000000;expires=1700000300";
                    Assert.Equal("remoteit=" + parameters, headers[2].Value, "Signature-Input");
                    string signatureBase = string.Join("\n", new[]
                    {
                        "\"@method\": POST",
                        "\"@authority\": api.remote.it",
                        "\"@target-uri\": https://api.remote.it/graphql/v1?x=1",
                        "\"date\": Tue, 14 Nov 2023 22:13:20 GMT",
                        "\"content-digest\": " + digest,
                        "\"@signature-params\": " + parameters,
                    });
                    Assert.Equal("remoteit=:" + Hmac(VectorSecret, signatureBase) + ":", headers[3].Value, "Signature");
                }
            }));

            tests.Add(new Test("signing: RFC 9421 without a body has no Content-Digest and does not cover it", () =>
            {
                using (Credentials credentials = new Credentials(VectorKeyId, VectorSecret))
                {
                    IList<KeyValuePair<string, string>> headers = credentials.SignRequestRfc9421(
                        "GET", "http://127.0.0.1:8080/apv/v27/user/info", null, null, 1700000456);
                    Assert.Equal("Date,Signature-Input,Signature", string.Join(",", headers.Select(h => h.Key)), "header names");
                    string parameters = "(\"@method\" \"@authority\" \"@target-uri\" \"date\")"
                        + ";keyid=\"" + VectorKeyId + "\";alg=\"hmac-sha256\";created=1700000456;expires=1700000756";
                    Assert.Equal("remoteit=" + parameters, headers[1].Value, "Signature-Input");
                    string signatureBase = string.Join("\n", new[]
                    {
                        "\"@method\": GET",
                        "\"@authority\": 127.0.0.1:8080",
                        "\"@target-uri\": http://127.0.0.1:8080/apv/v27/user/info",
                        "\"date\": Tue, 14 Nov 2023 22:20:56 GMT",
                        "\"@signature-params\": " + parameters,
                    });
                    Assert.Equal("remoteit=:" + Hmac(VectorSecret, signatureBase) + ":", headers[2].Value, "Signature");
                }
            }));

            tests.Add(new Test("signing: a negative unixTime signs with the current time", () =>
            {
                using (Credentials credentials = new Credentials(VectorKeyId, VectorSecret))
                {
                    string date = credentials.SignRequest("GET", "https://api.remote.it/x", null, null)[0].Value;
                    DateTime signed = DateTime.ParseExact(date, "r", System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(Math.Abs((DateTime.UtcNow - signed).TotalSeconds) < 60, "Date " + date + " is now");
                }
            }));

            tests.Add(new Test("signing: remoteit_headers_text is the header list as CRLF-terminated lines", () =>
            {
                using (Credentials credentials = new Credentials(VectorKeyId, VectorSecret))
                {
                    HeadersHandle headers;
                    Errors.Check(NativeMethods.remoteit_sign(credentials.Handle, 1, Encoding.UTF8.GetBytes("POST\0"),
                        Encoding.UTF8.GetBytes("https://api.remote.it/graphql/v1\0"), Encoding.UTF8.GetBytes("application/json\0"),
                        new byte[] { 1, 2, 3 }, new UIntPtr(3u), 1700000000, out headers));
                    using (headers)
                    {
                        StringBuilder expected = new StringBuilder();
                        foreach (KeyValuePair<string, string> header in Credentials.ReadHeaders(headers))
                        {
                            expected.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
                        }
                        UIntPtr length;
                        Assert.Equal((uint)ResultCode.BufferTooSmall,
                            NativeMethods.remoteit_headers_text(headers, null, UIntPtr.Zero, out length), "size query");
                        byte[] buf = new byte[(int)length.ToUInt64() + 1];
                        Errors.Check(NativeMethods.remoteit_headers_text(headers, buf, new UIntPtr((uint)buf.Length), out length));
                        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(buf, 0, (int)length.ToUInt64()), "text");
                        Assert.Equal(0, (int)buf[buf.Length - 1], "NUL");
                    }
                }
            }));

            tests.Add(new Test("signing: the returned header list is read-only", () =>
            {
                using (Credentials credentials = new Credentials(VectorKeyId, VectorSecret))
                {
                    IList<KeyValuePair<string, string>> headers = credentials.SignRequest("GET", "https://api.remote.it/x", null, null, 0);
                    Assert.True(headers.IsReadOnly, "IsReadOnly");
                    Assert.Throws<NotSupportedException>(() => headers.Clear());
                }
            }));

            tests.Add(new Test("signing: a bad method or URL is INVALID_ARGUMENT", () =>
            {
                using (Credentials credentials = new Credentials(VectorKeyId, VectorSecret))
                {
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT",
                        () => credentials.SignRequest("PO ST", "https://api.remote.it/graphql/v1", null, null));
                    Assert.Fails(ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT",
                        () => credentials.SignRequestRfc9421("POST", "/graphql/v1", null, null));
                }
            }));

            tests.Add(new Test("signing: Sign gives what each per-scheme function and wrapper gives for the same time", () =>
            {
                byte[] body = Encoding.UTF8.GetBytes("{\"query\":\"{ login { email } }\"}");
                const string Url = "https://api.remote.it/graphql/v1?x=1";
                using (Credentials credentials = new Credentials(VectorKeyId, VectorSecret))
                {
                    foreach (byte[] content in new[] { body, null })
                    {
                        string what = content == null ? " without a body" : " with a body";
                        IList<KeyValuePair<string, string>> cavage = credentials.Sign(SigningScheme.Cavage, "POST", Url, "application/json", content, 1700000000);
                        IList<KeyValuePair<string, string>> rfc9421 = credentials.Sign(SigningScheme.Rfc9421, "POST", Url, "application/json", content, 1700000000);
                        Assert.Equal(Describe(NativeSign(credentials, false, Url, content)), Describe(cavage), "Cavage as remoteit_sign_request" + what);
                        Assert.Equal(Describe(NativeSign(credentials, true, Url, content)), Describe(rfc9421), "Rfc9421 as remoteit_sign_request_rfc9421" + what);
                        Assert.Equal(Describe(credentials.SignRequest("POST", Url, "application/json", content, 1700000000)), Describe(cavage), "Cavage as SignRequest" + what);
                        Assert.Equal(Describe(credentials.SignRequestRfc9421("POST", Url, "application/json", content, 1700000000)), Describe(rfc9421), "Rfc9421 as SignRequestRfc9421" + what);
                        Assert.True(Describe(cavage) != Describe(rfc9421), "the schemes differ" + what);
                    }
                }
            }));

            tests.Add(new Test("signing: Sign with a scheme that is not a SigningScheme is an InvalidArgumentException with code 2", () =>
            {
                using (Credentials credentials = new Credentials(VectorKeyId, VectorSecret))
                {
                    InvalidArgumentException e = Assert.Throws<InvalidArgumentException>(
                        () => credentials.Sign((SigningScheme)7, "GET", "https://api.remote.it/x", null, null, 0));
                    Assert.Equal(2u, e.Code, "Code");
                    Assert.Equal("REMOTEIT_ERR_INVALID_ARGUMENT", e.CodeName, "CodeName");
                    Assert.Contains("7", e.Message, "message");
                }
            }));
        }

        /// <summary>The headers of the per-scheme native function, called directly (not through <see cref="Credentials.Sign"/>).</summary>
        private static IList<KeyValuePair<string, string>> NativeSign(Credentials credentials, bool rfc9421, string url, byte[] body)
        {
            byte[] method = Utf8.ToNative("POST", "method");
            byte[] nativeUrl = Utf8.ToNative(url, "url");
            byte[] contentType = Utf8.ToNative("application/json", "contentType");
            UIntPtr length = new UIntPtr(body == null ? 0u : (uint)body.Length);
            HeadersHandle headers;
            Errors.Check(rfc9421
                ? NativeMethods.remoteit_sign_request_rfc9421(credentials.Handle, method, nativeUrl, contentType, body, length, 1700000000, out headers)
                : NativeMethods.remoteit_sign_request(credentials.Handle, method, nativeUrl, contentType, body, length, 1700000000, out headers));
            using (headers)
            {
                return Credentials.ReadHeaders(headers);
            }
        }

        /// <summary>Headers as one string, <c>name: value</c> lines, for comparing lists.</summary>
        private static string Describe(IList<KeyValuePair<string, string>> headers)
        {
            return string.Join("\n", headers.Select(h => h.Key + ": " + h.Value));
        }

        private static void CheckVector(Dictionary<string, object> v)
        {
            string method = (string)v["method"];
            string url = (string)v["url"];
            string contentType = (string)v["content_type"];
            byte[] body = Encoding.UTF8.GetBytes((string)v["body"]);
            long unixTime = (long)(double)v["unix_time"];
            using (Credentials credentials = new Credentials((string)v["access_key_id"], (string)v["secret_access_key"]))
            {
                IList<KeyValuePair<string, string>> headers = credentials.SignRequest(method, url, contentType, body, unixTime);
                Assert.Equal(2, headers.Count, "header count");
                Assert.Equal(new KeyValuePair<string, string>("Date", (string)v["date"]), headers[0], "first header");
                Assert.Equal(new KeyValuePair<string, string>("Authorization", (string)v["authorization"]), headers[1], "second header");
            }
            string signingString;
            Errors.Check(Utf8.Read(
                (byte[] buffer, UIntPtr bufferLength, out UIntPtr length) => NativeMethods.remoteit_signing_string(
                    Utf8.ToNative(method, "method"), Utf8.ToNative(url, "url"), Utf8.ToNative(contentType, "contentType"),
                    new UIntPtr((uint)body.Length), unixTime, buffer, bufferLength, out length),
                out signingString));
            Assert.Equal((string)v["signing_string"], signingString, "signing string");
            Assert.Contains("signature=\"" + Hmac((string)v["secret_access_key"], signingString) + "\"", (string)v["authorization"], "Authorization signs the signing string");
        }

        /// <summary>base64(HMAC-SHA256(base64-decoded <paramref name="secret"/>, UTF-8 <paramref name="text"/>)).</summary>
        private static string Hmac(string secret, string text)
        {
            using (HMACSHA256 hmac = new HMACSHA256(Convert.FromBase64String(secret)))
            {
                return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(text)));
            }
        }
    }
}
