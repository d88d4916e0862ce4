using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RemoteIt.Tests
{
    /// <summary>One named test.</summary>
    internal sealed class Test
    {
        internal Test(string name, Action body)
        {
            Name = name;
            Body = body;
        }

        internal string Name { get; }

        internal Action Body { get; }
    }

    /// <summary>A failed expectation.</summary>
    internal sealed class AssertionException : Exception
    {
        internal AssertionException(string message)
            : base(message)
        {
        }
    }

    /// <summary>The expectations the tests state.</summary>
    internal static class Assert
    {
        internal static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                throw new AssertionException(string.Format(
                    CultureInfo.InvariantCulture, "{0}: expected <{1}>, got <{2}>", what, expected, actual));
            }
        }

        internal static void True(bool condition, string what)
        {
            if (!condition)
            {
                throw new AssertionException(what);
            }
        }

        internal static void Contains(string expected, string actual, string what)
        {
            if (actual == null || actual.IndexOf(expected, StringComparison.Ordinal) < 0)
            {
                throw new AssertionException(string.Format(
                    CultureInfo.InvariantCulture, "{0}: expected <{1}> in <{2}>", what, expected, actual));
            }
        }

        /// <summary>Runs <paramref name="action"/> and returns the exception of exactly type <typeparamref name="T"/> it throws.</summary>
        internal static T Throws<T>(Action action) where T : Exception
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                Transcript.Error(e);
                if (e.GetType() != typeof(T))
                {
                    throw new AssertionException(string.Format(
                        CultureInfo.InvariantCulture, "expected {0}, got {1}: {2}", typeof(T).Name, e.GetType().Name, e.Message));
                }
                return (T)e;
            }
            throw new AssertionException("expected " + typeof(T).Name + ", nothing was thrown");
        }

        /// <summary>
        /// Runs <paramref name="action"/>, expects a <see cref="RemoteItException"/> with
        /// <paramref name="code"/> and its name, and a message, thrown as the subclass of the
        /// code's family (<see cref="ErrorTests.Families"/>); returns the exception.
        /// </summary>
        internal static RemoteItException Fails(ResultCode code, string codeName, Action action)
        {
            RemoteItException e = null;
            try
            {
                action();
            }
            catch (RemoteItException thrown)
            {
                Transcript.Error(thrown);
                e = thrown;
            }
            catch (Exception other)
            {
                throw new AssertionException(string.Format(
                    CultureInfo.InvariantCulture, "expected RemoteItException, got {0}: {1}", other.GetType().Name, other.Message));
            }
            True(e != null, "expected RemoteItException, nothing was thrown");
            Equal((uint)code, e.Code, "Code (" + e.CodeName + ": " + e.Message + ")");
            Equal(code, e.Result, "Result");
            Equal(codeName, e.CodeName, "CodeName");
            True(!string.IsNullOrEmpty(e.Message) && e.Message != codeName, "the exception carries the library's message, got <" + e.Message + ">");
            Equal(ErrorTests.Families[code], e.GetType(), "exception class for " + codeName);
            return e;
        }
    }

    /// <summary>
    /// Runs the binding's tests against the real library and the local API double, one line
    /// per test and then <c>N passed, M failed</c>; exits with 1 when a test failed. Run it
    /// from the repository root (see <c>bindings/csharp/run-tests.sh</c>). With
    /// <c>--child SCENARIO</c> it is instead the child process of a loader test.
    /// </summary>
    internal static class TestRunner
    {
        private static int Main(string[] args)
        {
            if (args.Length == 2 && args[0] == "--child")
            {
                return LibraryTests.RunChild(args[1]);
            }
            using (Fixture fixture = new Fixture(Directory.GetCurrentDirectory()))
            {
                List<Test> tests = new List<Test>();
                LibraryTests.AddTo(tests, fixture);
                SigningTests.AddTo(tests, fixture);
                CredentialsTests.AddTo(tests, fixture);
                ClientTests.AddTo(tests, fixture);
                SettingsTests.AddTo(tests, fixture);
                DevicesTests.AddTo(tests, fixture);
                ErrorTests.AddTo(tests, fixture);
                int failed = 0;
                foreach (Test test in tests)
                {
                    try
                    {
                        test.Body();
                        Console.WriteLine("ok   " + test.Name);
                    }
                    catch (Exception e)
                    {
                        failed++;
                        Console.WriteLine("FAIL " + test.Name + ": " + Describe(e));
                    }
                }
                Console.WriteLine(string.Format(
                    CultureInfo.InvariantCulture, "{0} passed, {1} failed", tests.Count - failed, failed));
                return failed == 0 ? 0 : 1;
            }
        }

        /// <summary>A failure on one line: the assertion, or the exception and where it was thrown.</summary>
        private static string Describe(Exception e)
        {
            if (e is AssertionException)
            {
                return e.Message.Replace("\n", "\\n");
            }
            string where = (e.StackTrace ?? string.Empty).Split('\n')[0].Trim();
            return (e.GetType().Name + ": " + e.Message + " " + where).Replace("\n", " ");
        }
    }

    /// <summary>
    /// What the tests share: the repository's paths, a scratch folder, and the API doubles
    /// (started on first use, stopped at the end).
    /// </summary>
    internal sealed class Fixture : IDisposable
    {
        private ApiDouble plain;
        private ApiDouble https;
        private string certificates;

        internal Fixture(string root)
        {
            Root = root;
            if (!File.Exists(Path.Combine(root, "tests/api_double.py")))
            {
                throw new InvalidOperationException("run the tests from the repository root, not " + root);
            }
            Scratch = Path.Combine(Path.GetTempPath(), "remoteit-csharp-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Scratch);
        }

        /// <summary>The repository root.</summary>
        internal string Root { get; }

        /// <summary>A scratch folder, deleted at the end.</summary>
        internal string Scratch { get; }

        /// <summary>The credentials file the doubles accept.</summary>
        internal string CredentialsFile
        {
            get { return Path.Combine(Root, "tests/data/credentials"); }
        }

        /// <summary>The API double over plain http.</summary>
        internal ApiDouble Api
        {
            get { return plain ?? (plain = ApiDouble.Start(Root, CredentialsFile, null, Scratch)); }
        }

        /// <summary>The API double over https, with a certificate from <see cref="CertificateFile"/>'s test CA.</summary>
        internal ApiDouble HttpsApi
        {
            get
            {
                return https ?? (https = ApiDouble.Start(
                    Root, CredentialsFile, new[] { CertificateFile("server.pem"), CertificateFile("server.key") }, Scratch));
            }
        }

        /// <summary>A file of the test TLS material (tests/gen_test_certs.sh): ca.pem, other-ca.pem, server.pem, server.key.</summary>
        internal string CertificateFile(string name)
        {
            if (certificates == null)
            {
                string folder = Path.Combine(Scratch, "certs");
                ApiDouble.RunToEnd("bash", ApiDouble.Quote(Path.Combine(Root, "tests/gen_test_certs.sh")) + " " + ApiDouble.Quote(folder), Root);
                certificates = folder;
            }
            return Path.Combine(certificates, name);
        }

        /// <summary>Writes <paramref name="text"/> to a new file in the scratch folder; returns its path.</summary>
        internal string WriteFile(string name, string text)
        {
            string path = Path.Combine(Scratch, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.WriteAllText(path, text);
            return path;
        }

        /// <summary>Credentials the doubles accept.</summary>
        internal Credentials LoadCredentials()
        {
            return Transcript.Shown(Credentials.Load(CredentialsFile));
        }

        public void Dispose()
        {
            foreach (ApiDouble api in new[] { plain, https }.Where(a => a != null))
            {
                api.Dispose();
            }
            Directory.Delete(Scratch, true);
        }
    }
}
