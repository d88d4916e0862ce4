using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;

namespace RemoteIt.Tests
{
    /// <summary>
    /// tests/api_double.py running as a child process: its API URL, and its unsigned control
    /// endpoints (statistics, fault injection).
    /// </summary>
    internal sealed class ApiDouble : IDisposable
    {
        private readonly Process process;

        private ApiDouble(Process process, string url)
        {
            this.process = process;
            Url = url;
        }

        /// <summary>The API URL, e.g. <c>http://127.0.0.1:PORT/graphql/v1</c>.</summary>
        internal string Url { get; }

        /// <summary>
        /// Starts the double with <paramref name="credentials"/> as its accepted keys (and, when
        /// given, a TLS certificate and key) and waits until it has written its URL.
        /// </summary>
        internal static ApiDouble Start(string root, string credentials, string[] tls, string scratch)
        {
            string urlFile = Path.Combine(scratch, "api-url-" + Guid.NewGuid().ToString("N"));
            string arguments = Quote(Path.Combine(root, "tests/api_double.py"))
                + " --port 0 --credentials " + Quote(credentials)
                + " --url-file " + Quote(urlFile) + " --quiet --exit-with-parent";
            if (tls != null)
            {
                arguments += " --tls-cert " + Quote(tls[0]) + " --tls-key " + Quote(tls[1]);
            }
            Process process = Process.Start(new ProcessStartInfo("python3", arguments)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = root,
            });
            Stopwatch waited = Stopwatch.StartNew();
            while (!File.Exists(urlFile))
            {
                if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(20))
                {
                    string error = process.HasExited ? process.StandardError.ReadToEnd() : "no URL after 20 s";
                    Stop(process);
                    throw new InvalidOperationException("the API double did not start: " + error);
                }
                Thread.Sleep(20);
            }
            return new ApiDouble(process, File.ReadAllText(urlFile).Trim());
        }

        /// <summary>Queues a fault (a JSON object such as <c>{"kind": "429"}</c>) for the next verified requests.</summary>
        internal void Fault(string faultJson)
        {
            Control("POST", "fault", faultJson);
        }

        /// <summary>Drops every pending fault.</summary>
        internal void ClearFaults()
        {
            Control("DELETE", "fault", null);
        }

        /// <summary>
        /// Changes the double's device fixtures (a JSON object such as <c>{"devices": 2500}</c>;
        /// <c>{"devices": null}</c> restores the small fixture).
        /// </summary>
        internal void SetFixture(string fixtureJson)
        {
            Control("POST", "fixture", fixtureJson);
        }

        /// <summary>Runs the double's clock <paramref name="seconds"/> ahead of the true time (negative: behind).</summary>
        internal void SetClockOffset(int seconds)
        {
            Control("POST", "clock", "{\"offset\": " + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");
        }

        /// <summary>The double's counters (<c>requests</c>, <c>verified</c>, <c>active_connections</c>...).</summary>
        internal Dictionary<string, object> Stats()
        {
            return (Dictionary<string, object>)Json.Parse(Control("GET", "stats", null));
        }

        /// <summary>One counter of <see cref="Stats"/>.</summary>
        internal long Stat(string name)
        {
            return (long)(double)Stats()[name];
        }

        /// <summary>Stops the double.</summary>
        public void Dispose()
        {
            Stop(process);
        }

        /// <summary>Quotes one argument for <see cref="ProcessStartInfo.Arguments"/>.</summary>
        internal static string Quote(string argument)
        {
            return "\"" + argument.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }

        /// <summary>Runs a program to its end; throws when it fails.</summary>
        internal static void RunToEnd(string program, string arguments, string directory)
        {
            using (Process process = Process.Start(new ProcessStartInfo(program, arguments)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory,
            }))
            {
                string error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException(program + " " + arguments + " failed: " + error);
                }
            }
        }

        private static void Stop(Process process)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            process.WaitForExit();
            process.Dispose();
        }

        private string Control(string method, string endpoint, string body)
        {
            HttpWebRequest request = (HttpWebRequest)WebRequest.Create(
                new Uri(new Uri(Url), "/_control/" + endpoint));
            request.Method = method;
            request.Proxy = null;
            request.KeepAlive = false;
            if (body != null)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(body);
                request.ContentType = "application/json";
                request.ContentLength = bytes.Length;
                using (Stream stream = request.GetRequestStream())
                {
                    stream.Write(bytes, 0, bytes.Length);
                }
            }
            using (WebResponse response = request.GetResponse())
            using (StreamReader reader = new StreamReader(response.GetResponseStream(), Encoding.UTF8))
            {
                return reader.ReadToEnd();
            }
        }
    }
}
