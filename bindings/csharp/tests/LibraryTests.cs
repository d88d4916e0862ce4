using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace RemoteIt.Tests
{
    /// <summary>
    /// The binding against the header and the library as a whole: the imports, the version
    /// check, the result codes, and finding the library (<c>REMOTEIT_LIBRARY</c>) in child
    /// processes with a controlled environment.
    /// </summary>
    internal static class LibraryTests
    {
        internal static void AddTo(List<Test> tests, Fixture fixture)
        {
            tests.Add(new Test("library: Version matches the header's REMOTEIT_VERSION_* macros", () =>
            {
                string header = File.ReadAllText(Path.Combine(fixture.Root, "include/remoteit.h"));
                string expected = string.Join(".", new[] { "MAJOR", "MINOR", "PATCH" }.Select(part =>
                    Regex.Match(header, @"#define REMOTEIT_VERSION_" + part + @" (\d+)").Groups[1].Value));
                Assert.Equal(expected, Library.Version, "Library.Version");
            }));

            tests.Add(new Test("library: the version check accepts 0.2.x and refuses other major.minor", () =>
            {
                foreach (string good in new[] { "0.2.0", "0.2.12", "0.2.3-beta.1" })
                {
                    Assert.True(Loader.IsCompatible(good), good + " is accepted");
                }
                foreach (string bad in new[] { "0.1.0", "0.3.0", "1.2.0", "0.20.0", "0.2", "", "x.y.z", null })
                {
                    Assert.True(!Loader.IsCompatible(bad), (bad ?? "null") + " is refused");
                }
            }));

            tests.Add(new Test("library: NativeMethods imports every function of the header with its parameter count", () =>
            {
                Dictionary<string, int> declared = HeaderFunctions(Path.Combine(fixture.Root, "include/remoteit.h"));
                MethodInfo[] imports = typeof(NativeMethods)
                    .GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
                    .Where(m => (m.Attributes & MethodAttributes.PinvokeImpl) != 0)
                    .ToArray();
                foreach (MethodInfo import in imports)
                {
                    DllImportAttribute dllImport = (DllImportAttribute)import.GetCustomAttributes(typeof(DllImportAttribute), false).Single();
                    Assert.Equal("remoteit/Cdecl/True", dllImport.Value + "/" + dllImport.CallingConvention + "/" + dllImport.ExactSpelling, import.Name + " DllImport");
                    Assert.True(import.GetParameters().All(p => p.ParameterType != typeof(bool)) && import.ReturnType != typeof(bool), import.Name + " passes no bool");
                }
                Dictionary<string, int> imported = imports.ToDictionary(m => m.Name, m => m.GetParameters().Length);
                Assert.True(declared.Count >= 30, "the header declares its functions, found " + declared.Count);
                foreach (KeyValuePair<string, int> function in declared)
                {
                    int parameters;
                    Assert.True(imported.TryGetValue(function.Key, out parameters), function.Key + " is imported");
                    Assert.Equal(function.Value, parameters, function.Key + " parameter count");
                }
                Assert.Equal(declared.Count, imported.Count, "number of imports");
            }));

            tests.Add(new Test("library: ResultCode constants have the library's numbers and names", () =>
            {
                Dictionary<uint, string> codes = new Dictionary<uint, string>
                {
                    { (uint)ResultCode.Ok, "REMOTEIT_OK" },
                    { (uint)ResultCode.NullArgument, "REMOTEIT_ERR_NULL_ARGUMENT" },
                    { (uint)ResultCode.InvalidArgument, "REMOTEIT_ERR_INVALID_ARGUMENT" },
                    { (uint)ResultCode.BufferTooSmall, "REMOTEIT_ERR_BUFFER_TOO_SMALL" },
                    { (uint)ResultCode.Panic, "REMOTEIT_ERR_PANIC" },
                    { (uint)ResultCode.CredentialsNotFound, "REMOTEIT_ERR_CREDENTIALS_NOT_FOUND" },
                    { (uint)ResultCode.CredentialsInvalid, "REMOTEIT_ERR_CREDENTIALS_INVALID" },
                    { (uint)ResultCode.ProfileNotFound, "REMOTEIT_ERR_PROFILE_NOT_FOUND" },
                    { (uint)ResultCode.CredentialsIncomplete, "REMOTEIT_ERR_CREDENTIALS_INCOMPLETE" },
                    { (uint)ResultCode.SecretInvalid, "REMOTEIT_ERR_SECRET_INVALID" },
                    { (uint)ResultCode.Network, "REMOTEIT_ERR_NETWORK" },
                    { (uint)ResultCode.Timeout, "REMOTEIT_ERR_TIMEOUT" },
                    { (uint)ResultCode.Tls, "REMOTEIT_ERR_TLS" },
                    { (uint)ResultCode.Unauthorized, "REMOTEIT_ERR_UNAUTHORIZED" },
                    { (uint)ResultCode.RateLimited, "REMOTEIT_ERR_RATE_LIMITED" },
                    { (uint)ResultCode.HttpStatus, "REMOTEIT_ERR_HTTP_STATUS" },
                    { (uint)ResultCode.GraphQL, "REMOTEIT_ERR_GRAPHQL" },
                    { (uint)ResultCode.Protocol, "REMOTEIT_ERR_PROTOCOL" },
                    { (uint)ResultCode.Api, "REMOTEIT_ERR_API" },
                    { 999, "REMOTEIT_ERR_UNKNOWN" },
                };
                int constants = typeof(ResultCode).GetFields(BindingFlags.Public | BindingFlags.Static).Length;
                Assert.Equal(codes.Count - 1, constants, "number of ResultCode constants");
                foreach (KeyValuePair<uint, string> code in codes)
                {
                    Assert.Equal(code.Value, Utf8.FromNative(NativeMethods.remoteit_result_name(code.Key)), "name of " + code.Key);
                }
            }));

            tests.Add(new Test("library: ResultCode has exactly the codes of the header's remoteit_result, with their numbers", () =>
            {
                Dictionary<string, uint> header = HeaderResultCodes(Path.Combine(fixture.Root, "include/remoteit.h"));
                Assert.True(header.Count >= 18, "the header's remoteit_result has its codes, found " + header.Count);
                Dictionary<string, uint> binding = Enum.GetNames(typeof(ResultCode)).ToDictionary(
                    name => name.ToUpperInvariant(),
                    name => (uint)(ResultCode)Enum.Parse(typeof(ResultCode), name));
                foreach (KeyValuePair<string, uint> code in header)
                {
                    uint number;
                    Assert.True(binding.TryGetValue(code.Key, out number), "ResultCode has " + code.Key);
                    Assert.Equal(code.Value, number, "number of " + code.Key);
                }
                foreach (KeyValuePair<string, uint> code in binding)
                {
                    Assert.True(header.ContainsKey(code.Key), "the header has ResultCode member " + code.Key);
                }
                Assert.Equal(header.Count, binding.Count, "number of codes");
            }));

            tests.Add(new Test("library: REMOTEIT_LIBRARY loads that exact file (a renamed copy, no LD_LIBRARY_PATH)", () =>
            {
                string source = LoadedLibraries().Single();
                string copy = Path.Combine(fixture.Scratch, "elsewhere", "my-remoteit-build.so");
                Directory.CreateDirectory(Path.GetDirectoryName(copy));
                File.Copy(source, copy);
                string output = RunChildProcess("version", copy);
                Assert.Contains("version " + Library.Version, output, "child output");
                Assert.Contains("mapped " + copy + "\n", output, "child output");
                Assert.True(!output.Contains("mapped " + source), "the child did not load " + source + ":\n" + output);
            }));

            tests.Add(new Test("library: a libremoteit.so next to the application is found without LD_LIBRARY_PATH", () =>
            {
                string application = CopyApplicationWithLibrary(fixture, "app-with-library");
                string output = RunChildProgram(application, "version", null, new string[0]);
                Assert.Contains("mapped " + Path.Combine(Path.GetDirectoryName(application), "libremoteit.so") + "\n", output, "child output");
            }));

            tests.Add(new Test("library: REMOTEIT_LIBRARY wins over a libremoteit.so next to the application", () =>
            {
                string application = CopyApplicationWithLibrary(fixture, "app-and-variable");
                string chosen = Path.Combine(fixture.Scratch, "chosen", "libremoteit.so");
                Directory.CreateDirectory(Path.GetDirectoryName(chosen));
                File.Copy(LoadedLibraries().Single(), chosen);
                string output = RunChildProgram(application, "version", chosen, new string[0]);
                Assert.Equal("version " + Library.Version + "\nmapped " + chosen + "\n", output, "child output");
            }));

            tests.Add(new Test("library: REMOTEIT_LIBRARY also works when a constructor is the first call", () =>
            {
                string output = RunChildProcess("new-credentials", LoadedLibraries().Single());
                Assert.Contains("key KEYID\n", output, "child output");
            }));

            tests.Add(new Test("library: REMOTEIT_LIBRARY naming a missing file fails with a message naming it", () =>
            {
                string missing = Path.Combine(fixture.Scratch, "no-such-libremoteit.so");
                string output = RunChildProcess("version", missing);
                Assert.Contains("DllNotFoundException", output, "child output");
                Assert.Contains("REMOTEIT_LIBRARY names \"" + missing + "\", but there is no such file", output, "child output");
            }));

            tests.Add(new Test("library: without REMOTEIT_LIBRARY or LD_LIBRARY_PATH the error says how to find the library", () =>
            {
                string output = RunChildProcess("version", null);
                Assert.Contains("DllNotFoundException", output, "child output");
                Assert.Contains("LD_LIBRARY_PATH", output, "child output");
                Assert.Contains("set REMOTEIT_LIBRARY to the file's full path", output, "child output");
            }));
        }

        /// <summary>
        /// The child side of the loader tests: prints the library's version and the files it
        /// was mapped from, or the exception (with its inner ones) that loading it threw.
        /// </summary>
        internal static int RunChild(string scenario)
        {
            try
            {
                switch (scenario)
                {
                    case "version":
                        Console.WriteLine("version " + Library.Version);
                        break;
                    case "new-credentials":
                        using (Credentials credentials = new Credentials("KEYID", "c2VjcmV0"))
                        {
                            Console.WriteLine("key " + credentials.AccessKeyId);
                        }
                        break;
                    case "default-credentials":
                        using (Credentials credentials = Credentials.Load())
                        {
                            Console.WriteLine("key " + credentials.AccessKeyId);
                        }
                        break;
                    default:
                        throw new ArgumentException("unknown child scenario " + scenario);
                }
                foreach (string path in LoadedLibraries())
                {
                    Console.WriteLine("mapped " + path);
                }
                return 0;
            }
            catch (Exception e)
            {
                for (Exception inner = e; inner != null; inner = inner.InnerException)
                {
                    RemoteItException remoteIt = inner as RemoteItException;
                    Console.WriteLine("error " + inner.GetType().Name + ": " + (remoteIt != null ? remoteIt.CodeName + " " : "") + inner.Message);
                }
                return 2;
            }
        }

        /// <summary>
        /// Runs this program as <c>--child SCENARIO</c> with LD_LIBRARY_PATH removed and
        /// REMOTEIT_LIBRARY set to <paramref name="library"/> (or removed when null), plus
        /// <paramref name="environment"/>; returns what it printed.
        /// </summary>
        internal static string RunChildProcess(string scenario, string library, params string[] environment)
        {
            return RunChildProgram(Assembly.GetExecutingAssembly().Location, scenario, library, environment);
        }

        /// <summary><see cref="RunChildProcess"/> with a copy of this program at <paramref name="program"/>.</summary>
        private static string RunChildProgram(string program, string scenario, string library, string[] environment)
        {
            ProcessStartInfo start = new ProcessStartInfo("mono", ApiDouble.Quote(program) + " --child " + scenario)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
            };
            start.EnvironmentVariables.Remove("LD_LIBRARY_PATH");
            start.EnvironmentVariables.Remove(Loader.PathVariable);
            if (library != null)
            {
                start.EnvironmentVariables[Loader.PathVariable] = library;
            }
            for (int i = 0; i < environment.Length; i += 2)
            {
                start.EnvironmentVariables.Remove(environment[i]);
                if (environment[i + 1] != null)
                {
                    start.EnvironmentVariables[environment[i]] = environment[i + 1];
                }
            }
            using (Process child = Process.Start(start))
            {
                string output = child.StandardOutput.ReadToEnd();
                child.WaitForExit();
                return output;
            }
        }

        /// <summary>Copies this program and the library it runs on into a new folder; returns the program's path.</summary>
        private static string CopyApplicationWithLibrary(Fixture fixture, string folder)
        {
            string directory = Path.Combine(fixture.Scratch, folder);
            Directory.CreateDirectory(directory);
            string program = Path.Combine(directory, Path.GetFileName(Assembly.GetExecutingAssembly().Location));
            File.Copy(Assembly.GetExecutingAssembly().Location, program);
            File.Copy(LoadedLibraries().Single(), Path.Combine(directory, "libremoteit.so"));
            return program;
        }

        /// <summary>The files whose name contains "remoteit" that this process has mapped (Linux).</summary>
        internal static IEnumerable<string> LoadedLibraries()
        {
            return File.ReadAllLines("/proc/self/maps")
                .Select(line => line.Split(new[] { ' ' }, 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6 && Path.GetFileName(fields[5].Trim()).Contains("remoteit"))
                .Select(fields => fields[5].Trim())
                .Where(path => path.EndsWith(".so", StringComparison.Ordinal) || path.Contains(".so."))
                .Distinct()
                .ToList();
        }

        /// <summary>
        /// The members of <paramref name="headerPath"/>'s <c>enum remoteit_result</c>, with their
        /// numbers, named the way <see cref="ResultCode"/>'s members compare: without the
        /// <c>REMOTEIT_</c> / <c>REMOTEIT_ERR_</c> prefix and the underscores
        /// (<c>REMOTEIT_ERR_PROFILE_NOT_FOUND</c> is <c>PROFILENOTFOUND</c>, as <c>ProfileNotFound</c> upper-cased).
        /// </summary>
        private static Dictionary<string, uint> HeaderResultCodes(string headerPath)
        {
            string code = Regex.Replace(File.ReadAllText(headerPath), @"/\*.*?\*/|//[^\n]*", "", RegexOptions.Singleline);
            Match body = Regex.Match(code, @"\benum\s+remoteit_result\b[^{;]*\{([^}]*)\}");
            Assert.True(body.Success, "the header declares enum remoteit_result");
            Dictionary<string, uint> codes = new Dictionary<string, uint>();
            foreach (Match member in Regex.Matches(body.Groups[1].Value, @"\b(REMOTEIT_[A-Z0-9_]+)\s*=\s*(\d+)"))
            {
                string name = Regex.Replace(member.Groups[1].Value, "^REMOTEIT_(ERR_)?", "").Replace("_", "");
                codes.Add(name, uint.Parse(member.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
            return codes;
        }

        /// <summary>The functions <paramref name="headerPath"/> declares, with their parameter counts.</summary>
        private static Dictionary<string, int> HeaderFunctions(string headerPath)
        {
            string code = Regex.Replace(File.ReadAllText(headerPath), @"/\*.*?\*/|//[^\n]*", "", RegexOptions.Singleline);
            Dictionary<string, int> functions = new Dictionary<string, int>();
            foreach (Match match in Regex.Matches(code, @"\b(remoteit_[a-z0-9_]+)\s*\(([^()]*)\)\s*;"))
            {
                string parameters = match.Groups[2].Value.Trim();
                functions.Add(match.Groups[1].Value, parameters == "void" ? 0 : parameters.Split(',').Length);
            }
            return functions;
        }
    }
}
