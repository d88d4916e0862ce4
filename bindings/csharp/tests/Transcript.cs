using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace RemoteIt.Tests
{
    /// <summary>
    /// The transcript the secrets scan reads (tests/secrets_scan.py): when scripts/test.sh sets
    /// <c>REMOTEIT_TEST_TRANSCRIPT</c> to a folder, each <see cref="Record"/> appends
    /// <c>KIND&lt;TAB&gt;TEXT</c> (newlines made spaces) to <c>csharp.PID.log</c> there; otherwise
    /// it does nothing. Kinds: <c>error</c> (an exception's message), <c>tostring</c> (an
    /// object's or exception's ToString), <c>log</c> (a line the library logged).
    /// </summary>
    internal static class Transcript
    {
        private static readonly object Gate = new object();
        private static readonly string FilePath = PathOfThisProcess();

        private static string PathOfThisProcess()
        {
            string folder = Environment.GetEnvironmentVariable("REMOTEIT_TEST_TRANSCRIPT");
            if (string.IsNullOrEmpty(folder))
            {
                return null;
            }
            int pid = System.Diagnostics.Process.GetCurrentProcess().Id;
            return Path.Combine(folder, "csharp." + pid.ToString(CultureInfo.InvariantCulture) + ".log");
        }

        internal static void Record(string kind, string text)
        {
            if (FilePath == null)
            {
                return;
            }
            string line = kind + "\t" + (text ?? string.Empty).Replace('\n', ' ').Replace('\r', ' ') + "\n";
            lock (Gate)
            {
                File.AppendAllText(FilePath, line, new UTF8Encoding(false));
            }
        }

        /// <summary>Records an exception's message and its ToString.</summary>
        internal static void Error(Exception e)
        {
            Record("error", e.Message);
            Record("tostring", e.ToString());
        }

        /// <summary>Records <paramref name="value"/>'s ToString; returns it.</summary>
        internal static T Shown<T>(T value)
        {
            Record("tostring", value == null ? "null" : value.ToString());
            return value;
        }
    }
}
