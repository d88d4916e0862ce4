using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RemoteIt.Tests
{
    /// <summary>Credentials: loading, making, reading back the id, argument checks, disposal.</summary>
    internal static class CredentialsTests
    {
        private const string Secret = "dGVzdC1zZWNyZXQta2V5LWZvci1saWJyZW1vdGVpdCE=";

        internal static void AddTo(List<Test> tests, Fixture fixture)
        {
            tests.Add(new Test("credentials: Load reads the DEFAULT profile of a file", () =>
            {
                using (Credentials credentials = Credentials.Load(fixture.CredentialsFile))
                {
                    Assert.Equal("TESTKEYID0000000001", credentials.AccessKeyId, "AccessKeyId");
                }
            }));

            tests.Add(new Test("credentials: Warning names a file others may read", () =>
            {
                string path = Path.Combine(fixture.Scratch, "readable-credentials");
                File.Copy(fixture.CredentialsFile, path, true);
                using (System.Diagnostics.Process chmod = System.Diagnostics.Process.Start("chmod", "644 " + path))
                {
                    chmod.WaitForExit();
                    Assert.Equal(0, chmod.ExitCode, "chmod exit code");
                }
                using (Credentials loaded = Credentials.Load(path))
                {
                    Assert.Contains("chmod 600", loaded.Warning, "warning of a 0644 file");
                }
            }));

            tests.Add(new Test("credentials: Load finds a profile by exact name, then case-insensitively", () =>
            {
                using (Credentials exact = Credentials.Load(fixture.CredentialsFile, "second"))
                using (Credentials otherCase = Credentials.Load(fixture.CredentialsFile, "SECOND"))
                {
                    Assert.Equal("TESTKEYID0000000002", exact.AccessKeyId, "second");
                    Assert.Equal("TESTKEYID0000000002", otherCase.AccessKeyId, "SECOND");
                }
            }));

            tests.Add(new Test("credentials: Load() without a path reads ~/.remoteit/credentials", () =>
            {
                string home = Path.Combine(fixture.Scratch, "home-with-file");
                Directory.CreateDirectory(Path.Combine(home, ".remoteit"));
                File.Copy(fixture.CredentialsFile, Path.Combine(home, ".remoteit", "credentials"));
                string output = LibraryTests.RunChildProcess("default-credentials", LibraryTests.LoadedLibraries().Single(),
                    "HOME", home, "R3_ACCESS_KEY_ID", null, "R3_SECRET_ACCESS_KEY", null);
                Assert.Contains("key TESTKEYID0000000001\n", output, "child output");
            }));

            tests.Add(new Test("credentials: Load() without a path prefers R3_ACCESS_KEY_ID and R3_SECRET_ACCESS_KEY", () =>
            {
                string home = Path.Combine(fixture.Scratch, "home-without-file");
                Directory.CreateDirectory(home);
                string output = LibraryTests.RunChildProcess("default-credentials", LibraryTests.LoadedLibraries().Single(),
                    "HOME", home, "R3_ACCESS_KEY_ID", "ENVKEYID000000000001", "R3_SECRET_ACCESS_KEY", Secret);
                Assert.Contains("key ENVKEYID000000000001\n", output, "child output");
            }));

            tests.Add(new Test("credentials: the constructor makes credentials from their parts", () =>
            {
                using (Credentials withoutDeveloperKey = new Credentials("KEYID1", Secret))
                using (Credentials withDeveloperKey = new Credentials("KEYID2", Secret, "DEVKEY"))
                {
                    Assert.Equal("KEYID1", withoutDeveloperKey.AccessKeyId, "AccessKeyId");
                    Assert.Equal("KEYID2", withDeveloperKey.AccessKeyId, "AccessKeyId");
                    Assert.Equal("DEVKEY", withDeveloperKey.DeveloperKey, "DeveloperKey");
                    Assert.True(withoutDeveloperKey.DeveloperKey == null, "no DeveloperKey is null");
                }
            }));

            tests.Add(new Test("credentials: made from their parts, they have no Warning", () =>
            {
                using (Credentials credentials = new Credentials("KEYID1", Secret))
                {
                    Assert.True(credentials.Warning == null, "no Warning is null");
                }
            }));

            tests.Add(new Test("credentials: UTF-8 paths go in and come back in messages intact", () =>
            {
                string path = Path.Combine(fixture.Scratch, "Küche ☕", "credentials");
                RemoteItException e = Assert.Fails(ResultCode.CredentialsNotFound, "REMOTEIT_ERR_CREDENTIALS_NOT_FOUND",
                    () => Credentials.Load(path));
                Assert.Contains(path, e.Message, "message");
            }));

            tests.Add(new Test("credentials: null required arguments throw ArgumentNullException before any native call", () =>
            {
                Assert.Equal("accessKeyId", Assert.Throws<ArgumentNullException>(() => new Credentials(null, Secret)).ParamName, "ParamName");
                Assert.Equal("secretAccessKey", Assert.Throws<ArgumentNullException>(() => new Credentials("KEYID", null)).ParamName, "ParamName");
                using (Credentials credentials = new Credentials("KEYID", Secret))
                {
                    Assert.Equal("method", Assert.Throws<ArgumentNullException>(() => credentials.SignRequest(null, "https://x/", null, null)).ParamName, "ParamName");
                    Assert.Equal("url", Assert.Throws<ArgumentNullException>(() => credentials.SignRequestRfc9421("GET", null, null, null)).ParamName, "ParamName");
                    Assert.Equal("method", Assert.Throws<ArgumentNullException>(() => credentials.Sign(SigningScheme.Cavage, null, "https://x/", null, null)).ParamName, "ParamName");
                    Assert.Equal("url", Assert.Throws<ArgumentNullException>(() => credentials.Sign(SigningScheme.Rfc9421, "GET", null, null, null)).ParamName, "ParamName");
                }
            }));

            tests.Add(new Test("credentials: a string with a NUL character is refused, not cut short", () =>
            {
                ArgumentException e = Assert.Throws<ArgumentException>(() => Credentials.Load(fixture.CredentialsFile, "second\0ignored"));
                Assert.Equal("profile", e.ParamName, "ParamName");
            }));

            tests.Add(new Test("credentials: Dispose twice is fine; use after Dispose throws ObjectDisposedException", () =>
            {
                Credentials credentials = Credentials.Load(fixture.CredentialsFile);
                credentials.Dispose();
                credentials.Dispose();
                Assert.Throws<ObjectDisposedException>(() => credentials.AccessKeyId.ToString());
                Assert.Throws<ObjectDisposedException>(() => credentials.SignRequest("GET", "https://x/", null, null));
                Assert.Throws<ObjectDisposedException>(() => credentials.SignRequestRfc9421("GET", "https://x/", null, null));
                Assert.Throws<ObjectDisposedException>(() => credentials.Sign(SigningScheme.Cavage, "GET", "https://x/", null, null));
                Assert.Throws<ObjectDisposedException>(() => new Client(credentials, fixture.Api.Url).Dispose());
            }));
        }
    }
}
