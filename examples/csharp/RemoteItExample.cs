// A small Remote.It client on the .NET binding (bindings/csharp): loads a credentials file,
// lists the account's devices and their services through the typed API (no JSON to parse),
// finds a service by its device's name and its own name, connects to it, prints where to reach
// it and disconnects again. Failures are caught by family (CredentialsException, AuthException,
// then any RemoteItException).
//
// Try it against the local API double with the demo credentials (from the repository root):
//
//     examples/csharp/run.sh [DEVICE_NAME SERVICE_NAME]      (default: lab-pi ssh)
//
// which builds libremoteit, compiles RemoteIt.dll and this file with Mono's mcs, starts
// tests/api_double.py with examples/demo/credentials, runs this program and stops the double.
// Against the real API, leave out --api-url:
//
//     mono remoteit-example.exe [--profile NAME] [--api-url URL] [--verbose] CREDENTIALS_FILE [DEVICE_NAME SERVICE_NAME]
//
// Without DEVICE_NAME and SERVICE_NAME it connects to the first service of the first online
// device. Names match exactly first, then case-insensitively.
using System;
using System.Collections.Generic;
using System.Linq;
using RemoteIt;

internal static class RemoteItExample
{
    private static int Main(string[] args)
    {
        string profile = null;
        string apiUrl = null;
        bool verbose = false;
        List<string> positional = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--profile" && i + 1 < args.Length)
            {
                profile = args[++i];
            }
            else if (args[i] == "--api-url" && i + 1 < args.Length)
            {
                apiUrl = args[++i];
            }
            else if (args[i] == "--verbose")
            {
                verbose = true;
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        if (positional.Count != 1 && positional.Count != 3)
        {
            Console.Error.WriteLine("usage: remoteit-example [--profile NAME] [--api-url URL] [--verbose] CREDENTIALS_FILE [DEVICE_NAME SERVICE_NAME]");
            return 2;
        }

        try
        {
            using (Credentials credentials = Credentials.Load(positional[0], profile))
            using (Client client = new Client(credentials, apiUrl))
            {
                client.UserAgent = "remoteit-example/1.0";
                // Retries and clock corrections are on by default; the log shows them (WARN), and
                // with --verbose each request too (INFO).
                client.LogLevel = verbose ? LogLevel.Info : LogLevel.Warn;
                client.Log = (level, line) => Console.Error.WriteLine("[{0}] {1}", level, line);
                Console.WriteLine("libremoteit {0}, access key {1}", Library.Version, credentials.AccessKeyId);

                IList<Device> devices = client.ListDevices();
                Console.WriteLine("{0} devices:", devices.Count);
                foreach (Device device in devices)
                {
                    Console.WriteLine("  {0,-16} {1,-8} {2}", device.Name, device.Online ? "online" : device.State, device.Id);
                    foreach (Service service in device.Services)
                    {
                        Console.WriteLine("      {0,-12} port {1,-5} {2}", service.Name, service.Port.HasValue ? service.Port.Value.ToString() : "-", service.Id);
                    }
                }

                string deviceName;
                string serviceName;
                if (positional.Count == 3)
                {
                    deviceName = positional[1];
                    serviceName = positional[2];
                }
                else
                {
                    Device first = devices.FirstOrDefault(d => d.Online && d.Services.Count > 0);
                    if (first == null)
                    {
                        Console.Error.WriteLine("the account has no online device with a service to connect to");
                        return 1;
                    }
                    deviceName = first.Name;
                    serviceName = first.Services[0].Name;
                }

                Service found = client.FindService(deviceName, serviceName);
                Console.WriteLine("{0} of {1} is service {2}", serviceName, deviceName, found.Id);
                Connection connection = client.Connect(found.Id);
                if (connection.Port.HasValue)
                {
                    Console.WriteLine("connected: host {0}, port {1}", connection.Host, connection.Port.Value);
                }
                else
                {
                    Console.WriteLine("connected: open {0}", connection.Url);
                }
                client.Disconnect(connection.Id);
                Console.WriteLine("disconnected {0}", connection.Id);
                return 0;
            }
        }
        catch (CredentialsException e)
        {
            Console.Error.WriteLine("{0}: {1}\n(check the credentials file and the profile name)", e.CodeName, e.Message);
            return 1;
        }
        catch (AuthException e)
        {
            Console.Error.WriteLine("{0}: {1}\n(the API refused the key: check it)", e.CodeName, e.Message);
            return 1;
        }
        catch (InvalidArgumentException e)
        {
            Console.Error.WriteLine("{0}: {1}\n(check the device and service names)", e.CodeName, e.Message);
            return 1;
        }
        catch (RemoteItException e)
        {
            Console.Error.WriteLine("{0}: {1}", e.CodeName, e.Message);
            return 1;
        }
    }
}
